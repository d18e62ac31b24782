// The benchmark's pass/fail gates (fraud.md §5, the defense issue): declared in scenario files,
// evaluated by a pure function over run results so they can be unit-tested on made-up numbers.
import { z } from 'zod';
import type { RunResult } from './metrics/types.ts';

const fraction = z.number().min(0).max(1);

export const gateSetSchema = z
  .object({
    spendBlockedMin: fraction,
    requestsBlockedMin: fraction,
    ttdSendsMax: z.number().min(0),
    ttdMinutesMax: z.number().min(0),
    lossBeforeDetectionMax: z.number().min(0),
    lossTotalMax: z.number().min(0),
    containmentMinutesMax: z.number().min(0),
    recoveryMinutesMax: z.number().min(0),
    legitHardBlockedMax: fraction,
    legitChallengedMax: fraction,
    noHardBlocks: z.boolean(),
    falseSuspensionsMax: z.number().int().min(0),
    completionDeltaMinPp: z.number(),
    explainabilityMin: fraction,
  })
  .partial()
  .strict();
export type GateSet = z.infer<typeof gateSetSchema>;

/** Gates that only make sense when the run has an attack. */
export const attackOnlyGates = ['spendBlockedMin', 'requestsBlockedMin', 'ttdSendsMax', 'ttdMinutesMax', 'lossBeforeDetectionMax', 'lossTotalMax', 'containmentMinutesMax', 'recoveryMinutesMax'] as const;

export const gatesConfigSchema = z
  .object({
    /** Legitimate users over every defended run of a seed. */
    overall: z.object({ legitHardBlockedMax: fraction.optional(), legitChallengedMax: fraction.optional() }).strict().default({}),
    /** Applied to every scenario; a scenario's own gates override these. */
    perScenario: gateSetSchema.default({}),
    /** Applied to the legit-only baseline run (a). */
    baseline: gateSetSchema.default({}),
  })
  .strict();
export type GatesConfig = z.infer<typeof gatesConfigSchema>;

export interface GateOutcome {
  /** Scenario id, `baseline`, or `overall`. */
  scope: string;
  seed: number;
  allowlist: string;
  gate: string;
  op: '≥' | '≤' | '=';
  limit: number | boolean;
  actual: number | null;
  pass: boolean;
}

type Check = { op: '≥' | '≤' | '='; actual: (r: RunResult) => number | null; missingPasses?: boolean };

const checks: Record<keyof GateSet, Check> = {
  spendBlockedMin: { op: '≥', actual: (r) => r.attack?.spendBlocked ?? null },
  requestsBlockedMin: { op: '≥', actual: (r) => r.attack?.requestsBlocked ?? null },
  ttdSendsMax: { op: '≤', actual: (r) => r.attack?.ttdSends ?? null },
  ttdMinutesMax: { op: '≤', actual: (r) => r.attack?.ttdMinutes ?? null },
  lossBeforeDetectionMax: { op: '≤', actual: (r) => r.attack?.lossBeforeDetection ?? null },
  lossTotalMax: { op: '≤', actual: (r) => r.attack?.lossTotal ?? null },
  containmentMinutesMax: { op: '≤', actual: (r) => r.attack?.containmentMinutes ?? null },
  recoveryMinutesMax: { op: '≤', actual: (r) => r.defense.recoveryMinutes },
  legitHardBlockedMax: { op: '≤', actual: (r) => r.legit.hardBlockedRate },
  legitChallengedMax: { op: '≤', actual: (r) => r.legit.challengedRate },
  noHardBlocks: { op: '=', actual: (r) => r.legit.hardBlocked },
  falseSuspensionsMax: { op: '≤', actual: (r) => r.defense.suspensions },
  // Nothing to compare against (the baseline itself) or nothing refused: nothing to fail.
  completionDeltaMinPp: { op: '≥', actual: (r) => r.legit.completionDeltaPp, missingPasses: true },
  explainabilityMin: { op: '≥', actual: (r) => r.defense.explainability, missingPasses: true },
};

function checkRun(scope: string, run: RunResult, gates: GateSet): GateOutcome[] {
  const out: GateOutcome[] = [];
  for (const [gate, limit] of Object.entries(gates) as [keyof GateSet, number | boolean][]) {
    if (limit === undefined || limit === false) continue;
    const c = checks[gate];
    if (!run.attack && (attackOnlyGates as readonly string[]).includes(gate)) continue;
    const actual = c.actual(run);
    let pass: boolean;
    if (actual === null || Number.isNaN(actual)) pass = !!c.missingPasses;
    else if (gate === 'noHardBlocks') pass = actual === 0;
    else pass = c.op === '≥' ? actual >= (limit as number) - 1e-12 : actual <= (limit as number) + 1e-12;
    out.push({ scope, seed: run.seed, allowlist: run.allowlist, gate, op: c.op, limit: gate === 'noHardBlocks' ? 0 : limit, actual, pass });
  }
  return out;
}

/**
 * Every gate outcome for a set of runs (any mix of seeds and allowlist modes). `scenarioGates`
 * holds each scenario's own gates (they override `config.perScenario` key by key).
 */
export function evaluateGates(runs: readonly RunResult[], config: GatesConfig, scenarioGates: ReadonlyMap<string, GateSet>): GateOutcome[] {
  const out: GateOutcome[] = [];
  for (const run of runs) {
    if (run.kind === 'baseline') out.push(...checkRun('baseline', run, config.baseline));
    else out.push(...checkRun(run.id, run, { ...config.perScenario, ...(scenarioGates.get(run.id) ?? {}) }));
  }
  const groups = new Map<string, RunResult[]>();
  for (const run of runs) {
    const key = `${run.seed}|${run.allowlist}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  for (const group of groups.values()) {
    const journeys = group.reduce((n, r) => n + r.legit.journeys, 0);
    const rate = (f: (r: RunResult) => number) => (journeys ? group.reduce((n, r) => n + f(r), 0) / journeys : 0);
    const { seed, allowlist } = group[0]!;
    const overall: [string, number | undefined, number][] = [
      ['legitHardBlockedMax', config.overall.legitHardBlockedMax, rate((r) => r.legit.hardBlocked)],
      ['legitChallengedMax', config.overall.legitChallengedMax, rate((r) => r.legit.challenged)],
    ];
    for (const [gate, limit, actual] of overall) {
      if (limit === undefined) continue;
      out.push({ scope: 'overall', seed, allowlist, gate, op: '≤', limit, actual, pass: actual <= limit + 1e-12 });
    }
  }
  return out;
}
