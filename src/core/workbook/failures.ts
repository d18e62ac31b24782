// The one definition of a "failure" the workbook counts, and the other per-event facts its rollups
// add up (sends, first sends, verified sessions, spend). The SQLite adapter builds its SQL from these
// lists, so the definition lives here only (documented in docs/workbook.md).
import type { TollgateEvent } from '../events/event.ts';
import { numberPrefix } from '../defense/phone-keys.ts';

/**
 * Phone events that can fail. `session.cancelled` is left out on purpose: the user chose to stop,
 * nothing was refused. Unlike the stock B2C workbook (voice calls only), SMS and voice both count.
 */
export const FAILURE_TYPES = [
  'code.send_refused',
  'code.rejected',
  'session.failed',
  'session.expired',
  'delivery.status',
] as const;

/** B2C's `Result != "success"`: refused / failed, or malformed input (`clientError`). */
export const FAILURE_OUTCOMES = ['failure', 'client_error'] as const;

/** The reason the "Blocked due to bad reputation" panel keys on (the stock workbook's filter text). */
export const BAD_REPUTATION_REASON = 'bad_reputation';

export const CODE_SENT = 'code.sent';
export const SESSION_VERIFIED = 'session.verified';

type EventFacts = Pick<TollgateEvent, 'type' | 'outcome'>;

export function isFailure(e: EventFacts): boolean {
  return (FAILURE_TYPES as readonly string[]).includes(e.type) && (FAILURE_OUTCOMES as readonly string[]).includes(e.outcome);
}

/**
 * The send that puts a session into "sessions with a code sent": `details.sendCount` is 1 on a
 * session's first successful send (a send the provider refused is reverted, so the next one is 1
 * again). A `code.sent` without a count is taken as a first send.
 */
export function isFirstSend(e: Pick<TollgateEvent, 'type' | 'details'>): boolean {
  if (e.type !== CODE_SENT) return false;
  const count = e.details?.sendCount;
  return count === undefined || count === null || count === 1;
}

/** Number block for the prefix panels: E.164 minus its last 4 digits (the defense's `prefix4`). */
export function phonePrefix(e164: string): string {
  return numberPrefix(e164, 4);
}

/** Events a rollup must see: failures, sends and verified sessions (nothing else feeds a panel). */
export function feedsWorkbook(e: EventFacts): boolean {
  return isFailure(e) || e.type === CODE_SENT || e.type === SESSION_VERIFIED;
}
