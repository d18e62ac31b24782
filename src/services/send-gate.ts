// What stands between a valid send request and the provider: the CAPTCHA (always when the profile
// sets setting.enableCaptchaChallenge, else when the defense asks for one) and the defense decision.
// Throws the client-facing error (with the decision attached for the event) or lets the send pass.
import type { Channel } from '../core/events/event.ts';
import { TollgateError } from '../core/errors.ts';
import type { SendContext, SendDecision } from '../core/defense/decision.ts';
import type { ClientInfo, PhoneFactorSession } from '../core/flows/session.ts';
import { channelsFor } from '../core/flows/transitions.ts';
import type { ParsedPhoneNumber } from '../core/phone/phone-number.ts';
import type { PhoneFactorProfile } from '../core/policy/profile.ts';
import type { Captcha } from '../ports.ts';
import { blockError, leadingReason, type SendDefense } from './send-defense.ts';

export interface GatePass {
  ctx: SendContext | null;
  decision: SendDecision | null;
  captchaPassed: boolean;
}

const decisions = new WeakMap<TollgateError, SendDecision>();

/** The decision behind a refusal, for the `code.send_refused` event. */
export function decisionOf(err: TollgateError): SendDecision | undefined {
  return decisions.get(err);
}

export class SendGate {
  constructor(private readonly d: { defense: SendDefense | null; captcha: Captcha | null }) {}

  /** Widget data for the page when a CAPTCHA must be solved before the next send; null otherwise. */
  async pendingChallenge(session: PhoneFactorSession, profile: PhoneFactorProfile): Promise<Record<string, unknown> | null> {
    if (!this.d.captcha || !profile.enableCaptchaChallenge || session.captchaSolvedAt) return null;
    return this.d.captcha.challenge({ sessionId: session.id });
  }

  /**
   * The CAPTCHA part alone (email codes use it too): verifies a posted solution, and asks for one
   * when the profile wants it before the first send. Returns whether a solution passed.
   */
  async captchaStep(session: PhoneFactorSession, profile: PhoneFactorProfile, captchaToken: string | undefined, client: ClientInfo): Promise<boolean> {
    let captchaPassed = false;
    if (captchaToken !== undefined && this.d.captcha) {
      const result = await this.d.captcha.verify(captchaToken, { sessionId: session.id, ip: client.ip });
      if (!result.ok) throw await this.captchaError('captcha_failed', session, undefined, result.error);
      captchaPassed = true;
    }
    if (profile.enableCaptchaChallenge && this.d.captcha && !captchaPassed && !session.captchaSolvedAt) {
      throw await this.captchaError('captcha_required', session);
    }
    return captchaPassed;
  }

  async check(session: PhoneFactorSession, profile: PhoneFactorProfile, parsed: ParsedPhoneNumber, channel: Channel, captchaToken: string | undefined, client: ClientInfo, now: number): Promise<GatePass> {
    const captchaPassed = await this.captchaStep(session, profile, captchaToken, client);
    if (!this.d.defense) return { ctx: null, decision: null, captchaPassed };
    const ctx = await this.d.defense.context(session, parsed, channel, client, captchaPassed, now);
    const decision = await this.d.defense.decide(ctx);
    if (decision.action === 'block') {
      const err = blockError(decision, channelsFor(profile.authenticationMode));
      decisions.set(err, decision);
      throw err;
    }
    if (decision.action === 'challenge') {
      // Without a CAPTCHA verifier a challenge cannot be asked: the strongest reason blocks instead.
      const err = this.d.captcha ? await this.captchaError('captcha_required', session, decision) : blockError(decision, channelsFor(profile.authenticationMode));
      decisions.set(err, decision);
      throw err;
    }
    return { ctx, decision, captchaPassed };
  }

  commit(ctx: SendContext | null): Promise<unknown> {
    return ctx && this.d.defense ? this.d.defense.commit(ctx) : Promise.resolve(null);
  }

  private async captchaError(code: 'captcha_required' | 'captcha_failed', session: PhoneFactorSession, decision?: SendDecision, why?: string): Promise<TollgateError> {
    const lead = decision ? leadingReason(decision) : undefined;
    const captcha = await this.d.captcha!.challenge({ sessionId: session.id });
    return new TollgateError(code, undefined, {
      captcha,
      ...(lead ? { rule: lead.rule, because: lead.code } : {}),
      ...(why ? { captchaError: why } : {}),
    });
  }
}
