// Runs independent simulation runs side by side: in this process (one at a time), or in forked
// worker processes (one run each at a time) so a 2-core machine does two runs at once. Each run is
// self-contained and seeded, so where it runs changes nothing in its result.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type RunJob, type RunOutput, runSimulation } from './run.ts';

export type WorkerMessage =
  | { type: 'progress'; index: number; fraction: number }
  | { type: 'done'; index: number; output: RunOutput }
  | { type: 'failed'; index: number; message: string };

export interface PoolHooks {
  onStart?(index: number): void;
  onProgress?(index: number, fraction: number): void;
  onDone?(index: number, output: RunOutput): void;
}

export async function runAll(jobs: readonly RunJob[], workers: number, hooks: PoolHooks = {}): Promise<RunOutput[]> {
  const outputs: RunOutput[] = new Array(jobs.length);
  if (workers <= 1 || jobs.length <= 1) {
    for (let i = 0; i < jobs.length; i++) {
      hooks.onStart?.(i);
      outputs[i] = await runSimulation(jobs[i]!, { onProgress: (f) => hooks.onProgress?.(i, f) });
      hooks.onDone?.(i, outputs[i]!);
    }
    return outputs;
  }
  let next = 0;
  const children: ChildProcess[] = [];
  const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));
  const tsx = import.meta.resolve('tsx');
  try {
    await Promise.all(
      Array.from({ length: Math.min(workers, jobs.length) }, () => {
        const child = fork(workerPath, [], { execArgv: ['--import', tsx], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        children.push(child);
        return new Promise<void>((resolve, reject) => {
          let settled = false;
          const fail = (err: Error) => {
            settled = true;
            reject(err);
          };
          const give = () => {
            if (next >= jobs.length) {
              settled = true;
              child.send({ type: 'exit' });
              return resolve();
            }
            const index = next++;
            hooks.onStart?.(index);
            child.send({ type: 'run', index, job: jobs[index] });
          };
          child.on('message', (m: WorkerMessage) => {
            if (m.type === 'progress') hooks.onProgress?.(m.index, m.fraction);
            else if (m.type === 'failed') fail(new Error(`run ${jobs[m.index]!.scenarioId ?? 'baseline'} failed: ${m.message}`));
            else {
              outputs[m.index] = m.output;
              hooks.onDone?.(m.index, m.output);
              give();
            }
          });
          child.on('exit', (code) => {
            if (!settled) fail(new Error(`a simulation worker exited (code ${code}) before finishing its run`));
          });
          child.on('error', fail);
          give();
        });
      }),
    );
  } finally {
    for (const child of children) if (child.connected) child.kill();
  }
  return outputs;
}
