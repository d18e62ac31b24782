// Run (c): the attack's unimpeded schedule and its cost, from the plan alone (no server).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planAttack, unimpededCost } from '../../src/simulator/attack/schedule.ts';
import { parseScenarioText } from '../../src/simulator/scenario/load.ts';
import { resolveWorld } from '../../src/simulator/scenario/world.ts';
import { DAY } from '../../src/simulator/time-spec.ts';
import { ipCatalogue } from '../../src/simulator/world/ip-catalogue.ts';
import { inspectNumber } from '../../src/simulator/world/phone-numbers.ts';

const file = parseScenarioText(`
name: plans
prices: { voiceMaxCallMinutes: 2, countries: { AZ: { sms: 0.39 } } }
scenarios:
  - id: burst
    attack: { family: burst, countries: [AZ], start: "0+02:00", duration: 2h, ratePerMinute: 60 }
  - id: voice
    attack: { family: voice, ranges: ["+8816xxxxxxxx", "+1268460xxxx"], start: "1+01:00", timeZone: utc, duration: 3h, ratePerMinute: 10, maxConcurrent: 20, testCallsPerRange: 5 }
  - id: slow
    attack: { family: slow-low, countries: [TJ, UZ], blocksPerCountry: 5, maxPerBlockPerDay: 2, perHour: 40, start: "0+00:00", timeZone: utc, duration: 2d, ips: { perRequest: true } }
  - id: seq
    attack: { family: sequential, countries: [KG], order: step, step: 7, ratePerMinute: 5, duration: 8h }
`);
const world = resolveWorld(file);
const measuredStart = Date.UTC(2030, 0, 9);
const plan = (id: string, seed = 1) =>
  planAttack({ seed, id, spec: file.scenarios.find((s) => s.id === id)!.attack!, world, catalogue: ipCatalogue(), measuredStart, horizon: measuredStart + 3 * DAY });

describe('unimpeded attack schedules (run c)', () => {
  test('A1a: 60/min for 2 h on one AZ block costs 7,200 × $0.39', () => {
    const p = plan('burst');
    const cost = unimpededCost(p);
    assert.equal(cost.sends, 7200);
    assert.equal(cost.cost, 2808);
    assert.equal(p.start, measuredStart - 2 * 3_600_000, '02:00 in Baku is 22:00 UTC');
    const prefixes = new Set(p.sends.map((s) => s.number.slice(0, -4)));
    assert.equal(prefixes.size, 1, 'one 10k-block');
    const uses = new Map<string, number>();
    for (const s of p.sends) uses.set(s.number, (uses.get(s.number) ?? 0) + 1);
    assert.ok(Math.max(...uses.values()) <= 2, 'no number used more than twice');
    assert.ok(p.sends.every((s, i) => i === 0 || s.t >= p.sends[i - 1]!.t));
  });

  test('A5: test calls first, then calls billed at the cap, never more than 20 at once', () => {
    const p = plan('voice');
    const tests = p.sends.filter((s) => s.test);
    assert.equal(tests.length, 10);
    assert.ok(tests.every((s) => s.t <= p.start - 3_600_000 && s.t >= p.start - DAY && s.billedMinutes === 1));
    const main = p.sends.filter((s) => !s.test);
    assert.ok(main.length > 1700 && main.length <= 1800, `${main.length} calls`);
    for (const s of main) {
      const live = main.filter((o) => o.t <= s.t && o.t + 2 * 60_000 > s.t).length;
      assert.ok(live <= 20, `${live} concurrent calls`);
    }
    const nonGeo = main.find((s) => s.region === null)!;
    assert.equal(nonGeo.cost, world.nonGeographic.voice * 2);
    const ag = main.find((s) => s.region === 'AG')!;
    assert.equal(inspectNumber(ag.number).type, 'FIXED_LINE');
    const total = p.sends.reduce((n, s) => n + s.cost, 0);
    assert.ok(Math.abs(unimpededCost(p).cost - total) < 1e-6);
  });

  test('A2: never more than 2 sends per block per day, following the daily curve', () => {
    const p = plan('slow');
    const perBlockDay = new Map<string, number>();
    for (const s of p.sends) {
      const key = `${s.number.slice(0, -4)}|${Math.floor((s.t - p.start) / DAY)}`;
      perBlockDay.set(key, (perBlockDay.get(key) ?? 0) + 1);
    }
    assert.ok(Math.max(...perBlockDay.values()) <= 2);
    assert.ok(p.sends.length <= 10 * 2 * 2, 'capacity: 10 blocks × 2 a day × 2 days');
    assert.ok(new Set(p.sends.map((s) => s.ip)).size > p.sends.length * 0.9, 'a new address per request');
  });

  test('A4b: numbers step by 7 inside one block', () => {
    const p = plan('seq');
    assert.equal(p.sends.length, 2400);
    const tails = p.sends.slice(0, 20).map((s) => Number(s.number.slice(-4)));
    const steps = tails.slice(1).map((t, i) => (t - tails[i]! + 10_000) % 10_000);
    assert.ok(steps.every((d) => d % 7 === 0), `steps ${steps}`);
  });

  test('a plan is a pure function of seed and id', () => {
    assert.deepEqual(plan('burst', 5).sends.slice(0, 50), plan('burst', 5).sends.slice(0, 50));
    assert.notDeepEqual(plan('burst', 5).sends.slice(0, 50), plan('burst', 6).sends.slice(0, 50));
  });
});
