// What normal looks like for one country and channel: sessions per hour (a deseasonalised level
// times an hour-of-week factor, both EWMA) and the completion rate (decayed beta counts shrunk to
// a global prior). Learning is fed by the detector once per closed hour and per settled session,
// and is paused while the scope is suspended so an attacker cannot drag the baseline.
import type { PumpingConfig } from './config.ts';
import { decay, halfLifeAlpha } from './stats.ts';

const HOUR = 3_600_000;
const WEEK_HOURS = 168;
/** Pseudo-sessions that pull a thinly observed seasonal factor towards 1. */
const SEASON_SHRINK = 2;

export interface VolumeBaseline {
  /** Deseasonalised sessions per hour. */
  level: number;
  hoursLearned: number;
  /** Per hour of week (168) and hour of day (24): decayed sums of sessions seen and of level expected. */
  weekSeen: number[];
  weekLevel: number[];
  weekVisits: number[];
  daySeen: number[];
  dayLevel: number[];
  dayVisits: number[];
}

export function newVolumeBaseline(): VolumeBaseline {
  const zeros = (n: number) => new Array<number>(n).fill(0);
  return {
    level: 0,
    hoursLearned: 0,
    weekSeen: zeros(WEEK_HOURS),
    weekLevel: zeros(WEEK_HOURS),
    weekVisits: zeros(WEEK_HOURS),
    daySeen: zeros(24),
    dayLevel: zeros(24),
    dayVisits: zeros(24),
  };
}

export const hourIndex = (t: number): number => Math.floor(t / HOUR);
const weekSlot = (hour: number): number => ((hour % WEEK_HOURS) + WEEK_HOURS) % WEEK_HOURS;
const daySlot = (hour: number): number => ((hour % 24) + 24) % 24;

/** Seasonal factor of an hour: hour-of-week once seen often enough, else hour-of-day, else 1. */
export function seasonalFactor(b: VolumeBaseline, hour: number, cfg: PumpingConfig): number {
  const w = weekSlot(hour);
  if (b.weekVisits[w]! >= cfg.baseline.minSeasonVisits) return (b.weekSeen[w]! + SEASON_SHRINK) / (b.weekLevel[w]! + SEASON_SHRINK);
  const d = daySlot(hour);
  if (b.dayVisits[d]! >= cfg.baseline.minSeasonVisits) return (b.daySeen[d]! + SEASON_SHRINK) / (b.dayLevel[d]! + SEASON_SHRINK);
  return 1;
}

/** Sessions expected in hour `hour` (epoch hours), never below the configured floor. */
export function expectedPerHour(b: VolumeBaseline, hour: number, cfg: PumpingConfig): number {
  return Math.max(b.level * seasonalFactor(b, hour, cfg), cfg.baseline.minExpectedPerHour);
}

/** Folds one closed hour with `count` sessions into the baseline. */
export function learnHour(b: VolumeBaseline, hour: number, count: number, cfg: PumpingConfig): void {
  const factor = Math.max(seasonalFactor(b, hour, cfg), 0.05);
  const expected = b.level * factor;
  // Clip what one hour may teach, so a flash crowd or a slow ramp moves the level only a little.
  const x = b.hoursLearned > 0 ? Math.min(count, Math.max(expected * cfg.baseline.winsorizeRatio, expected + 10)) : count;
  // A running mean at first (new countries converge in hours), then the configured half-life.
  const alpha = Math.max(halfLifeAlpha(cfg.baseline.levelHalfLifeMs / HOUR), 1 / (b.hoursLearned + 1));
  const levelBefore = b.level;
  b.level += alpha * (x / factor - b.level);
  b.hoursLearned++;
  const ref = levelBefore > 0 ? levelBefore : b.level;
  const w = weekSlot(hour);
  const keepW = 1 - cfg.baseline.hourOfWeekAlpha;
  b.weekSeen[w] = b.weekSeen[w]! * keepW + x;
  b.weekLevel[w] = b.weekLevel[w]! * keepW + ref;
  b.weekVisits[w]!++;
  const d = daySlot(hour);
  const keepD = 1 - cfg.baseline.hourOfDayAlpha;
  b.daySeen[d] = b.daySeen[d]! * keepD + x;
  b.dayLevel[d] = b.dayLevel[d]! * keepD + ref;
  b.dayVisits[d]!++;
}

/** Completion as decayed counts of verified and failed sessions. */
export interface CompletionBaseline {
  ok: number;
  bad: number;
  at: number;
}

export function newCompletionBaseline(at: number): CompletionBaseline {
  return { ok: 0, bad: 0, at };
}

/** Adds (or with `weight` −1 removes) one settled session. */
export function addOutcome(b: CompletionBaseline, ok: boolean, t: number, halfLifeMs: number, weight = 1): void {
  if (t > b.at) {
    const d = decay(t - b.at, halfLifeMs);
    b.ok *= d;
    b.bad *= d;
    b.at = t;
  }
  if (ok) b.ok = Math.max(0, b.ok + weight);
  else b.bad = Math.max(0, b.bad + weight);
}

/** Posterior mean completion at `now`, shrunk towards `priorMean` with `strength` pseudo-sessions. */
export function completionMean(b: CompletionBaseline, priorMean: number, strength: number, now: number, halfLifeMs: number): number {
  const d = decay(now - b.at, halfLifeMs);
  return (b.ok * d + strength * priorMean) / ((b.ok + b.bad) * d + strength);
}

/** Sessions the decayed counts stand for (how much the country's own history weighs). */
export function completionWeight(b: CompletionBaseline, now: number, halfLifeMs: number): number {
  return (b.ok + b.bad) * decay(now - b.at, halfLifeMs);
}
