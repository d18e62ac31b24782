// What one simulated run measures (fraud.md §4.4). Plain data: the report, the gates and the
// tests all read these shapes.

export interface LegitMetrics {
  /** Journeys started in the measured period. */
  journeys: number;
  verified: number;
  completionRate: number;
  /** Never verified because of a block (invalid-number rejections excluded). */
  hardBlocked: number;
  hardBlockedRate: number;
  /** Blocked at least once, verified in the end. */
  blockedThenVerified: number;
  blockedThenVerifiedRate: number;
  /** Shown at least one CAPTCHA. */
  challenged: number;
  challengedRate: number;
  /** Gave up at a CAPTCHA. */
  lostAtChallenge: number;
  /** Journeys a detector (pumping, velocity, reputation) blocked or challenged at least once. */
  touchedByDetectors: number;
  /** USD sent to legitimate users. */
  cost: number;
  /** Completion rate minus the baseline run's, percentage points (null for the baseline itself). */
  completionDeltaPp: number | null;
  /** Paired with the baseline: journeys verified there and not here (collateral of the attack). */
  collateralLost: number | null;
}

export interface AttackMetrics {
  family: string;
  /** Run (c): the unimpeded schedule. */
  unimpededSends: number;
  unimpededCost: number;
  /** Run (b): what actually went out. */
  sends: number;
  cost: number;
  /** 1 − cost / unimpeded cost. */
  spendBlocked: number;
  /** 1 − sends / unimpeded sends. */
  requestsBlocked: number;
  /** USD sent before the first detector block or challenge (all of it when never detected). */
  lossBeforeDetection: number;
  lossTotal: number;
  /** USD per hour sent after detection, until the attack's planned end. */
  leakagePerHourAfterDetection: number | null;
  /** Minutes and successful sends from attack start to the first detector-originated block/challenge. */
  ttdMinutes: number | null;
  ttdSends: number | null;
  detectedBy: string | null;
  /** First refusal by a static rule (number type, country, channel), reported apart. */
  staticFirstMinutes: number | null;
  refusals: { detector: number; static: number; cap: number; challenge: number; throttle: number; other: number };
  /** First 5-minute window after which every window has ≥95 % of attack cost blocked. */
  containmentMinutes: number | null;
  captchaSolves: number;
  captchaCost: number;
  /** Revenue share × cost sent − CAPTCHA cost; the defense wins when ≤ 0. */
  attackerNet: number;
  /** Voice only: minutes billed. */
  billedMinutes: number;
}

export interface SuspensionRecord {
  kind: string;
  value: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number | null;
}

export interface DefenseMetrics {
  /** Automatic suspensions (reputation entries created by detectors) during the run. */
  suspensions: number;
  suspensionDetails: SuspensionRecord[];
  /** Refusal events by a defense reason: how many carry a machine-readable reason and rule id. */
  explainedRefusals: number;
  defenseRefusals: number;
  explainability: number | null;
  /** Minutes from attack end until every detector suspension is lifted (0: none left; null: no attack). */
  recoveryMinutes: number | null;
  /** Refusals by rule id, all actors. */
  refusalsByRule: Record<string, number>;
}

export type RunKind = 'baseline' | 'stress' | 'attack';

export interface RunResult {
  id: string;
  title: string;
  kind: RunKind;
  seed: number;
  allowlist: 'realistic' | 'all';
  legit: LegitMetrics;
  attack: AttackMetrics | null;
  defense: DefenseMetrics;
  /** HTTP requests the run made. */
  requests: number;
}
