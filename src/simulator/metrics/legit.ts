// Legitimate-user metrics of a run (fraud.md §4.4 item 4) over journeys started in the measured
// period, and the paired comparison with the baseline run (a).
import type { JourneyOutcome } from '../legit/journey.ts';
import type { LegitMetrics } from './types.ts';

const rate = (n: number, d: number) => (d ? n / d : 0);

/** `touched`: indexes (into `outcomes`) of journeys a detector refused at least once. */
export function legitMetrics(outcomes: readonly JourneyOutcome[], touched: ReadonlySet<number> = new Set()): LegitMetrics {
  let journeys = 0, verified = 0, hardBlocked = 0, blockedThenVerified = 0, challenged = 0, lostAtChallenge = 0, touchedByDetectors = 0, cost = 0;
  outcomes.forEach((o, i) => {
    if (!o.measured) return;
    journeys++;
    if (o.verified) verified++;
    if (o.hardBlocked) hardBlocked++;
    if (o.blocked && o.verified) blockedThenVerified++;
    if (o.challenged) challenged++;
    if (o.lostAtChallenge) lostAtChallenge++;
    if (touched.has(i)) touchedByDetectors++;
    cost += o.cost;
  });
  return {
    journeys,
    verified,
    completionRate: rate(verified, journeys),
    hardBlocked,
    hardBlockedRate: rate(hardBlocked, journeys),
    blockedThenVerified,
    blockedThenVerifiedRate: rate(blockedThenVerified, journeys),
    challenged,
    challengedRate: rate(challenged, journeys),
    lostAtChallenge,
    touchedByDetectors,
    cost: Math.round(cost * 1e4) / 1e4,
    completionDeltaPp: null,
    collateralLost: null,
  };
}

/** Keys of the measured journeys that verified (what the baseline pairs against). */
export function verifiedKeys(outcomes: readonly JourneyOutcome[]): string[] {
  return outcomes.filter((o) => o.measured && o.verified).map((o) => o.key);
}

/**
 * Fills the comparison with baseline (a): completion delta in percentage points, and collateral =
 * journeys that verified in (a) but not here (only journeys both runs share count).
 */
export function compareWithBaseline(run: LegitMetrics, runVerified: readonly string[], runKeys: ReadonlySet<string> | null, base: LegitMetrics, baseVerified: readonly string[]): LegitMetrics {
  const here = new Set(runVerified);
  const collateralLost = baseVerified.filter((k) => (runKeys === null || runKeys.has(k)) && !here.has(k)).length;
  return { ...run, completionDeltaPp: Math.round((run.completionRate - base.completionRate) * 1e6) / 1e4, collateralLost };
}
