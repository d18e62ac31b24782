// The two verdicts the detector acts on.
// Block level (10k and 1k blocks): concentration. Legitimate numbers almost never share a block,
// so many distinct numbers in one block is suspicious whatever their conversion (level 1,
// challenge); many that failed, or concentration plus failures, is pumping (level 2, block). A
// concentrated block that converts like real users (a company's adjacent numbers) is left alone.
// While the country is on alert, a few unverified numbers in a block in a week (two in most
// countries) and no success is enough. Country level: volume above the seasonal expectation AND completion far below the
// baseline, in any of a few windows; either alone (flash crowd, carrier outage) is not enough.
import type { PumpingConfig } from './config.ts';
import { expectedPerHour } from './baseline.ts';
import { baselineCompletion, countryProven } from './learning.ts';
import { BUCKET_MS, bucketAt, sumWindow } from './country-window.ts';
import type { Figures, SuspensionState } from './ladder.ts';
import { poissonUpperTail, wilson } from './stats.ts';
import { keptApart, numberStatus, type CountryState, type PrefixRec, type PumpingState, type SpreadStats } from './state.ts';

const HOUR = 3_600_000;

export interface Verdict {
  /** 0 nothing, 1 challenge, 2 block (prefixes) / suspicious (countries). */
  level: number;
  signal: string;
  figures: Figures;
}

/** Judges one block, counting `candidate` (the number about to be sent to) as one more number. */
export function judgeBlock(st: PumpingState, rec: PrefixRec, spread: SpreadStats, candidate: string | null, alert: boolean, now: number): Verdict {
  const cfg = st.cfg;
  const th = rec.scope === 'prefix4' ? spread.p4 : spread.p3;
  const dayStart = now - cfg.concentration.dayMs;
  let day = 0;
  let week = 0;
  let ok = 0;
  let okDay = 0;
  let badDay = 0;
  let badWeek = 0;
  let overdue = 0;
  let pendingDay = 0;
  let candidateSeen = false;
  let candidateInDay = false;
  for (const n of rec.numbers) {
    // A block whose suspension was forgotten starts again: older sends no longer count.
    if (n.lastSendAt < rec.clearedAt) continue;
    const inDay = n.lastSendAt >= dayStart;
    if (n.e164 === candidate) {
      candidateSeen = true;
      candidateInDay = inDay;
    }
    const status = numberStatus(n, now, cfg);
    week++;
    if (inDay) day++;
    if (status === 'ok') {
      ok++;
      if (inDay) okDay++;
    } else if (status === 'bad') {
      badWeek++;
      if (inDay) badDay++;
    } else if (status === 'overdue' && inDay) overdue++;
    else if (status === 'pending' && inDay && n.e164 !== candidate) pendingDay++;
  }
  // The number about to be sent to is one more distinct number (today, at least).
  if (candidate !== null && !candidateSeen) week++;
  const candidateNew = candidate !== null && !candidateInDay;
  if (candidateNew) day++;
  const failing = badDay + overdue;
  // Slow campaigns touch a block a couple of times a day: on alert, look back over the week.
  const unverified = badWeek + overdue + pendingDay + (candidate !== null && !candidateSeen ? 1 : 0);
  const settled = ok + badWeek + overdue;
  const figures: Figures = {
    numbers24h: day,
    numbers7d: week,
    verified: ok,
    failed24h: badDay,
    failed7d: badWeek,
    overdue,
    thresholdDistinct24h: th.dayDistinct,
    thresholdFailed24h: th.dayFailed,
    thresholdDistinct7d: th.weekDistinct,
    thresholdFailed7d: th.weekFailed,
    thresholdAlert7d: th.alertUnverified,
    expectedPerBlockDay: round(th.perBlockDay),
    countryAlert: alert,
  };
  const converting = ok >= 2 && ok >= cfg.concentration.convertingShare * settled;
  if (converting) return { level: 0, signal: 'converting', figures };
  if (badDay >= th.dayFailed || badWeek >= th.weekFailed) return { level: 2, signal: 'failed-concentration', figures };
  const concentrated = day >= th.dayDistinct || week >= th.weekDistinct;
  if (concentrated && failing >= 2 && okDay < cfg.concentration.convertingShare * (okDay + failing)) {
    return { level: 2, signal: 'concentration-failing', figures };
  }
  if (concentrated) return { level: 1, signal: 'concentration', figures };
  if (alert && ok === 0 && unverified >= th.alertUnverified) return { level: 2, signal: 'country-alert', figures };
  return { level: 0, signal: 'none', figures };
}

/** Sessions the baseline expects in [from, to). */
export function expectedSessions(cs: CountryState, from: number, to: number, cfg: PumpingConfig): number {
  let total = 0;
  for (let h = Math.floor(from / HOUR); h * HOUR < to; h++) {
    const start = Math.max(from, h * HOUR);
    const end = Math.min(to, (h + 1) * HOUR);
    if (end > start) total += (expectedPerHour(cs.volume, h, cfg) * (end - start)) / HOUR;
  }
  return total;
}

export interface CountryVerdict extends Verdict {
  /** The looser alert bar was met: the country's blocks should need less evidence for a while. */
  alert: boolean;
}

/**
 * Judges a country's channel over each window (starting no earlier than `from`, e.g. the end of
 * a previous suspension, with the lighter evidence bar of probation when `relaxed`). Also says
 * whether the looser alert bar is met, which only lowers the bar for the country's blocks.
 */
export function judgeCountry(st: PumpingState, cs: CountryState, now: number, from: number, relaxed: boolean): CountryVerdict {
  const cfg = st.cfg;
  const c = cfg.country;
  const base = baselineCompletion(st, cs, now);
  // A destination where nobody verified lately has no legitimate traffic whose volume could be
  // "up": any session is excess, and completion alone decides, at the looser bar.
  const proven = countryProven(st, cs, now);
  const loose = { z: c.alert.wilsonZ, alpha: c.alert.volumeAlpha, minFailed: c.alert.minFailed, minExcess: c.alert.minExcessSessions };
  const strict = proven ? { z: c.wilsonZ, alpha: c.volumeAlpha, minFailed: relaxed ? c.probationMinFailed : c.minFailed, minExcess: relaxed ? 2 : c.minExcessSessions } : loose;
  let alert = false;
  let last: Figures | null = null;
  for (const w of c.windowsMs) {
    // Start after the bucket holding `from`: that bucket still holds what set the suspension off.
    const start = Math.max(now - w, Number.isFinite(from) ? Math.ceil(from / BUCKET_MS) * BUCKET_MS : from);
    if (now - start < 60_000) continue;
    const counts = sumWindow(cs.window, start, now);
    // Sessions not settled yet but already a minute without a code check count as failing: an
    // attack then shows up a minute earlier than the abandonment window would let it.
    counts.bad += overdueSessions(st, cs, start, now);
    const expected = expectedSessions(cs, start, now, cfg);
    const settled = counts.ok + counts.bad;
    const completion = settled > 0 ? counts.ok / settled : null;
    const pVolume = poissonUpperTail(counts.sessions, expected);
    const volumeUp = (bar: typeof strict): boolean =>
      !proven || (counts.sessions >= expected * c.minVolumeRatio && counts.sessions - expected >= bar.minExcess && pVolume <= bar.alpha);
    const meets = (bar: typeof strict): boolean =>
      volumeUp(bar) && counts.bad >= bar.minFailed && wilson(counts.ok, settled, bar.z).upper < base * (1 - c.completionDrop);
    const figures: Figures = {
      windowMinutes: Math.round((now - start) / 60_000),
      sessions: counts.sessions,
      expectedSessions: round(expected),
      volumeP: round(pVolume),
      verified: counts.ok,
      failed: counts.bad,
      observedCompletion: completion === null ? null : round(completion),
      baselineCompletion: round(base),
      abandoned: counts.abandoned,
      unsolvedChallenges: counts.unsolved,
      wrongCodes: counts.wrongCodes,
      provenDestination: proven,
    };
    if (meets(strict)) return { level: 1, signal: proven ? 'volume-up-completion-down' : 'unproven-completion-down', figures, alert: true };
    alert ||= meets(loose);
    last = figures;
  }
  return { level: 0, signal: 'none', figures: last ?? { baselineCompletion: round(base) }, alert };
}

/**
 * The country's sessions verify like its baseline again: among its latest settled sessions of the
 * episode of suspension `s` (`country.recoverySessions` of them, newest first), at least
 * `country.recoveryVerified` verified and completion is not far below the baseline. Unsolved
 * challenges count as failed sessions, so a campaign that keeps running into the challenge never
 * looks recovered; legitimate users who solve it and verify do, once they outnumber it.
 */
export function countryRecovered(st: PumpingState, cs: CountryState, s: SuspensionState, now: number): boolean {
  const cfg = st.cfg;
  const since = Math.max(s.episodeStart, now - cfg.concentration.dayMs);
  let bad = overdueSessions(st, cs, since, now);
  let ok = 0;
  for (let t = now; t >= since && ok + bad < cfg.country.recoverySessions; t -= BUCKET_MS) {
    const b = bucketAt(cs.window, t, false);
    if (!b) continue;
    ok += b.ok - b.xOk;
    bad += b.bad - b.xBad;
  }
  if (ok < cfg.country.recoveryVerified) return false;
  return ok / (ok + bad) >= baselineCompletion(st, cs, now) * (1 - cfg.country.completionDrop);
}

function overdueSessions(st: PumpingState, cs: CountryState, from: number, now: number): number {
  let n = 0;
  for (const s of cs.recent) {
    if (s.startAt >= from && s.status === 'pending' && !keptApart(s) && s.lastAttemptAt < 0 && now - s.lastSendAt >= st.cfg.overdueAfterMs) n++;
  }
  return n;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
