// Development mailer: nothing leaves the machine; each mail lands in an outbox through `append`,
// code included, so dev pages, scripts and end-to-end tests can read what "was sent". app.ts wires
// `append` to the store's outbox (channel `email`, body = the text part).
import { type Clock, MailError, type Mailer, type MailSendResult, type OutboundMail } from '../../ports.ts';

export interface OutboxMail {
  id: string;
  time: number;
  to: string;
  subject: string;
  text: string;
  /** Kept only here, in development, so tests can complete a verification. */
  code: string;
  sessionId: string | null;
  locale: string;
}

export interface OutboxMailerOptions {
  /** Addresses for which the send fails as if the relay refused them (to rehearse error paths). */
  failFor?: (to: string) => boolean;
}

export class OutboxMailer implements Mailer {
  readonly name = 'outbox';

  constructor(
    private readonly append: (mail: OutboxMail) => Promise<void>,
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly options: OutboxMailerOptions = {},
  ) {}

  async send(mail: OutboundMail): Promise<MailSendResult> {
    if (this.options.failFor?.(mail.to)) {
      throw new MailError('outbox: recipient refused (simulated failure)', this.name, 'recipient_rejected', 550);
    }
    const id = this.newId();
    await this.append({
      id,
      time: this.clock.now(),
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      code: mail.code,
      sessionId: mail.sessionId,
      locale: mail.locale,
    });
    return { messageId: id, provider: this.name };
  }

  async close(): Promise<void> {}
}
