// Entry point of a forked simulation worker: runs the jobs its parent sends, one at a time,
// reporting progress and results over IPC (see pool.ts).
import { runSimulation } from './run.ts';
import type { WorkerMessage } from './pool.ts';
import type { RunJob } from './run.ts';

type ParentMessage = { type: 'run'; index: number; job: RunJob } | { type: 'exit' };

const reply = (m: WorkerMessage) => process.send!(m);

process.on('message', (m: ParentMessage) => {
  if (m.type === 'exit') {
    process.disconnect();
    return;
  }
  let last = -1;
  runSimulation(m.job, {
    onProgress: (fraction) => {
      // Progress messages only when the bar would move.
      if (fraction - last < 0.01 && fraction < 1) return;
      last = fraction;
      reply({ type: 'progress', index: m.index, fraction });
    },
  }).then(
    (output) => reply({ type: 'done', index: m.index, output }),
    (err: unknown) => reply({ type: 'failed', index: m.index, message: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
