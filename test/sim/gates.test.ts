// Gate evaluation: a pure function of run results and the gates declared in the scenario file.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateGates, gatesConfigSchema } from '../../src/simulator/gates.ts';
import type { AttackMetrics, LegitMetrics, RunResult } from '../../src/simulator/metrics/types.ts';

const legit = (o: Partial<LegitMetrics> = {}): LegitMetrics => ({
  journeys: 1000, verified: 800, completionRate: 0.8, hardBlocked: 0, hardBlockedRate: 0, blockedThenVerified: 0, blockedThenVerifiedRate: 0,
  challenged: 0, challengedRate: 0, lostAtChallenge: 0, touchedByDetectors: 0, cost: 10, completionDeltaPp: null, collateralLost: null, ...o,
});
const attack = (o: Partial<AttackMetrics> = {}): AttackMetrics => ({
  family: 'burst', unimpededSends: 7200, unimpededCost: 2808, sends: 20, cost: 7.8, spendBlocked: 0.9972, requestsBlocked: 0.9972, lossBeforeDetection: 7.8, lossTotal: 7.8,
  leakagePerHourAfterDetection: 0, ttdMinutes: 0.5, ttdSends: 20, detectedBy: 'pumping.prefix', staticFirstMinutes: null,
  refusals: { detector: 1, static: 0, cap: 0, challenge: 0, throttle: 0, other: 0 }, containmentMinutes: 5, captchaSolves: 0, captchaCost: 0, attackerNet: 3.9, billedMinutes: 0, ...o,
});
const run = (id: string, kind: RunResult['kind'], o: Partial<RunResult> = {}): RunResult => ({
  id, title: id, kind, seed: 1, allowlist: 'realistic', legit: legit(), attack: kind === 'attack' ? attack() : null,
  defense: { suspensions: 0, suspensionDetails: [], explainedRefusals: 1, defenseRefusals: 1, explainability: 1, recoveryMinutes: 0, refusalsByRule: {} }, requests: 1, ...o,
});
const config = gatesConfigSchema.parse({
  overall: { legitHardBlockedMax: 0.003, legitChallengedMax: 0.01 },
  perScenario: { legitHardBlockedMax: 0.005, legitChallengedMax: 0.02 },
  baseline: { falseSuspensionsMax: 1 },
});

describe('gates', () => {
  test('passing runs pass every applicable gate', () => {
    const out = evaluateGates([run('baseline', 'baseline'), run('A1a', 'attack'), run('L1', 'stress')], config, new Map([['A1a', { spendBlockedMin: 0.995, ttdSendsMax: 25, lossBeforeDetectionMax: 10 }], ['L1', { noHardBlocks: true }]]));
    assert.ok(out.every((g) => g.pass), JSON.stringify(out.filter((g) => !g.pass)));
    assert.deepEqual(out.filter((g) => g.scope === 'A1a').map((g) => g.gate).sort(), ['legitChallengedMax', 'legitHardBlockedMax', 'lossBeforeDetectionMax', 'spendBlockedMin', 'ttdSendsMax']);
    assert.deepEqual(out.filter((g) => g.scope === 'overall').map((g) => g.gate), ['legitHardBlockedMax', 'legitChallengedMax']);
    assert.deepEqual(out.filter((g) => g.scope === 'baseline').map((g) => g.gate), ['falseSuspensionsMax']);
  });

  test('each threshold fails on the wrong side, and an undetected attack fails TTD', () => {
    const gates = new Map([['A1a', { spendBlockedMin: 0.995, ttdSendsMax: 25 }], ['L1', { noHardBlocks: true }]]);
    const out = evaluateGates(
      [
        run('baseline', 'baseline', { defense: { ...run('x', 'baseline').defense, suspensions: 2 } }),
        run('A1a', 'attack', { attack: attack({ spendBlocked: 0.99, ttdSends: null }) }),
        run('L1', 'stress', { legit: legit({ hardBlocked: 1, hardBlockedRate: 0.001, challenged: 31, challengedRate: 0.031 }) }),
      ],
      config,
      gates,
    );
    const failed = out.filter((g) => !g.pass).map((g) => `${g.scope}:${g.gate}`).sort();
    assert.deepEqual(failed, ['A1a:spendBlockedMin', 'A1a:ttdSendsMax', 'L1:legitChallengedMax', 'L1:noHardBlocks', 'baseline:falseSuspensionsMax', 'overall:legitChallengedMax']);
    const overall = out.find((g) => g.scope === 'overall' && g.gate === 'legitChallengedMax')!;
    assert.equal(overall.actual, 31 / 3000);
  });

  test('a scenario gate overrides the per-scenario default; missing comparisons pass', () => {
    const out = evaluateGates([run('L2', 'stress', { legit: legit({ challenged: 30, challengedRate: 0.03, completionDeltaPp: null }), defense: { ...run('x', 'stress').defense, explainability: null } })], { ...config, overall: {} }, new Map([['L2', { legitChallengedMax: 0.05, completionDeltaMinPp: -0.5, explainabilityMin: 1 }]]));
    assert.ok(out.every((g) => g.pass));
    assert.equal(out.find((g) => g.gate === 'legitChallengedMax')!.limit, 0.05);
  });

  test('overall gates are per seed and allowlist', () => {
    const a = run('baseline', 'baseline', { legit: legit({ hardBlocked: 10, hardBlockedRate: 0.01 }) });
    const b = run('baseline', 'baseline', { seed: 2 });
    const out = evaluateGates([a, b], config, new Map()).filter((g) => g.scope === 'overall' && g.gate === 'legitHardBlockedMax');
    assert.deepEqual(out.map((g) => [g.seed, g.pass]), [[1, false], [2, true]]);
  });
});
