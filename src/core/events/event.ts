// The event every step writes: the data the workbook, alerts and fraud detection read.
// Schema documented in docs/events.md; keep the two in step.
import type { ReasonCode } from './reason-codes.ts';

/** A telephony channel: what the phone factor, the defense rules and the price table deal in. */
export type Channel = 'sms' | 'voice';

/** The channel a one-time code travels on: a telephony channel, or email (docs/factors.md). */
export type CodeChannel = Channel | 'email';

export const EventType = {
  SESSION_CREATED: 'session.created',
  CODE_SENT: 'code.sent',
  /** A send that was refused before any money was spent (invalid number, country, limits). */
  SEND_REFUSED: 'code.send_refused',
  CODE_VERIFIED: 'code.verified',
  CODE_REJECTED: 'code.rejected',
  DELIVERY_STATUS: 'delivery.status',
  SESSION_VERIFIED: 'session.verified',
  SESSION_FAILED: 'session.failed',
  SESSION_EXPIRED: 'session.expired',
  SESSION_CANCELLED: 'session.cancelled',
  RESULT_ISSUED: 'result.issued',
  /** An authenticator app was enrolled (confirmed with a first code). */
  FACTOR_ENROLLED: 'factor.enrolled',
  /** An authenticator app was removed (DELETE /v1/factors/totp). */
  FACTOR_DISABLED: 'factor.disabled',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

/** `success`, `failure` (the service refused or the user failed), `client_error` (malformed input). B2C: success | failure | clientError. */
export type Outcome = 'success' | 'failure' | 'client_error';

export interface TollgateEvent {
  id: string;
  /** Epoch milliseconds, from the Clock port. */
  time: number;
  type: EventType;
  outcome: Outcome;
  reason: ReasonCode;
  /** B2C-style human text for `reason` (the stock workbook's ResultDescription). */
  reasonDescription: string;
  appId: string | null;
  policyId: string | null;
  profileId: string | null;
  sessionId: string | null;
  /** HMAC-SHA256 of the app's UserId claim (hex, first 32 chars); never the raw id. */
  userIdHash: string | null;
  /** E.164, when known. */
  phoneNumber: string | null;
  /** Country calling code without "+", e.g. "1", "44". */
  countryCallingCode: string | null;
  /** ISO 3166-1 alpha-2 region of the phone number (from the parsed number, not the calling code). */
  phoneRegion: string | null;
  /** `email` for email codes; null for steps without a channel (TOTP: `details.method` says `totp`). */
  channel: CodeChannel | null;
  ip: string | null;
  userAgent: string | null;
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  deviceType: string | null;
  /** Estimated cost in `currency` of the send this event records (0 when nothing was sent). */
  cost: number;
  currency: string;
  /** Ties together every event of one journey (the session's correlation id, or the caller's). */
  correlationId: string | null;
  /** Extra, type-specific fields (attempt counts, provider ids, rule ids, …). */
  details: Record<string, unknown>;
}
