// The backtest report: what the candidate rule set would have decided over a recorded range,
// per label (legitimate-looking / suspicious / pending), against what was decided then. This is
// the JSON shape `tollgate backtest --json` prints (docs/backtest.md describes every field).
import type { DefenseAction } from '../defense/decision.ts';
import type { RuleMode } from '../defense/defense-config.ts';
import type { SkipReason } from './attempt.ts';
import type { Label } from './labels.ts';
import type { Change } from './outcome.ts';
import type { ReputationMode } from './reputation-timeline.ts';

export type ByLabel<T> = Record<Label, T>;
export type ActionCounts = Record<DefenseAction, number>;

export interface LabelSummary {
  /** Replayed attempts (sends that reached the defense) in the range. */
  attempts: number;
  /** Distinct sessions among them. */
  journeys: number;
  /** Attempts that went out (`code.sent`), and what they cost. */
  sent: number;
  spend: number;
  recorded: ActionCounts;
  candidate: ActionCounts;
}

export interface RuleRow {
  rule: string;
  /** Attempts whose candidate decision this rule leads (the strongest enforced reason). */
  wouldBlock: ByLabel<number>;
  wouldChallenge: ByLabel<number>;
  /** Of those, the ones that were not blocked / were allowed when recorded. */
  newlyBlocked: ByLabel<number>;
  newlyChallenged: ByLabel<number>;
  /** Attempts this rule refused when recorded that the candidate allows. */
  newlyAllowed: ByLabel<number>;
  /** Attempts this rule blocked when recorded that the candidate only challenges. */
  eased: ByLabel<number>;
  /** Reasons of this rule in shadow mode in the candidate (reported, not enforced). */
  shadowBlock: ByLabel<number>;
  shadowChallenge: ByLabel<number>;
  /** Recorded cost of suspicious sends this rule would stop (block or challenge). */
  suspiciousSpendStopped: number;
}

export interface AffectedRow {
  /** ISO region, or the 10,000-number block. */
  key: string;
  /** Attempts the candidate would block or challenge. */
  stopped: ByLabel<number>;
  /** Of those, the ones that were allowed when recorded. */
  newlyStopped: ByLabel<number>;
  suspiciousSpendStopped: number;
}

export interface SpendSummary {
  currency: string;
  /** Recorded cost of the sends that went out, by label. */
  spent: ByLabel<number>;
  /** Recorded cost of suspicious sends the candidate would block. */
  suspiciousSavedByBlocks: number;
  /** … or challenge (saved only if the CAPTCHA holds: an upper bound). */
  suspiciousSavedByChallenges: number;
  /** The same for legitimate-looking sends: money saved by turning users away. */
  legitStoppedSpend: number;
  /** Estimated cost of attempts refused when recorded that the candidate would let out. */
  newlyAllowedCost: ByLabel<number>;
  /** Legitimate-looking journeys (sessions) the candidate would block at least once / only challenge. */
  legitJourneys: number;
  legitJourneysBlocked: number;
  legitJourneysChallenged: number;
  /** Of those, journeys that were not blocked / not refused at all when recorded. */
  legitJourneysNewlyBlocked: number;
  legitJourneysNewlyChallenged: number;
}

/** One attempt, for an operator to look up (the number is masked; the session id finds its events). */
export interface SampleAttempt {
  time: string;
  sessionId: string | null;
  number: string;
  country: string;
  channel: string;
  recorded: DefenseAction;
  candidate: DefenseAction;
  /** The rule behind the candidate's refusal (newly blocked) or behind the recorded one (newly allowed). */
  rule: string | null;
}

export interface BacktestReport {
  range: {
    since: string;
    until: string;
    /** Replayed through the candidate without being reported, so its counters start warm. */
    warmupFrom: string;
    /** The pumping detector learned from events since this instant (as start-up does). */
    seededFrom: string;
    /** Labels look at verifications up to this instant. */
    labelsUntil: string;
  };
  candidate: {
    /** The candidate configuration file, or `current configuration`. */
    source: string;
    defenseEnabled: boolean;
    /** Mode of each rule under the global settings (per-policy overrides may differ). */
    modes: Record<string, RuleMode>;
  };
  options: {
    policy: string | null;
    reputation: ReputationMode;
    labelWindowHours: number;
  };
  events: {
    /** Events in the range (warm-up and label look-ahead not included). */
    inRange: number;
    attempts: number;
    skipped: Record<SkipReason, number>;
    /** Attempts of other policies (replayed, not reported) when a policy was chosen. */
    otherPolicies: number;
  };
  labels: ByLabel<LabelSummary>;
  changes: ByLabel<Record<Change, number>>;
  spend: SpendSummary;
  rules: RuleRow[];
  countries: AffectedRow[];
  prefixes: AffectedRow[];
  /** The first few attempts of the changes an operator should look at before enforcing. */
  samples: {
    legitNewlyBlocked: SampleAttempt[];
    legitNewlyChallenged: SampleAttempt[];
    suspiciousNewlyAllowed: SampleAttempt[];
  };
}
