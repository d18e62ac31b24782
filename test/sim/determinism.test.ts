// Reproducibility and pairing, end to end against real Tollgates: one seed gives one report
// (whichever worker runs what, and over either transport), and adding an attack leaves the
// legitimate population's journeys exactly as they were.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runSimulation } from '../../src/simulator/engine/run.ts';
import { reproducible } from '../../src/simulator/report/build.ts';
import { simulate } from '../../src/simulator/runner.ts';
import { parseScenarioText } from '../../src/simulator/scenario/load.ts';

const tiny = `
name: tiny
seeds: [3]
days: { warmup: 1, measured: 1 }
legit: { perDay: 100 }
gates:
  perScenario: { legitHardBlockedMax: 0.5 }
scenarios:
  - id: burst
    attack: { family: burst, countries: [AZ], start: "0+02:00", duration: 20m, ratePerMinute: 6, ips: { count: 5 } }
  - id: mimic
    attack: { family: rotating, countries: [TJ], start: "0+12:00", duration: 30m, ratePerMinute: 2, blocks: 2, completion: 0.5, ips: { perRequest: true, geoMatchedShare: 1 } }
  - id: dip
    stress: { volume: [{ countries: ["*"], multiplier: 0.5, start: "0+00:00", duration: 1d, timeZone: utc }] }
`;

const dir = mkdtempSync(join(tmpdir(), 'tollgate-sim-test-'));
const path = join(dir, 'tiny.yaml');
writeFileSync(path, tiny);
after(() => rmSync(dir, { recursive: true, force: true }));

describe('simulator determinism', () => {
  test('the same seed gives the same report, in one process or on two workers', async () => {
    const one = await simulate({ scenarioPath: path, workers: 1, only: ['burst', 'dip'] });
    const two = await simulate({ scenarioPath: path, workers: 2, only: ['burst', 'dip'] });
    assert.deepEqual(reproducible(two), reproducible(one));
    assert.equal(one.runs.length, 3);
    assert.ok(one.runs[0]!.legit.journeys > 70, 'the population is there');
    const burst = one.runs.find((r) => r.id === 'burst')!;
    assert.equal(burst.attack!.unimpededSends, 120);
    assert.match(one.scenario.hash, /^[0-9a-f]{16}$/);
    const other = await simulate({ scenarioPath: path, workers: 1, seeds: [4], only: ['burst'] });
    assert.notDeepEqual(other.runs[0]!.legit, one.runs[0]!.legit, 'another seed, another population');
  });

  test('adding an attack leaves the legitimate journeys identical (undefended, so nothing couples them)', async () => {
    const file = parseScenarioText(tiny);
    const job = { file, seed: 3, allowlist: 'realistic' as const, transport: 'inject' as const, defense: 'off' as const };
    const base = await runSimulation({ ...job, scenarioId: null }, { keepOutcomes: true });
    const attacked = await runSimulation({ ...job, scenarioId: 'mimic' }, { keepOutcomes: true });
    assert.ok(base.outcomes!.length > 150);
    assert.deepEqual(attacked.outcomes, base.outcomes);
    assert.equal(attacked.result.attack!.spendBlocked, 0, 'undefended: everything goes out');
    assert.equal(attacked.result.attack!.sends, attacked.result.attack!.unimpededSends);
  });

  test('the HTTP transport over loopback replays the in-process run exactly', async () => {
    const file = parseScenarioText(tiny);
    const job = { file, seed: 3, scenarioId: 'burst', allowlist: 'realistic' as const, defense: 'on' as const };
    const inject = await runSimulation({ ...job, transport: 'inject' });
    const http = await runSimulation({ ...job, transport: 'http' });
    assert.deepEqual(http.result, inject.result);
  });
});
