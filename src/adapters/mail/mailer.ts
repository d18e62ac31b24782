// The Mailer port: what services need to send an email (email one-time codes). Standalone for
// now; it moves to src/ports.ts when email codes are wired into sessions.

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

export type MailErrorKind = 'connection' | 'timeout' | 'auth' | 'tls' | 'recipient_rejected' | 'rejected' | 'unknown';
