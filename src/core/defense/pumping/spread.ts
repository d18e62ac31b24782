// How spread a country's legitimate numbers are over its number blocks, and from that the
// concentration thresholds. Legitimate numbers land in blocks roughly at random, so the count per
// block is Poisson; its mean is estimated from how often two numbers of the last week share a
// block (capped per block so a pumped block barely moves it), shrunk towards a prior for new
// countries. Thresholds are the smallest counts that chance alone would reach in fewer than
// `falseAlarmsPerWindow` blocks. Recomputed hourly, during the sweep that forgets old records.
import type { PumpingConfig } from './config.ts';
import { sumWindow } from './country-window.ts';
import { currentLevel, isActive } from './ladder.ts';
import { completionMean } from './baseline.ts';
import { concentrationThreshold } from './stats.ts';
import { suspensionKey, type BlockThresholds, type PrefixRec, type PumpingState, type SpreadStats } from './state.ts';

const DAY = 86_400_000;
/** Volume assumed for a country first seen since the last sweep (sizes its first thresholds). */
const NEW_COUNTRY_NUMBERS_PER_DAY = 10;

interface Tally {
  numbers: number;
  pairs: number;
}

/** Forgets numbers, blocks, sessions and suspensions past their windows; recomputes thresholds. */
export function sweep(st: PumpingState, now: number): void {
  const cfg = st.cfg;
  const oldest = now - cfg.concentration.weekMs;
  for (const [e164, n] of st.numbers) {
    if (n.lastSendAt >= oldest) continue;
    st.numbers.delete(e164);
    st.p4.get(n.p4)?.numbers.delete(n);
    st.p3.get(n.p3)?.numbers.delete(n);
  }
  for (const map of [st.p3, st.p4]) for (const [k, rec] of map) if (rec.numbers.size === 0) map.delete(k);
  const sessionHorizon = now - cfg.concentration.dayMs - cfg.resolveAfterMs;
  for (const [id, s] of st.sessions) if (s.lastSendAt < sessionHorizon) st.sessions.delete(id);
  for (const [k, s] of st.suspensions) if (currentLevel(s, now, cfg) === 0) st.suspensions.delete(k);
  recomputeSpread(st, now);
}

function tally(map: Map<string, PrefixRec>, st: PumpingState, cap: number): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const rec of map.values()) {
    // Blocks under suspension are what we are trying to detect: keep them out of "normal".
    if (st.suspensions.has(suspensionKey(rec.scope, rec.key))) continue;
    let t = out.get(rec.country);
    if (!t) out.set(rec.country, (t = { numbers: 0, pairs: 0 }));
    const c = Math.min(rec.numbers.size, cap);
    t.numbers += c;
    t.pairs += (c * (c - 1)) / 2;
  }
  return out;
}

export function recomputeSpread(st: PumpingState, now: number): void {
  const cfg = st.cfg;
  const spanDays = Math.min(Math.max((now - st.firstTime) / DAY, 1 / 24), cfg.concentration.weekMs / DAY);
  const t4 = tally(st.p4, st, cfg.concentration.spreadCap);
  const t3 = tally(st.p3, st, cfg.concentration.spreadCap);
  const distinct = new Map<string, number>();
  for (const n of st.numbers.values()) distinct.set(n.country, (distinct.get(n.country) ?? 0) + 1);
  st.spread.clear();
  for (const [country, count] of distinct) {
    const numbersPerDay = count / spanDays;
    const completion = thresholdCompletion(st, country, now);
    st.spread.set(country, {
      country,
      numbersPerDay,
      completion,
      p4: thresholds(cfg, t4.get(country), spanDays, numbersPerDay, completion, cfg.concentration.priorPerBlockDay),
      p3: thresholds(cfg, t3.get(country), spanDays, numbersPerDay, completion, cfg.concentration.priorPerBlockDay / 10),
    });
  }
}

/** Thresholds of a country, from the last sweep or, for a country new since then, the prior alone. */
export function spreadFor(st: PumpingState, country: string): SpreadStats {
  const known = st.spread.get(country);
  if (known) return known;
  const cfg = st.cfg;
  const completion = cfg.baseline.priorCompletion;
  const perDay = NEW_COUNTRY_NUMBERS_PER_DAY;
  const stats: SpreadStats = {
    country,
    numbersPerDay: perDay,
    completion,
    p4: thresholds(cfg, undefined, 1, perDay, completion, cfg.concentration.priorPerBlockDay),
    p3: thresholds(cfg, undefined, 1, perDay, completion, cfg.concentration.priorPerBlockDay / 10),
  };
  st.spread.set(country, stats);
  return stats;
}

function thresholds(cfg: PumpingConfig, t: Tally | undefined, spanDays: number, numbersPerDay: number, completion: number, prior: number): BlockThresholds {
  const c = cfg.concentration;
  const pairs = t?.pairs ?? 0;
  const numbers = t?.numbers ?? 0;
  // Mean numbers per block over the observed span: 2·pairs / numbers (size-biased Poisson), shrunk.
  const perSpan = (2 * pairs + c.priorWeight * prior * spanDays) / (numbers + c.priorWeight);
  const perBlockDay = perSpan / spanDays;
  const failedShare = Math.min(1, Math.max(0.05, 1 - completion));
  const weekDays = c.weekMs / DAY;
  const fa = c.falseAlarmsPerWindow;
  const dayN = numbersPerDay * (c.dayMs / DAY);
  const dayL = perBlockDay * (c.dayMs / DAY);
  return {
    perBlockDay,
    dayDistinct: concentrationThreshold(dayN, dayL, fa, c.minDistinct),
    dayFailed: concentrationThreshold(dayN * failedShare, dayL * failedShare, fa, c.minFailed),
    weekDistinct: concentrationThreshold(numbersPerDay * weekDays, perBlockDay * weekDays, fa, c.minDistinct),
    weekFailed: concentrationThreshold(numbersPerDay * weekDays * failedShare, perBlockDay * weekDays * failedShare, fa, c.minFailed),
  };
}

/**
 * Completion that sizes the failed-number thresholds: the baseline, or the last 6 hours when they
 * are lower and the country is not under suspicion. During a carrier outage failures are everywhere
 * and say little about blocks, so the thresholds rise with them.
 */
function thresholdCompletion(st: PumpingState, country: string, now: number): number {
  const cfg = st.cfg;
  let best = 0;
  let base = cfg.baseline.priorCompletion;
  let recentOk = 0;
  let recentBad = 0;
  let suspected = false;
  for (const cs of st.countries.values()) {
    if (cs.country !== country) continue;
    const s = st.suspensions.get(suspensionKey('country', cs.key));
    if (s && isActive(s, now, cfg)) suspected = true;
    const weight = cs.completion.ok + cs.completion.bad;
    if (weight >= best) {
      best = weight;
      const g = st.global[cs.channel];
      const prior = completionMean(g, cfg.baseline.priorCompletion, 10, now, cfg.baseline.completionHalfLifeMs);
      base = completionMean(cs.completion, prior, cfg.baseline.priorStrength, now, cfg.baseline.completionHalfLifeMs);
    }
    const w = sumWindow(cs.window, now - 6 * 3_600_000, now);
    recentOk += w.ok;
    recentBad += w.bad;
  }
  if (suspected || recentOk + recentBad < 10) return base;
  return Math.min(base, recentOk / (recentOk + recentBad));
}
