// `tollgate simulate` end to end: loads a scenario file, plans the runs of fraud.md §4.1 — (a) the
// legit-only baseline per seed and allowlist, (b) each scenario, (c) computed inside (b) from the
// attack's unimpeded schedule — runs them on a worker pool, pairs every run with its baseline,
// checks the gates and writes the JSON and Markdown reports.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { runAll } from './engine/pool.ts';
import type { RunJob, RunOutput } from './engine/run.ts';
import { evaluateGates, type GateSet } from './gates.ts';
import { compareWithBaseline } from './metrics/legit.ts';
import type { RunResult } from './metrics/types.ts';
import { progressBar } from './progress.ts';
import { aggregate, gitState, type SimulationReport } from './report/build.ts';
import { markdownReport } from './report/markdown.ts';
import { loadScenarioFile, ScenarioError, scenarioHash } from './scenario/load.ts';
import type { AllowlistMode, ScenarioFile } from './scenario/schema.ts';

export interface SimulateOptions {
  scenarioPath: string;
  /** Overrides the file's seeds. */
  seeds?: number[];
  /** Overrides the file's allowlist modes. */
  allowlists?: AllowlistMode[];
  /** Scenario ids to run (the baseline always runs). */
  only?: string[];
  transport?: 'inject' | 'http';
  defense?: 'on' | 'off';
  /** Parallel worker processes; 1 runs in this process. Default: min(2, cores). */
  workers?: number;
  progress?: boolean;
  /** Writes <out>/<name>.json and <name>.md when given. */
  outDir?: string;
  /** Changes the file after loading (tests shrink volumes this way). */
  adjust?: (file: ScenarioFile) => void;
}

const projectRoot = resolve(new URL('../..', import.meta.url).pathname);

export function selectScenarios(file: ScenarioFile, only: string[] | undefined): ScenarioFile {
  if (!only || only.length === 0) return file;
  const ids = new Set(file.scenarios.map((s) => s.id));
  const unknown = only.filter((id) => !ids.has(id));
  if (unknown.length) throw new ScenarioError([`no scenario ${unknown.map((u) => `"${u}"`).join(', ')} in ${file.name} (it has ${[...ids].join(', ')})`], '--only');
  return { ...file, scenarios: file.scenarios.filter((s) => only.includes(s.id)) };
}

export async function simulate(options: SimulateOptions): Promise<SimulationReport> {
  const wall = performance.now();
  const loaded = loadScenarioFile(options.scenarioPath);
  options.adjust?.(loaded);
  const file = selectScenarios(loaded, options.only);
  const seeds = options.seeds ?? file.seeds;
  const allowlists: AllowlistMode[] = options.allowlists ?? (Array.isArray(file.allowlist) ? [...new Set(file.allowlist)] : [file.allowlist]);
  const transport = options.transport ?? 'inject';
  const defense = options.defense ?? 'on';
  const jobs: RunJob[] = [];
  for (const seed of seeds) {
    for (const allowlist of allowlists) {
      jobs.push({ file: loaded, scenarioId: null, seed, allowlist, transport, defense });
      for (const s of file.scenarios) jobs.push({ file: loaded, scenarioId: s.id, seed, allowlist, transport, defense });
    }
  }
  const workers = Math.max(1, options.workers ?? Math.min(2, availableParallelism()));
  const label = (j: RunJob) => `${j.scenarioId ?? 'baseline'}${seeds.length > 1 ? `/s${j.seed}` : ''}${allowlists.length > 1 ? `/${j.allowlist}` : ''}`;
  const bar = progressBar(jobs.length, options.progress ?? false);
  let outputs: RunOutput[];
  try {
    outputs = await runAll(jobs, workers, {
      onStart: (i) => bar.start(label(jobs[i]!), i),
      onProgress: (i, f) => bar.update(i, f),
      onDone: (i) => bar.done(i),
    });
  } finally {
    bar.stop();
  }

  const runs = pairWithBaselines(jobs, outputs);
  const scenarioGates = new Map<string, GateSet>(file.scenarios.map((s) => [s.id, s.gates]));
  const gates = evaluateGates(runs, file.gates, scenarioGates);
  const wallMs = performance.now() - wall;
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  const report: SimulationReport = {
    tool: 'tollgate simulate',
    format: 1,
    scenario: { file: relative(projectRoot, resolve(options.scenarioPath)), name: file.name, hash: scenarioHash(loaded) },
    git: gitState(projectRoot),
    seeds,
    transport,
    defense,
    allowlists,
    runs,
    aggregates: seeds.length > 1 ? aggregate(runs) : [],
    gates,
    pass: gates.every((g) => g.pass),
    config: file,
    runtime: {
      wallMs: Math.round(wallMs),
      requests,
      requestsPerSecond: Math.round((requests / wallMs) * 1000),
      workers,
      runs: jobs.map((j, i) => ({ id: j.scenarioId ?? 'baseline', seed: j.seed, allowlist: j.allowlist, wallMs: Math.round(outputs[i]!.wallMs) })),
    },
  };
  if (options.outDir) writeReport(report, options.outDir);
  return report;
}

/** Completion delta and collateral of each run against the baseline of its seed and allowlist. */
export function pairWithBaselines(jobs: readonly RunJob[], outputs: readonly RunOutput[]): RunResult[] {
  const baselines = new Map<string, RunOutput>();
  jobs.forEach((j, i) => j.scenarioId === null && baselines.set(`${j.seed}|${j.allowlist}`, outputs[i]!));
  return jobs.map((j, i) => {
    const out = outputs[i]!;
    const base = baselines.get(`${j.seed}|${j.allowlist}`);
    if (j.scenarioId === null || !base) return out.result;
    return { ...out.result, legit: compareWithBaseline(out.result.legit, out.verifiedKeys, new Set(out.measuredKeys), base.result.legit, base.verifiedKeys) };
  });
}

export function writeReport(report: SimulationReport, outDir: string): { json: string; markdown: string } {
  mkdirSync(outDir, { recursive: true });
  const json = join(outDir, `${report.scenario.name}.json`);
  const markdown = join(outDir, `${report.scenario.name}.md`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdown, `${markdownReport(report)}\n`);
  return { json, markdown };
}
