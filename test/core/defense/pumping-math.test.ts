// The pumping detector's building blocks: Poisson tails, Wilson bounds, adaptive concentration
// thresholds, the block-spread estimator, the volume baseline and the suspension ladder.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { concentrationThreshold, poissonUpperTail, wilson } from '../../../src/core/defense/pumping/stats.ts';
import { perBlockMean } from '../../../src/core/defense/pumping/spread.ts';
import { expectedPerHour, learnHour, newVolumeBaseline } from '../../../src/core/defense/pumping/baseline.ts';
import { activeUntil, actionOf, currentLevel, enter, escalate, isActive } from '../../../src/core/defense/pumping/ladder.ts';
import { resolvePumpingConfig, defaultPumpingConfig } from '../../../src/core/defense/pumping/index.ts';
import { Rng } from './pumping-traffic.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('statistics', () => {
  test('Poisson upper tail matches exact values on both sides of the mean', () => {
    assert.equal(poissonUpperTail(0, 3), 1);
    assert.ok(Math.abs(poissonUpperTail(1, 2) - (1 - Math.exp(-2))) < 1e-12);
    // P(X ≥ 3 | 0.5) = 1 − e^-0.5 (1 + 0.5 + 0.125)
    assert.ok(Math.abs(poissonUpperTail(3, 0.5) - (1 - Math.exp(-0.5) * 1.625)) < 1e-12);
    assert.ok(Math.abs(poissonUpperTail(5, 10) - 0.970747311923039) < 1e-9);
    assert.ok(poissonUpperTail(200, 100) < 1e-15);
    assert.equal(poissonUpperTail(3, 0), 0);
  });

  test('Wilson bounds contain the rate and tighten with more trials', () => {
    const small = wilson(0, 5, 2.576);
    const big = wilson(0, 50, 2.576);
    assert.equal(small.lower, 0);
    assert.ok(small.upper > 0.5 && big.upper < 0.15, `${small.upper} ${big.upper}`);
    const mid = wilson(83, 100, 1.96);
    assert.ok(mid.lower < 0.83 && mid.upper > 0.83 && mid.upper - mid.lower < 0.16);
    assert.deepEqual(wilson(0, 0, 2), { lower: 0, upper: 1 });
  });

  test('concentration thresholds start at the floor and rise with volume and density', () => {
    const sparse = concentrationThreshold(200, 0.005, 0.001, 3);
    const busy = concentrationThreshold(20_000, 0.05, 0.001, 3);
    const dense = concentrationThreshold(750, 0.7, 0.001, 3);
    assert.equal(sparse, 3);
    assert.ok(busy > sparse, `${busy}`);
    assert.ok(dense >= 7, `${dense}`);
    assert.equal(concentrationThreshold(0, 0.1, 0.001, 2), 2);
  });

  test('the block-spread estimator recovers the Poisson mean and ignores overfull blocks', () => {
    const rng = new Rng(7);
    for (const mu of [0.05, 0.5, 3]) {
      const h = new Array<number>(65).fill(0);
      for (let b = 0; b < 2_000 / mu; b++) {
        // Knuth's Poisson sampler
        let k = 0;
        let p = rng.next();
        while (p > Math.exp(-mu)) (k++, (p *= rng.next()));
        if (k > 0) h[Math.min(k, 64)]!++;
      }
      const clean = perBlockMean(h, 3, mu, 0);
      assert.ok(Math.abs(clean - mu) / mu < 0.15, `mu ${mu}: ${clean}`);
      h[40]! += 30; // thirty pumped blocks of 40 numbers
      assert.ok(Math.abs(perBlockMean(h, 3, mu, 0) - clean) / mu < 0.05, `mu ${mu} moved by pumped blocks`);
    }
    assert.equal(perBlockMean(undefined, 3, 0.35, 5), 0.35);
  });
});

describe('volume baseline', () => {
  test('learns a daily shape and clips what a flash crowd may teach', () => {
    const cfg = defaultPumpingConfig;
    const b = newVolumeBaseline();
    const shape = (h: number) => (h % 24 >= 8 && h % 24 < 20 ? 20 : 4);
    for (let h = 0; h < 24 * 14; h++) learnHour(b, h, shape(h), cfg);
    const day = expectedPerHour(b, 24 * 14 + 12, cfg);
    const night = expectedPerHour(b, 24 * 14 + 2, cfg);
    assert.ok(day > 15 && day < 25, `day ${day}`);
    assert.ok(night > 2 && night < 7, `night ${night}`);
    const before = b.level;
    for (let h = 24 * 14; h < 24 * 14 + 3; h++) learnHour(b, h, 8 * shape(h), cfg);
    assert.ok(b.level < before * 1.2, `level ${before} → ${b.level}`);
  });

  test('never expects less than the floor (new countries, dead hours)', () => {
    assert.equal(expectedPerHour(newVolumeBaseline(), 5, defaultPumpingConfig), defaultPumpingConfig.baseline.minExpectedPerHour);
  });
});

describe('suspension ladder', () => {
  const cfg = resolvePumpingConfig();
  const t0 = 1_000 * HOUR;

  test('climbs challenge → 15 min → 1 h → 12 h, and stays at the top', () => {
    const s = enter('prefix4', '+9945012', 'AZ', null, 1, t0, 'concentration', {}, cfg);
    assert.equal(actionOf(s, s.level), 'challenge');
    assert.equal(s.until - s.since, 15 * MIN);
    const holds: number[] = [];
    for (let i = 0; i < 4; i++) {
      escalate(s, t0 + i * MIN, cfg, 1, true, 'x', {});
      holds.push(s.until - s.since);
    }
    assert.deepEqual(holds, [15 * MIN, HOUR, 12 * HOUR, 12 * HOUR]);
    assert.equal(s.level, 4);
    assert.equal(actionOf(s, s.level), 'block');
  });

  test('a country suspension challenges at every level', () => {
    const s = enter('country', 'AZ:sms', 'AZ', 'sms', 4, t0, 'campaign', {}, cfg);
    assert.equal(actionOf(s, 4), 'challenge');
  });

  test('lifts after a quiet hour without knocks, then steps down one level per quiet period', () => {
    const s = enter('prefix4', '+9945012', 'AZ', null, 4, t0, 'x', {}, cfg);
    s.lastKnockAt = t0 + 2 * HOUR;
    assert.ok(isActive(s, t0 + 2.5 * HOUR, cfg));
    assert.equal(activeUntil(s, cfg), t0 + 3 * HOUR);
    assert.ok(!isActive(s, t0 + 3 * HOUR, cfg));
    assert.equal(currentLevel(s, t0 + 3 * HOUR, cfg), 4);
    assert.equal(currentLevel(s, t0 + 9 * HOUR, cfg), 3);
    assert.equal(currentLevel(s, t0 + 27 * HOUR, cfg), 0);
    // Coming back while remembered climbs from the remembered level.
    escalate(s, t0 + 10 * HOUR, cfg, 2, true, 'again', {});
    assert.equal(s.level, 4);
  });

  test('configuration overrides merge and leave the defaults alone', () => {
    const custom = resolvePumpingConfig({ ladder: { blockMs: [MIN, 2 * MIN] }, country: { minFailed: 9 } });
    assert.deepEqual(custom.ladder.blockMs, [MIN, 2 * MIN]);
    assert.equal(custom.ladder.challengeMs, defaultPumpingConfig.ladder.challengeMs);
    assert.equal(custom.country.minFailed, 9);
    assert.equal(defaultPumpingConfig.country.minFailed, 4);
    assert.deepEqual(defaultPumpingConfig.ladder.blockMs, [15 * MIN, HOUR, 12 * HOUR]);
  });
});
