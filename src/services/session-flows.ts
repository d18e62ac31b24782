// One entry point per session step for the hosted page and the headless API, whatever the method:
// a send goes to the phone factor or to email by its channel, the authenticator app has its own
// steps, and the view carries what every method needs. Keeps the routes ignorant of which
// service does what.
import { TollgateError } from '../core/errors.ts';
import type { Channel } from '../core/events/event.ts';
import type { ClientInfo } from '../core/flows/session.ts';
import type { EmailCodeService } from './email-code-service.ts';
import type { EmailSendRequest, SendOutcome, SendRequest, SessionView, TotpSubmission, VerifyOutcome } from './phone-factor-view.ts';
import type { PhoneFactorService } from './phone-factor-service.ts';
import type { TotpSessionService } from './totp-session.ts';

/** A send request of any channel: phone fields with sms/voice, `email` with email. */
export type AnySendRequest =
  | (Partial<SendRequest> & { channel: Channel; captcha?: string })
  | (EmailSendRequest & { channel: 'email' });

export class SessionFlows {
  constructor(
    private readonly d: {
      phone: PhoneFactorService;
      email: EmailCodeService | null;
      totp: TotpSessionService | null;
    },
  ) {}

  async view(id: string): Promise<SessionView> {
    const view = await this.d.phone.view(id);
    if (this.d.totp && view.methods?.includes('totp')) view.totp = await this.d.totp.view(await this.d.phone.load(id));
    return view;
  }

  send(id: string, req: AnySendRequest, client: ClientInfo): Promise<SendOutcome> {
    if (req.channel === 'email') {
      if (!this.d.email) throw new TollgateError('channel_not_allowed', 'Email codes are not available.');
      return this.d.email.send(id, { email: req.email, captcha: req.captcha }, client);
    }
    return this.d.phone.send(id, req, client);
  }

  verify(id: string, code: unknown, client: ClientInfo): Promise<VerifyOutcome> {
    return this.d.phone.verify(id, code, client);
  }

  totp(id: string, submission: TotpSubmission, client: ClientInfo): Promise<VerifyOutcome> {
    return this.totpService().verify(id, submission, client);
  }

  beginTotpEnrollment(id: string): Promise<void> {
    return this.totpService().beginEnrollment(id);
  }

  confirmTotpEnrollment(id: string, code: string, client: ClientInfo): Promise<{ outcome: VerifyOutcome; recoveryCodes: string[] }> {
    return this.totpService().confirmEnrollment(id, code, client);
  }

  cancel(id: string, client: ClientInfo): Promise<{ redirectTo: string | null }> {
    return this.d.phone.cancel(id, client);
  }

  private totpService(): TotpSessionService {
    if (!this.d.totp) throw new TollgateError('channel_not_allowed', 'Authenticator apps are not available.');
    return this.d.totp;
  }
}
