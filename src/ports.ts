// The interfaces the core and services need from the outside world. Adapters implement them;
// the core never imports an adapter. Every adapter of a port passes the same contract tests.
import type { Channel, CodeChannel, TollgateEvent } from './core/events/event.ts';
import type { PhoneFactorSession } from './core/flows/session.ts';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface Random {
  /** Cryptographically secure random bytes. */
  bytes(n: number): Uint8Array;
  /** Uniform CSPRNG integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
}

// ---- store -------------------------------------------------------------------------------------

export interface EventQuery {
  sessionId?: string;
  phoneNumber?: string;
  type?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  limit?: number;
}

export interface OutboxMessage {
  id: string;
  time: number;
  channel: CodeChannel;
  /** E.164 number, or the email address for `email`. */
  to: string;
  /** The SMS text, the words the voice call speaks, or the plain-text part of an email. */
  body: string;
  /** The code, kept in the development outbox only so scripts and tests can read it. */
  code: string | null;
  sessionId: string | null;
  locale: string;
}

export interface SigningKeyRecord {
  kid: string;
  /** JWK with private parts, as JSON text. */
  privateJwk: string;
  publicJwk: string;
  createdAt: number;
  /** After this, the key no longer signs but stays in the JWKS until retiredAt. */
  rotatedAt: number | null;
  retiredAt: number | null;
}

export interface Store {
  migrate(): Promise<void>;
  close(): Promise<void>;

  createSession(session: PhoneFactorSession): Promise<void>;
  getSession(id: string): Promise<PhoneFactorSession | null>;
  /**
   * Saves `session` if the stored version equals `session.version`, bumping it; returns the saved
   * session, or null when another writer got there first (the caller reloads and retries).
   */
  updateSession(session: PhoneFactorSession): Promise<PhoneFactorSession | null>;
  /** Latest non-terminal `verification` session of an app for a number (Twilio-Verify-style pair). */
  findActiveVerification(appId: string, phoneNumber: string, now: number): Promise<PhoneFactorSession | null>;

  appendEvent(event: TollgateEvent): Promise<void>;
  listEvents(query: EventQuery): Promise<TollgateEvent[]>;

  appendOutbox(message: OutboxMessage): Promise<void>;
  listOutbox(query: { to?: string; limit?: number }): Promise<OutboxMessage[]>;

  listSigningKeys(): Promise<SigningKeyRecord[]>;
  putSigningKey(key: SigningKeyRecord): Promise<void>;

  /** Reputation allow/block lists (defense). Expired entries are returned too; callers filter by time. */
  listReputation(): Promise<ReputationEntry[]>;
  putReputation(entry: ReputationEntry): Promise<void>;
  /** Returns false when there was no such entry. */
  deleteReputation(id: string): Promise<boolean>;
  /** True when a session for this number has ever been verified (trusted numbers). */
  phoneVerifiedBefore(phoneNumber: string): Promise<boolean>;

  /** Small key/value settings (generated development secrets, …). */
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
}

export type ReputationKind = 'number' | 'prefix' | 'ip' | 'cidr' | 'asn' | 'country';

export interface ReputationEntry {
  id: string;
  kind: ReputationKind;
  /** E.164 number, E.164 prefix (`+4474001`), IP, CIDR (`203.0.113.0/24`, `2001:db8::/48`), ASN (`16509`) or ISO region. */
  value: string;
  list: 'block' | 'allow';
  createdAt: number;
  /** null = until removed. */
  expiresAt: number | null;
  note: string;
  /** Who added it: `cli`, `api:<app or admin>`, `detector:<id>`, … */
  createdBy: string;
}

// ---- telephony ---------------------------------------------------------------------------------

export interface OutboundMessage {
  channel: Channel;
  /** E.164. */
  to: string;
  /** ISO region of the destination (from the parsed number). */
  region: string;
  /** BCP-47 language the message is written/spoken in (en, fr, it, …). */
  locale: string;
  /** The SMS text. */
  text: string;
  /** For voice: what the call speaks (digits spaced out, repeated). */
  speech: string;
  /** The code itself: only development adapters (outbox) may keep it. */
  code: string;
  sessionId: string | null;
  /** Where the provider should POST delivery status (absolute URL), when the adapter supports it. */
  statusCallbackUrl?: string;
}

export interface SendResult {
  providerMessageId: string;
  /** The provider's status at acceptance (queued, sent, ringing…). */
  status: string;
  /** Provider name, for events. */
  provider: string;
}

export interface Telephony {
  readonly name: string;
  /** Throws TelephonyError when the provider refuses or cannot be reached. */
  send(message: OutboundMessage): Promise<SendResult>;
}

export class TelephonyError extends Error {
  constructor(
    message: string,
    readonly provider: string,
    /** Provider's own error code, if any. */
    readonly providerCode?: string | number,
    /** true when the number itself was refused (unreachable/invalid) rather than the provider failing. */
    readonly numberRejected = false,
  ) {
    super(message);
    this.name = 'TelephonyError';
  }
}

// ---- mail (email one-time codes) ---------------------------------------------------------------

export interface OutboundMail {
  /** Normalised address (see core/email/address.ts). */
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Language the mail is written in (en, fr, it, …). */
  locale: string;
  /** The code itself: only development adapters (outbox) may keep it. */
  code: string;
  sessionId: string | null;
}

export interface MailSendResult {
  messageId: string;
  /** Adapter name, for events. */
  provider: string;
}

export interface Mailer {
  readonly name: string;
  /** Throws MailError when the mail could not be handed over. */
  send(mail: OutboundMail): Promise<MailSendResult>;
  /** Releases pooled connections (SMTP); a no-op elsewhere. */
  close?(): Promise<void>;
}

export type MailErrorKind = 'connection' | 'timeout' | 'auth' | 'tls' | 'recipient_rejected' | 'rejected' | 'unknown';

/**
 * A send that failed. The message is written by the adapter from the failure's kind, never copied
 * from the transport, so server replies and credentials cannot end up in logs or answers.
 */
export class MailError extends Error {
  constructor(
    message: string,
    readonly provider: string,
    /** Stable kind: `connection`, `timeout`, `auth`, `tls`, `recipient_rejected`, `rejected`, `unknown`. */
    readonly kind: MailErrorKind,
    /** SMTP reply code, when the server gave one. */
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'MailError';
  }

  /** true when the address itself was refused (a different address might work; a retry will not). */
  get recipientRejected(): boolean {
    return this.kind === 'recipient_rejected';
  }
}

// ---- defense -----------------------------------------------------------------------------------

/** Sliding-window counters (memory for one process; Redis for many). */
export interface Counters {
  /** Adds `amount` (default 1) to `key` at `now` and returns the total inside the last `windowMs`, this hit included. */
  hit(key: string, now: number, windowMs: number, amount?: number): Promise<number>;
  /** The total inside the last `windowMs`, without adding. */
  count(key: string, now: number, windowMs: number): Promise<number>;
  /** Forgets a key (e.g. an operator lifts a limit). */
  reset(key: string): Promise<void>;
}

/** IP intelligence from offline data (country, ASN, hosting networks). */
export interface Geo {
  lookup(ip: string): import('./core/defense/decision.ts').IpInfo | null;
}

export type CaptchaProvider = 'altcha' | 'turnstile' | 'hcaptcha' | 'recaptcha';

/** A CAPTCHA verifier: self-hosted proof of work (ALTCHA) or a third-party siteverify. */
export interface Captcha {
  readonly provider: CaptchaProvider;
  /** What the page needs to show the widget (ALTCHA: a signed challenge; others: the site key). */
  challenge(bind: { sessionId: string }): Promise<Record<string, unknown>>;
  /** Verifies a solution token once (replays fail). */
  verify(token: string, bind: { sessionId: string; ip: string | null }): Promise<{ ok: boolean; error?: string }>;
}
