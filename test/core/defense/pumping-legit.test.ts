// Legitimate traffic the pumping detector must leave alone (fraud.md §4.2 L1–L5): a quiet
// week-end, a flash crowd, a carrier outage (completion collapses, volume does not rise), a new
// market, a holiday dip. At most challenges, never a country block, no hard blocks.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PumpingDetector, type Suspension } from '../../../src/core/defense/pumping/index.ts';
import { COUNTRIES, legitTraffic, type LegitOptions } from './pumping-actors.ts';
import { DAY, HOUR, MIN, Rng, World, type Country } from './pumping-traffic.ts';

const T0 = Date.UTC(2025, 0, 6);
const WARM = T0 + 2 * DAY;

interface Outcome {
  journeys: number;
  hardBlocked: number;
  challenged: number;
  episodes: Suspension[];
}

/** Runs legitimate traffic only; counts what happened from `from` on, polling suspensions. */
function runLegit(seed: number, days: number, o: Partial<LegitOptions> = {}, from = WARM): Outcome {
  const det = new PumpingDetector();
  const w = new World(det, new Rng(seed));
  const end = from + days * DAY;
  legitTraffic(w, { perDay: 2000, from: T0, to: end, ...o });
  w.runUntil(from);
  const before = { ...w.legit };
  const episodes = new Map<string, Suspension>();
  for (let t = from; t <= end; t += 10 * MIN) {
    w.runUntil(t);
    for (const s of det.suspensions(t, { includeProbation: true })) episodes.set(`${s.key}@${s.since}`, s);
  }
  return {
    journeys: w.legit.journeys - before.journeys,
    hardBlocked: w.legit.hardBlocked - before.hardBlocked,
    challenged: w.legit.challenged - before.challenged,
    episodes: [...episodes.values()],
  };
}

const inWindow = (c: Country, t: number, region: string, start: number, hours: number) => c.region === region && t >= start && t < start + hours * HOUR;

describe('pumping detector and legitimate traffic', () => {
  test('three attack-free days: at most one automatic suspension and nobody hard-blocked', () => {
    const r = runLegit(101, 3);
    assert.ok(r.journeys > 5000);
    assert.ok(r.episodes.length <= 1, JSON.stringify(r.episodes));
    assert.equal(r.hardBlocked, 0);
    assert.ok(r.challenged / r.journeys <= 0.01);
  });

  test('a flash crowd (×8 for 3 hours in one country, completion unchanged) suspends nothing', () => {
    const start = WARM + 12 * HOUR;
    const r = runLegit(102, 1, { volume: (c, t) => (inWindow(c, t, 'NG', start, 3) || inWindow(c, t, 'BR', start, 3) ? 8 : 1) });
    assert.deepEqual(r.episodes, []);
    assert.equal(r.hardBlocked, 0);
    assert.equal(r.challenged, 0);
  });

  test('a carrier outage (completion ≈25 % for 4 hours, resends) never blocks a country', () => {
    const start = WARM + 10 * HOUR;
    const r = runLegit(103, 1, {
      completion: (c, t) => (inWindow(c, t, 'NG', start, 4) ? 0.25 : c.completion),
      volume: (c, t) => (inWindow(c, t, 'NG', start, 4) ? 1.3 : 1),
    });
    assert.equal(r.hardBlocked, 0);
    for (const s of r.episodes) assert.ok(s.scope !== 'country' || s.action === 'challenge', JSON.stringify(s));
    assert.ok(r.episodes.length <= 1, JSON.stringify(r.episodes));
    assert.ok(r.challenged / r.journeys <= 0.02);
  });

  test('a new market going from nothing to 300 a day, and a holiday dip, get no hard block', () => {
    const kenya: Country = { region: 'KE', cc: '254', leads: ['70', '71', '72', '74', '79'], subscriber: 7, share: (300 / 2000) * 75.6, completion: 0.8, cost: 0.2 };
    const launch = WARM + 8 * HOUR;
    const market = runLegit(104, 2, { countries: [...COUNTRIES, kenya], volume: (c, t) => (c.region !== 'KE' ? 1 : t < launch ? 0 : Math.min(1, (t - launch) / DAY)) });
    assert.equal(market.hardBlocked, 0);
    assert.ok(market.episodes.every((s) => s.action !== 'block'), JSON.stringify(market.episodes));
    assert.ok(market.challenged / market.journeys <= 0.01);

    const dip = WARM;
    const holiday = runLegit(105, 4, { volume: (_c, t) => (t >= dip && t < dip + 2 * DAY ? 0.4 : 1) });
    assert.equal(holiday.hardBlocked, 0);
    assert.ok(holiday.episodes.every((s) => s.action !== 'block'), JSON.stringify(holiday.episodes));
  });
});
