// SMTP mailer on nodemailer's pooled transport: connections to the relay are reused across codes,
// so a burst of sign-ups does not open one TLS session per mail. Failures become MailError with
// a message built here from the failure's kind, never the transport's text (which can quote the
// server's reply or the login it refused).
import { createTransport } from 'nodemailer';
import { type Mailer, MailError, type MailErrorKind, type MailSendResult, type OutboundMail } from '../../ports.ts';

export interface SmtpMailerOptions {
  host: string;
  port: number;
  /** true: TLS from the first byte (port 465). false: plain, upgraded by STARTTLS when offered. */
  secure: boolean;
  auth?: { user: string; pass: string };
  /** `"Example <no-reply@example.com>"`: the envelope sender and From header. */
  from: string;
  /** Refuse to send unless STARTTLS succeeds (port 587 relays that must not see plain text). */
  requireTLS?: boolean;
  /** Never try STARTTLS (local test sinks only). */
  ignoreTLS?: boolean;
  /** Limit for connecting, the greeting, DNS and each idle wait on the socket. */
  timeoutMs: number;
  /** Pool size (default 3). */
  maxConnections?: number;
}

type Transporter = ReturnType<typeof createTransport>;

const languageTag = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/;

interface NodemailerFailure {
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
}

const kindByCode: Record<string, MailErrorKind> = {
  ECONNECTION: 'connection',
  ESOCKET: 'connection',
  EDNS: 'connection',
  ECONNREFUSED: 'connection',
  ETIMEDOUT: 'timeout',
  EAUTH: 'auth',
  ENOAUTH: 'auth',
  ETLS: 'tls',
  EREQUIRETLS: 'tls',
};

const messageByKind: Record<MailErrorKind, string> = {
  connection: 'could not connect to the SMTP server',
  timeout: 'the SMTP server did not answer in time',
  auth: 'the SMTP server refused the login',
  tls: 'TLS with the SMTP server failed',
  recipient_rejected: 'the SMTP server refused the recipient address',
  rejected: 'the SMTP server refused the message',
  unknown: 'sending the mail failed',
};

/** Maps a nodemailer failure to a MailError whose text holds no server reply and no credential. */
export function mailErrorFrom(error: unknown, provider: string): MailError {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as NodemailerFailure;
  const code = typeof failure.code === 'string' ? failure.code : '';
  const responseCode = typeof failure.responseCode === 'number' ? failure.responseCode : undefined;
  let kind: MailErrorKind = kindByCode[code] ?? 'unknown';
  if (kind === 'unknown' && (code === 'EENVELOPE' || code === 'EMESSAGE' || code === 'EPROTOCOL')) {
    // 55x on RCPT TO: the mailbox or domain is refused; anything else is the message or the relay.
    const onRecipient = failure.command === 'RCPT TO' || code === 'EENVELOPE';
    kind = onRecipient && responseCode !== undefined && responseCode >= 550 && responseCode <= 553 ? 'recipient_rejected' : 'rejected';
  }
  const suffix = responseCode !== undefined ? ` (SMTP ${responseCode})` : code ? ` (${code})` : '';
  return new MailError(`smtp: ${messageByKind[kind]}${suffix}`, provider, kind, responseCode);
}

export class SmtpMailer implements Mailer {
  readonly name = 'smtp';
  private readonly transporter: Transporter;

  constructor(private readonly options: SmtpMailerOptions) {
    this.transporter = createTransport({
      pool: true,
      host: options.host,
      port: options.port,
      secure: options.secure,
      auth: options.auth ? { user: options.auth.user, pass: options.auth.pass } : undefined,
      requireTLS: options.requireTLS ?? false,
      ignoreTLS: options.ignoreTLS ?? false,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
      dnsTimeout: options.timeoutMs,
      maxConnections: options.maxConnections ?? 3,
      // The mail holds the code: nodemailer must never log traffic, whatever the log level.
      logger: false,
      debug: false,
      // Templates are ours, but a path or URL in a message must never make the server read files.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  async send(mail: OutboundMail): Promise<MailSendResult> {
    try {
      const info = await this.transporter.sendMail({
        from: this.options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: {
          // Out-of-office and auto-responders must not answer a code mail (RFC 3834; Exchange).
          'Auto-Submitted': 'auto-generated',
          'X-Auto-Response-Suppress': 'All',
          // Only a well-formed language tag goes into a header.
          ...(languageTag.test(mail.locale) ? { 'Content-Language': mail.locale } : {}),
        },
      });
      const rejected = Array.isArray(info.rejected) ? info.rejected : [];
      if (rejected.length > 0) {
        throw new MailError(`smtp: ${messageByKind.recipient_rejected}`, this.name, 'recipient_rejected');
      }
      return { messageId: String(info.messageId ?? ''), provider: this.name };
    } catch (error) {
      if (error instanceof MailError) throw error;
      throw mailErrorFrom(error, this.name);
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
