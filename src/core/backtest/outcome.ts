// One replayed attempt: what was decided when it happened and what the candidate decides now,
// with the facts the report groups by. Compact, because a long range keeps one per attempt.
import type { DefenseAction } from '../defense/decision.ts';
import type { Channel } from '../events/event.ts';
import type { RecordedDecision } from './attempt.ts';

export interface CandidateDecision {
  action: DefenseAction;
  /** The strongest enforced refusing reason's rule, or null when allowed. */
  rule: string | null;
  /** Reasons the candidate reports but does not enforce (rules in shadow mode) that would refuse. */
  shadow: { rule: string; action: 'challenge' | 'block' }[];
}

export interface AttemptOutcome {
  time: number;
  sessionId: string | null;
  e164: string;
  userIdHash: string | null;
  /** ISO region of the number, `001` for non-geographic ones. */
  region: string;
  /** The 10,000-number block (E.164 minus its last 4 digits). */
  prefix4: string;
  channel: Channel;
  policyId: string | null;
  sent: boolean;
  /** What the send cost (`code.sent` events; 0 for refused attempts). */
  recordedCost: number;
  /** What it would cost under the price table (for attempts the candidate newly allows). */
  estimatedCost: number;
  recorded: RecordedDecision;
  candidate: CandidateDecision;
}

export type Change = 'newlyBlocked' | 'newlyChallenged' | 'newlyAllowed' | 'blockToChallenge' | 'unchanged';

export const changes: readonly Change[] = ['newlyBlocked', 'newlyChallenged', 'newlyAllowed', 'blockToChallenge', 'unchanged'];

/** How the candidate's action differs from the recorded one. */
export function changeOf(recorded: DefenseAction, candidate: DefenseAction): Change {
  if (recorded === candidate) return 'unchanged';
  if (candidate === 'block') return 'newlyBlocked';
  if (candidate === 'allow') return 'newlyAllowed';
  return recorded === 'allow' ? 'newlyChallenged' : 'blockToChallenge';
}
