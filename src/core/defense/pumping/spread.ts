// How spread a country's legitimate numbers are over its number blocks, and from that the
// concentration thresholds. Legitimate numbers land in blocks roughly at random, so the count per
// block is Poisson; its mean is estimated from the histogram of block counts of the last week
// (a ratio estimator that never looks at full blocks, so pumped ones do not move it), shrunk
// towards a prior for new countries. Thresholds are the smallest counts that chance alone would reach in fewer than
// `falseAlarmsPerWindow` blocks. Recomputed hourly, during the sweep that forgets old records.
import type { PumpingConfig } from './config.ts';
import { sumWindow } from './country-window.ts';
import { currentLevel, forgottenAt, type SuspensionState } from './ladder.ts';
import { countryAlert } from './alert.ts';
import { baselineCompletion } from './learning.ts';
import { concentrationThreshold, poissonUpperTail } from './stats.ts';
import { suspensionKey, type BlockThresholds, type PrefixRec, type PumpingState, type SpreadStats } from './state.ts';

const DAY = 86_400_000;
/** Volume assumed for a country first seen since the last sweep (sizes its first thresholds). */
const NEW_COUNTRY_NUMBERS_PER_DAY = 10;

/** Per country: how many blocks hold exactly k numbers (k capped at HIST - 1). */
type Histogram = number[];
const HIST = 65;

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
  for (const [k, s] of st.suspensions) if (currentLevel(s, now, cfg) === 0) forget(st, k, s);
  recomputeSpread(st, now);
}

/**
 * Per country, the histogram of verified numbers per block. Verified numbers only: a slow campaign
 * fills blocks with a few numbers each, just like a dense country, but its numbers never verify.
 */
/** Drops a fully stepped-down suspension; its block starts again from a clean slate. */
export function forget(st: PumpingState, key: string, s: SuspensionState): void {
  st.suspensions.delete(key);
  if (s.scope === 'country') return;
  const rec = (s.scope === 'prefix4' ? st.p4 : st.p3).get(s.key);
  if (rec) rec.clearedAt = Math.max(rec.clearedAt, forgottenAt(s, st.cfg));
}

function histograms(map: Map<string, PrefixRec>, st: PumpingState): Map<string, Histogram> {
  const out = new Map<string, Histogram>();
  for (const rec of map.values()) {
    // Blocks under suspension are what we are trying to detect: keep them out of "normal".
    if (st.suspensions.has(suspensionKey(rec.scope, rec.key))) continue;
    let verified = 0;
    for (const n of rec.numbers) if (n.lastVerifiedAt >= 0) verified++;
    if (verified === 0) continue;
    let h = out.get(rec.country);
    if (!h) out.set(rec.country, (h = new Array<number>(HIST).fill(0)));
    h[Math.min(verified, HIST - 1)]!++;
  }
  return out;
}

/**
 * Mean numbers per block over the retained span, from the block-count histogram. For Poisson
 * counts k·P(k) = μ·P(k − 1), so μ = Σ_{k=2..K} k·n_k / Σ_{k=1..K−1} n_k for any cut K: blocks above
 * K (pumped ones) do not enter at all. K is the configured cap, raised until it covers half the
 * blocks so dense countries are still measured. Shrunk towards `priorPerSpan` with `weight`.
 */
export function perBlockMean(h: Histogram | undefined, cap: number, priorPerSpan: number, weight: number): number {
  if (!h) return priorPerSpan;
  const total = h.reduce((a, x) => a + x, 0);
  let k = Math.max(2, cap);
  let covered = 0;
  for (let i = 1; i <= k; i++) covered += h[i]!;
  while (k < HIST - 2 && covered < total / 2) covered += h[++k]!;
  let num = 0;
  let den = 0;
  for (let i = 2; i <= k; i++) num += i * h[i]!;
  for (let i = 1; i < k; i++) den += h[i]!;
  return (num + weight * priorPerSpan) / (den + weight);
}

export function recomputeSpread(st: PumpingState, now: number): void {
  const cfg = st.cfg;
  const spanDays = Math.min(Math.max((now - st.firstTime) / DAY, 1 / 24), cfg.concentration.weekMs / DAY);
  const h4 = histograms(st.p4, st);
  const h3 = histograms(st.p3, st);
  // Legitimate volume, from verified numbers (a campaign's never verify) scaled by completion.
  const verified = new Map<string, number>();
  for (const n of st.numbers.values()) verified.set(n.country, (verified.get(n.country) ?? 0) + (n.lastVerifiedAt >= 0 ? 1 : 0));
  st.spread.clear();
  for (const [country, count] of verified) {
    const completion = thresholdCompletion(st, country, now);
    const numbersPerDay = Math.max(count / Math.min(1, Math.max(0.2, completion)), NEW_COUNTRY_NUMBERS_PER_DAY * spanDays) / spanDays;
    st.spread.set(country, {
      country,
      numbersPerDay,
      completion,
      p4: thresholds(cfg, h4.get(country), spanDays, numbersPerDay, completion, cfg.concentration.priorPerBlockDay),
      p3: thresholds(cfg, h3.get(country), spanDays, numbersPerDay, completion, cfg.concentration.priorPerBlockDay / 10),
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

function thresholds(cfg: PumpingConfig, h: Histogram | undefined, spanDays: number, numbersPerDay: number, completion: number, prior: number): BlockThresholds {
  const c = cfg.concentration;
  // Verified numbers are the completed share of all legitimate ones.
  const share = Math.min(1, Math.max(0.2, completion));
  const perBlockDay = perBlockMean(h, c.spreadCap, prior * spanDays * share, c.priorWeight) / spanDays / share;
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
    alertUnverified: alertThreshold(numbersPerDay * (c.campaignWindowMs / DAY), perBlockDay * weekDays * failedShare, c.alertFalseAlarmsPerWindow),
  };
}

/**
 * Completion that sizes the failed-number thresholds: the baseline, or the last 6 hours when they
 * are lower and the country is not on alert. During a carrier outage failures are everywhere
 * and say little about blocks, so the thresholds rise with them.
 */
function thresholdCompletion(st: PumpingState, country: string, now: number): number {
  const cfg = st.cfg;
  let best = 0;
  let base = cfg.baseline.priorCompletion;
  let recentOk = 0;
  let recentBad = 0;
  const suspected = countryAlert(st, country, now);
  for (const cs of st.countries.values()) {
    if (cs.country !== country) continue;
    const weight = cs.completion.ok + cs.completion.bad;
    if (weight >= best) {
      best = weight;
      base = baselineCompletion(st, cs, now);
    }
    const w = sumWindow(cs.window, now - 6 * 3_600_000, now);
    recentOk += w.ok;
    recentBad += w.bad;
  }
  if (suspected || recentOk + recentBad < 10) return base;
  return Math.min(base, recentOk / (recentOk + recentBad));
}

/**
 * On alert, a block is suspended when a send finds k − 1 other unverified numbers in it over the
 * week. Legitimate sends during one alert period find that many with P(Pois(λ) ≥ k − 1); keep the
 * expected number of them under the budget.
 */
function alertThreshold(sendsPerAlert: number, unverifiedPerBlockWeek: number, budget: number): number {
  for (let k = 2; k < 1000; k++) if (sendsPerAlert * poissonUpperTail(k - 1, unverifiedPerBlockWeek) <= budget) return k;
  return 1000;
}
