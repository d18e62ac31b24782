// The phone-factor session: a persisted flow object (Ory Kratos style) with an id, a state and an expiry.
// Transitions live in transitions.ts; this file only holds the shape.
import type { CodeChannel } from '../events/event.ts';
import type { FactorMethod } from '../policy/profile.ts';

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
  channel: CodeChannel;
  /** E.164 for sms and voice; null for an email code. */
  phoneNumber: string | null;
  /** The normalised address of an email code. */
  email?: string | null;
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
  /** The email address the user entered for an email code (normalised, see core/email/address.ts). */
  selectedEmail?: string | null;
  /**
   * Methods a refused phone send unlocked in this session (the profile's setting.fallbackMethods),
   * on top of the profile's setting.methods.
   */
  unlockedMethods?: Exclude<FactorMethod, 'phone'>[];
  /** How the session was verified, when not by a code (`totp`); codes tell by their channel. */
  method?: FactorMethod | null;
  /** Wrong authenticator/recovery codes entered in this session. */
  totpFailures?: number;
  /** A pending authenticator enrollment started on the hosted page. */
  totpEnrollmentId?: string | null;
  /** Headless Twilio-Verify-style verification (`/v1/verifications`) rather than a hosted/headless phone factor. */
  kind: 'phone_factor' | 'verification';
  /** Optimistic-concurrency version, bumped by every store update. */
  version: number;
}
