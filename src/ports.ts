// The interfaces the core and services need from the outside world. Adapters implement them;
// the core never imports an adapter. Every adapter of a port passes the same contract tests.
import type { Channel, TollgateEvent } from './core/events/event.ts';
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
  channel: Channel;
  to: string;
  /** The SMS text, or the words the voice call speaks. */
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

  /** Small key/value settings (generated development secrets, …). */
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
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
