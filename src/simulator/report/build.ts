// The simulation report: every run's metrics, the gates, and what is needed to reproduce it —
// seed, scenario hash, git commit. Everything but `runtime` and `git` is a pure function of the
// inputs, so the same seed gives the same report (the determinism test compares them).
import { execFileSync } from 'node:child_process';
import type { GateOutcome } from '../gates.ts';
import type { RunResult } from '../metrics/types.ts';
import type { ScenarioFile } from '../scenario/schema.ts';

export interface Aggregate {
  id: string;
  allowlist: string;
  seeds: number;
  spendBlocked: { mean: number; worst: number } | null;
  lossTotal: { mean: number; worst: number } | null;
  ttdSends: { mean: number | null; worst: number | null } | null;
  legitHardBlockedRate: { mean: number; worst: number };
  legitChallengedRate: { mean: number; worst: number };
}

export interface SimulationReport {
  tool: 'tollgate simulate';
  format: 1;
  scenario: { file: string; name: string; hash: string };
  git: { sha: string | null; dirty: boolean | null };
  seeds: number[];
  transport: 'inject' | 'http';
  defense: 'on' | 'off';
  allowlists: string[];
  runs: RunResult[];
  aggregates: Aggregate[];
  gates: GateOutcome[];
  pass: boolean;
  config: ScenarioFile;
  runtime: { wallMs: number; requests: number; requestsPerSecond: number; workers: number; runs: { id: string; seed: number; allowlist: string; wallMs: number }[] };
}

export function gitState(cwd: string): { sha: string | null; dirty: boolean | null } {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { sha, dirty: status.trim().length > 0 };
  } catch {
    return { sha: null, dirty: null };
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Mean and worst per scenario and allowlist over the seeds (fraud.md §4.4: 5 seeds at full scale). */
export function aggregate(runs: readonly RunResult[]): Aggregate[] {
  const groups = new Map<string, RunResult[]>();
  for (const r of runs) groups.set(`${r.id}|${r.allowlist}`, [...(groups.get(`${r.id}|${r.allowlist}`) ?? []), r]);
  return [...groups.values()].map((g) => {
    const attacks = g.map((r) => r.attack).filter((a) => a !== null);
    const ttd = attacks.map((a) => a.ttdSends);
    const detected = ttd.filter((x): x is number => x !== null);
    return {
      id: g[0]!.id,
      allowlist: g[0]!.allowlist,
      seeds: g.length,
      spendBlocked: attacks.length ? { mean: mean(attacks.map((a) => a.spendBlocked)), worst: Math.min(...attacks.map((a) => a.spendBlocked)) } : null,
      lossTotal: attacks.length ? { mean: mean(attacks.map((a) => a.lossTotal)), worst: Math.max(...attacks.map((a) => a.lossTotal)) } : null,
      ttdSends: attacks.length ? { mean: detected.length ? mean(detected) : null, worst: detected.length === ttd.length ? Math.max(...detected) : null } : null,
      legitHardBlockedRate: { mean: mean(g.map((r) => r.legit.hardBlockedRate)), worst: Math.max(...g.map((r) => r.legit.hardBlockedRate)) },
      legitChallengedRate: { mean: mean(g.map((r) => r.legit.challengedRate)), worst: Math.max(...g.map((r) => r.legit.challengedRate)) },
    };
  });
}

/**
 * The report without what describes the machine rather than the inputs (wall clock, and the git
 * state, which other people's commits may move between two runs): identical for identical inputs.
 */
export function reproducible(report: SimulationReport): Omit<SimulationReport, 'runtime' | 'git'> {
  const { runtime: _runtime, git: _git, ...rest } = report;
  return rest;
}
