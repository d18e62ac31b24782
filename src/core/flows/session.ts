// The phone-factor session: a persisted flow object (Ory Kratos style) with an id, a state and an expiry.
// Transitions live in transitions.ts; this file only holds the shape.
import type { Channel } from '../events/event.ts';

export type SessionStatus =
  | 'created' // waiting for the user to choose or enter a number
  | 'number_selected' // a number is chosen but no code is out (e.g. the send was refused)
  | 'code_sent' // a code is out and may be entered
  | 'verified'
  | 'failed'
  | 'expired';

export const terminalStatuses: readonly SessionStatus[] = ['verified', 'failed', 'expired'];

/** The code currently out. Only a keyed hash of it is ever stored. */
export interface IssuedCode {
  hash: string; // hex HMAC-SHA256(key, sessionId ":" code)
  channel: Channel;
  phoneNumber: string; // E.164
  sentAt: number;
  expiresAt: number;
  wrongAttempts: number;
  /** true once a wrong-attempt limit or success has used it up. */
  spent: boolean;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface PhoneFactorSession {
  id: string; // unguessable capability (base64url, 256 bits)
  appId: string;
  profileId: string;
  policyId: string;
  /** The app's UserId claim. Kept for the result token's `sub`; events carry only its hash. */
  userId: string;
  /** The numbers on file (E.164), in input-claim order. */
  registeredNumbers: string[];
  returnUrl: string | null;
  locale: string | null;
  nonce: string | null;
  client: ClientInfo;
  correlationId: string;
  status: SessionStatus;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  /** The number the user chose or entered (E.164). */
  selectedNumber: string | null;
  /** True when selectedNumber was typed in rather than chosen from registeredNumbers. */
  newPhoneNumberEntered: boolean;
  sendCount: number;
  lastSendAt: number | null;
  code: IssuedCode | null;
  verifiedAt: number | null;
  failureReason: string | null;
  /** When a CAPTCHA was last solved in this session (a challenge is asked once, then on elevated risk). */
  captchaSolvedAt?: number | null;
  /** Headless Twilio-Verify-style verification (`/v1/verifications`) rather than a hosted/headless phone factor. */
  kind: 'phone_factor' | 'verification';
  /** Optimistic-concurrency version, bumped by every store update. */
  version: number;
}
