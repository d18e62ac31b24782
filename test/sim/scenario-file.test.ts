// Scenario files: the shipped ones load, and mistakes are reported with the file, line and key.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadScenarioFile, parseScenarioText, ScenarioError, scenarioHash } from '../../src/simulator/scenario/load.ts';
import { allowlistFor, resolveWorld } from '../../src/simulator/scenario/world.ts';
import { parseDuration, resolveTimePoint } from '../../src/simulator/time-spec.ts';

const root = new URL('../..', import.meta.url).pathname;

function problems(text: string): string {
  try {
    parseScenarioText(text, 'bad.yaml');
  } catch (err) {
    assert.ok(err instanceof ScenarioError, String(err));
    return err.problems.join('\n');
  }
  assert.fail('expected a ScenarioError');
}

const minimal = (scenario: string) => `name: t\nscenarios:\n${scenario}`;

describe('scenario files', () => {
  test('the shipped CI and full files load with every scenario the plan asks for', () => {
    const ci = loadScenarioFile(`${root}scenarios/ci.yaml`);
    assert.deepEqual(ci.scenarios.map((s) => s.id), ['A1a', 'A2', 'A3', 'A4a', 'A4b', 'A4c', 'A5', 'A6', 'A7-f0.3', 'A7-f0.6', 'A8', 'L1', 'L2', 'L3', 'L4', 'L5']);
    assert.deepEqual(ci.days, { warmup: 2, measured: 2 });
    const a4b = ci.scenarios.find((s) => s.id === 'A4b')!.attack!;
    assert.equal(a4b.family === 'sequential' && a4b.step, 7, 'merge keys reuse A4a with the step changed');
    const full = loadScenarioFile(`${root}scenarios/full.yaml`);
    assert.equal(full.legit.perDay, 20_000);
    assert.equal(full.seeds.length, 5);
    for (const id of ['A1b', 'A7-f0.85', 'A7s', 'A9a', 'A9b']) assert.ok(full.scenarios.some((s) => s.id === id), id);
    assert.equal(scenarioHash(ci), scenarioHash(loadScenarioFile(`${root}scenarios/ci.yaml`)));
  });

  test('the realistic allowlist holds the legitimate mix and every attacked country', () => {
    const ci = loadScenarioFile(`${root}scenarios/ci.yaml`);
    const list = allowlistFor('realistic', ci, resolveWorld(ci))!;
    for (const c of ['US', 'IN', 'AZ', 'TJ', 'KG', 'AG', 'JM', 'CU', 'KZ', 'BY']) assert.ok(list.includes(c), c);
    assert.equal(allowlistFor('all', ci, resolveWorld(ci)), null);
  });

  test('unknown keys, bad values and unknown families name the line and key', () => {
    const p = problems(minimal('  - id: A1\n    attack:\n      family: burst\n      countries: [AZ]\n      ratePerMinut: 60\n'));
    assert.match(p, /bad\.yaml:7: scenarios\.0\.attack: Unrecognized key/);
    assert.match(p, /ratePerMinut/);
    assert.match(problems(minimal('  - id: A1\n    attack: { family: burst, countries: [AZ], duration: 2 hours }\n')), /bad\.yaml:4: scenarios\.0\.attack\.duration: a duration such as/);
    assert.match(problems(minimal('  - id: A1\n    attack: { family: flood, countries: [AZ] }\n')), /scenarios\.0\.attack\.family/);
    assert.match(problems(minimal('  - id: A1\n    attack: { family: burst, countries: [az] }\n')), /ISO 3166-1 alpha-2/);
    assert.match(problems(minimal('  - id: A1\n    attack: { family: burst, start: "9:00" }\n')), /time point/);
  });

  test('cross-field mistakes: duplicate ids, targetless attacks, unknown countries, attack gates without an attack', () => {
    assert.match(problems(minimal('  - id: L1\n  - id: L1\n')), /bad\.yaml:4: scenarios\.1\.id: duplicate scenario id "L1"/);
    assert.match(problems(minimal('  - id: A1\n    attack: { family: burst }\n')), /needs target countries or number ranges/);
    assert.match(problems(minimal('  - id: A1\n    attack: { family: burst, countries: [ZZ] }\n')), /bad\.yaml:4: .*country ZZ is not in the simulator's world/);
    assert.match(problems(minimal('  - id: L1\n    gates: { spendBlockedMin: 0.99 }\n')), /spendBlockedMin needs an attack/);
    assert.match(problems('name: t\nscenarios: []\n'), /scenarios/);
    assert.match(problems('name: t\n  bad: [\n'), /bad\.yaml:1: Nested mappings/);
  });

  test('durations and time points', () => {
    assert.equal(parseDuration('1d6h30m'), (30 * 60 + 30) * 60_000);
    assert.equal(parseDuration('90s'), 90_000);
    const day0 = Date.UTC(2030, 0, 9);
    assert.equal(resolveTimePoint('0+02:00', day0, 4), day0 - 2 * 3_600_000, '02:00 in UTC+4 is 22:00 UTC the day before');
    assert.equal(resolveTimePoint('1+00:30', day0), day0 + 86_400_000 + 30 * 60_000);
  });
});
