// When people verify phones: a daily curve in local time (floor 0.15 at 04:00, peaks at 12:00 and
// 20:00; fraud.md §4.2), weekends ×1.1, and arrivals drawn as a non-homogeneous Poisson process by
// thinning, so volumes follow the curve without any fixed schedule.
import type { Rng } from '../random.ts';
import { HOUR, localHour, localWeekday } from '../time-spec.ts';

// Local hour → relative rate (piecewise linear, wraps at 24).
const points: [number, number][] = [
  [0, 0.45], [2, 0.25], [4, 0.15], [7, 0.45], [10, 0.85], [12, 1.0],
  [14, 0.85], [17, 0.8], [20, 1.0], [22, 0.75], [24, 0.45],
];

function shape(h: number): number {
  for (let i = 1; i < points.length; i++) {
    const [h1, v1] = points[i]!;
    const [h0, v0] = points[i - 1]!;
    if (h <= h1) return v0 + ((v1 - v0) * (h - h0)) / (h1 - h0);
  }
  return points[0]![1];
}

const mean = (() => {
  let sum = 0;
  const steps = 24 * 60;
  for (let i = 0; i < steps; i++) sum += shape((i + 0.5) / 60);
  return sum / steps;
})();

/** Highest value diurnalFactor() takes (for thinning). */
export const diurnalPeak = 1 / mean;
export const weekendBoost = 1.1;

/** Rate multiplier at a local hour; averages 1 over a day. */
export function diurnalFactor(hour: number): number {
  return shape(hour) / mean;
}

/** Multiplier at epoch `t` in a zone: curve × weekend boost. */
export function activityAt(t: number, utcOffsetHours: number): number {
  const wd = localWeekday(t, utcOffsetHours);
  return diurnalFactor(localHour(t, utcOffsetHours)) * (wd === 0 || wd === 6 ? weekendBoost : 1);
}

/**
 * Event times in [from, to) of a Poisson process whose rate (events per hour) at time t is
 * `ratePerHour(t)`, never above `maxPerHour`. Thinning (Lewis & Shedler).
 */
export function poissonArrivals(rng: Rng, from: number, to: number, ratePerHour: (t: number) => number, maxPerHour: number): number[] {
  const times: number[] = [];
  if (!(maxPerHour > 0) || to <= from) return times;
  let t = from;
  for (;;) {
    t += rng.exponential(maxPerHour) * HOUR;
    if (t >= to) return times;
    if (rng.float() * maxPerHour < ratePerHour(t)) times.push(Math.floor(t));
  }
}
