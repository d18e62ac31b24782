// Email one-time codes inside a phone-factor session: the same session, code rules (length, TTL,
// attempts, sends, cooldown), CAPTCHA gate and events as a phone send, with an address instead of
// a number and the mailer instead of telephony. Verifying goes through PhoneFactorService.verify.
import type { CodeRules } from '../core/codes/one-time-code.ts';
import { generateCode, hashCode } from '../core/codes/one-time-code.ts';
import { emailDomain, maskEmail, normaliseEmailAddress } from '../core/email/address.ts';
import { TollgateError } from '../core/errors.ts';
import type { ClientInfo, PhoneFactorSession } from '../core/flows/session.ts';
import * as flow from '../core/flows/transitions.ts';
import type { PhoneFactorProfile } from '../core/policy/profile.ts';
import { type Clock, MailError, type Mailer, type Random } from '../ports.ts';
import type { AppRegistry } from './apps.ts';
import type { CheckedAddress, EmailDefense } from './email-defense.ts';
import { renderCodeEmail } from './email-otp-messages.ts';
import type { EventRecorder } from './event-recorder.ts';
import type { EmailSendRequest, SendOutcome } from './phone-factor-view.ts';
import type { PhoneFactorService } from './phone-factor-service.ts';
import type { ProfileResolver } from './profile-resolver.ts';
import { assertMethodOffered, offeredMethods } from './session-methods.ts';
import { buildSessionView, codeSentView } from './session-view.ts';
import type { SendGate } from './send-gate.ts';

export interface EmailCodeDeps {
  sessions: PhoneFactorService;
  gate: SendGate;
  defense: EmailDefense;
  mailer: Mailer;
  clock: Clock;
  random: Random;
  events: EventRecorder;
  profiles: ProfileResolver;
  apps: AppRegistry;
  codeRules: CodeRules;
  codeHashKey: Uint8Array;
}

function selectedEmailOf(s: PhoneFactorSession | null): string | null {
  return s?.selectedEmail ?? null;
}

/** Event facts of an email step: the domain and the masked address, never the address itself. */
function emailDetails(address: string | null): Record<string, unknown> {
  return address ? { method: 'email', emailDomain: emailDomain(address), emailMasked: maskEmail(address) } : { method: 'email' };
}

export class EmailCodeService {
  constructor(private readonly d: EmailCodeDeps) {}

  async send(id: string, req: EmailSendRequest, client: ClientInfo): Promise<SendOutcome> {
    let refusedSession: PhoneFactorSession | null = null;
    let address: string | null = null;
    try {
      const s = await this.d.sessions.load(id);
      refusedSession = s;
      const profile = this.d.profiles.resolveSession(s);
      const to = this.precheck(s, profile, req, this.d.clock.now());
      address = to.address;
      const captchaPassed = await this.d.gate.captchaStep(s, profile, req.captcha, client);
      await this.d.defense.checkVelocity(to, this.d.clock.now());
      const reserved = await this.d.sessions.mutate(id, (cur, p, now) => {
        refusedSession = cur;
        const chosen = this.precheck(cur, p, req, now);
        const selected = flow.selectEmail(cur, chosen.address, now);
        const code = generateCode(this.d.random, this.d.codeRules.length);
        const next = flow.recordCodeIssued(selected, hashCode(this.d.codeHashKey, cur.id, code), 'email', this.d.codeRules, now);
        if (captchaPassed) next.captchaSolvedAt = now;
        return { next, extra: { code, to: chosen } };
      });
      return await this.deliver(reserved.session, reserved.extra.code, reserved.extra.to, client);
    } catch (err) {
      if (err instanceof TollgateError && !(err as { recorded?: boolean }).recorded) {
        const { captcha: _omit, ...steering } = err.steering;
        await this.d.events.record({
          type: 'code.send_refused',
          outcome: err.status < 500 && err.code !== 'invalid_request' && err.code !== 'invalid_email_address' ? 'failure' : 'client_error',
          reason: err.code,
          session: refusedSession,
          channel: 'email',
          method: 'email',
          phoneNumber: null,
          client,
          // A refused domain is the workbook's most useful fact: record it whenever the address parses.
          details: { ...steering, ...emailDetails(address ?? normaliseEmailAddress(req.email ?? selectedEmailOf(refusedSession))) },
        });
      }
      throw err;
    }
  }

  /** No I/O: open session, email offered, a usable address, send budget and cooldown. */
  private precheck(s: PhoneFactorSession, profile: PhoneFactorProfile, req: EmailSendRequest, now: number): CheckedAddress {
    flow.assertOpen(s);
    assertMethodOffered(profile, s, this.d.sessions.factors, 'email');
    const input = req.email ?? s.selectedEmail;
    if (input === undefined || input === null) throw new TollgateError('invalid_email_address', 'Enter an email address.', { field: 'email' });
    const to = this.d.defense.address(input);
    flow.assertMaySend(s, this.d.codeRules, now);
    return to;
  }

  private async deliver(session: PhoneFactorSession, code: string, to: CheckedAddress, client: ClientInfo): Promise<SendOutcome> {
    const locale = session.locale ?? 'en';
    const appName = this.d.apps.byId(session.appId)?.name ?? 'Tollgate';
    const mail = renderCodeEmail({ locale, code, appName, ttlMinutes: Math.round(this.d.codeRules.ttlMs / 60_000) });
    try {
      const result = await this.d.mailer.send({ to: to.address, subject: mail.subject, text: mail.text, html: mail.html, locale: mail.language, code, sessionId: session.id });
      const counted = await this.d.defense.commit(to, this.d.clock.now());
      await this.d.events.record({
        type: 'code.sent', outcome: 'success', reason: 'ok', session, channel: 'email', method: 'email', phoneNumber: null, client, cost: 0,
        details: {
          ...emailDetails(to.address), provider: result.provider, providerMessageId: result.messageId, sendCount: session.sendCount,
          ...(counted ? { counterError: String(counted) } : {}),
        },
      });
      const profile = this.d.profiles.resolveSession(session);
      return { view: buildSessionView(session, profile, this.d.sessions.ctx(session)), sent: codeSentView(session, this.d.codeRules)! };
    } catch (err) {
      const reverted = await this.d.sessions.mutate(session.id, (s, _p, now) => ({ next: flow.recordSendFailed(s, now), extra: null })).catch(() => null);
      const current = reverted?.session ?? session;
      const kind = err instanceof MailError ? err.kind : 'unknown';
      const reason = err instanceof MailError && err.recipientRejected ? 'delivery_failed' : 'provider_error';
      await this.d.events.record({
        type: 'code.send_refused', outcome: 'failure', reason, session: current, channel: 'email', method: 'email', phoneNumber: null, client,
        details: { ...emailDetails(to.address), provider: this.d.mailer.name, mailError: kind, ...(err instanceof MailError && err.responseCode ? { responseCode: err.responseCode } : {}) },
      });
      const profile = this.d.profiles.resolveSession(current);
      const alternatives = offeredMethods(profile, current, this.d.sessions.factors).filter((m) => m !== 'email');
      const error = new TollgateError(reason, reason === 'delivery_failed' ? 'The mail server refused this address.' : 'The email could not be sent.', {
        sendsLeft: flow.sendsLeft(current, this.d.codeRules),
        alternatives,
        field: reason === 'delivery_failed' ? 'email' : undefined,
      });
      (error as { recorded?: boolean }).recorded = true;
      throw error;
    }
  }
}
