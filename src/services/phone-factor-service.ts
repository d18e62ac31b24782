// Use cases of the phone factor: start a session, send a code (verify, cancel and the rest are
// shared with the other methods in session-steps.ts). Wires the pure core (number choice,
// transitions, codes) to the ports (store, telephony, clock, random) and records an event for
// every step. The hosted page and the headless API both call this.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Channel } from '../core/events/event.ts';
import { TollgateError } from '../core/errors.ts';
import type { SendDecision } from '../core/defense/decision.ts';
import { generateCode, hashCode } from '../core/codes/one-time-code.ts';
import { assertCountryAllowed, chooseNumber } from '../core/flows/number-choice.ts';
import type { ClientInfo, PhoneFactorSession } from '../core/flows/session.ts';
import * as flow from '../core/flows/transitions.ts';
import { smsText, voiceSpeech } from '../core/i18n/messages.ts';
import { maskPhoneNumber } from '../core/phone/phone-number.ts';
import { estimateCost } from '../core/pricing/price-table.ts';
import type { PhoneFactorProfile } from '../core/policy/profile.ts';
import { TelephonyError } from '../ports.ts';
import type { RegisteredApp } from './apps.ts';
import type { SendOutcome, SendRequest } from './phone-factor-view.ts';
import { outputClaims } from './result-claims.ts';
import { decisionDetails } from './send-defense.ts';
import { decisionOf, type GatePass } from './send-gate.ts';
import { fallbackMethodsOf, unlocksFallback } from './session-methods.ts';
import { SessionSteps } from './session-steps.ts';
import { buildSessionView, codeSentView } from './session-view.ts';

export type { PhoneFactorDeps } from './session-steps.ts';

export interface StartInput {
  profile: string;
  userId: string;
  phoneNumbers: string[];
  returnUrl?: string;
  locale?: string;
  nonce?: string;
  client: ClientInfo;
  correlationId?: string;
  kind?: PhoneFactorSession['kind'];
}

export class PhoneFactorService extends SessionSteps {

  async start(app: RegisteredApp, input: StartInput): Promise<{ session: PhoneFactorSession; url: string }> {
    const now = this.d.clock.now();
    const profile = this.d.profiles.resolve(input.profile);
    const registered = [...new Set(input.phoneNumbers)];
    if (registered.length > Math.max(profile.inputClaims.phoneNumbers.length, input.kind === 'verification' ? 1 : 0)) {
      throw new TollgateError('too_many_phone_numbers', `Profile ${profile.id} takes at most ${profile.inputClaims.phoneNumbers.length} phone numbers.`, { field: 'phoneNumbers' });
    }
    // Only a profile that verifies by phone needs a number to send to (email / authenticator need none).
    if (registered.length === 0 && !profile.manualPhoneNumberEntryAllowed && profile.methods.includes('phone')) {
      throw new TollgateError('phone_number_required', undefined, { field: 'phoneNumbers' });
    }
    const returnUrl = input.returnUrl ? this.d.apps.checkReturnUrl(app, input.returnUrl) : null;
    const session: PhoneFactorSession = {
      id: randomBytes(32).toString('base64url'),
      appId: app.id,
      profileId: profile.id,
      policyId: profile.policyId,
      userId: input.userId,
      registeredNumbers: registered,
      returnUrl,
      locale: input.locale ?? null,
      nonce: input.nonce ?? null,
      client: input.client,
      correlationId: input.correlationId ?? randomUUID(),
      status: 'created',
      createdAt: now,
      updatedAt: now,
      expiresAt: now + (input.kind === 'verification' ? this.d.codeRules.ttlMs : this.d.sessionTtlMs),
      selectedNumber: registered.length === 1 ? registered[0]! : null,
      newPhoneNumberEntered: false,
      sendCount: 0,
      lastSendAt: null,
      code: null,
      verifiedAt: null,
      failureReason: null,
      kind: input.kind ?? 'phone_factor',
      version: 0,
    };
    await this.d.store.createSession(session);
    await this.d.events.record({ type: 'session.created', outcome: 'success', reason: 'ok', session, details: { registeredNumbers: registered.length, kind: session.kind } });
    return { session, url: `${this.d.publicUrl()}/pf/${session.id}` };
  }

  async view(id: string) {
    const session = await this.load(id);
    const profile = this.d.profiles.resolveSession(session);
    const view = buildSessionView(session, profile, this.ctx(session));
    if (!flow.isTerminal(session)) view.captcha = await this.d.gate.pendingChallenge(session, profile);
    return view;
  }

  async send(id: string, req: Partial<SendRequest> & { channel: Channel; captcha?: string }, client: ClientInfo): Promise<SendOutcome> {
    let refusedSession: PhoneFactorSession | null = null;
    let phoneForEvent: string | null = null;
    try {
      // Pure checks first, then the (async) CAPTCHA and defense decision, then the reservation,
      // which repeats the pure checks on the freshest session so concurrent sends cannot slip by.
      const s = await this.load(id);
      refusedSession = s;
      const profile = this.d.profiles.resolveSession(s);
      const pre = this.precheck(s, profile, req, this.d.clock.now(), (e164) => (phoneForEvent = e164));
      const gate = await this.d.gate.check(s, profile, pre.parsed, req.channel, req.captcha, client, this.d.clock.now());
      const reserved = await this.mutate(id, (cur, p, now) => {
        refusedSession = cur;
        const chosen = this.precheck(cur, p, req, now);
        const selected = flow.selectNumber(cur, chosen.parsed.e164, chosen.newPhoneNumberEntered, now);
        const code = generateCode(this.d.random, this.d.codeRules.length);
        const next = flow.recordCodeIssued(selected, hashCode(this.d.codeHashKey, cur.id, code), req.channel, this.d.codeRules, now);
        if (gate.captchaPassed) next.captchaSolvedAt = now;
        return { next, extra: { code, region: chosen.parsed.region } };
      });
      return await this.deliver(reserved.session, reserved.extra.code, reserved.extra.region, req.channel, client, gate);
    } catch (err) {
      if (err instanceof TollgateError && !(err as { recorded?: boolean }).recorded) {
        const fromDefense = decisionOf(err);
        const decision = fromDefense ?? policyDecision(err);
        if (refusedSession && unlocksFallback(err, fromDefense !== undefined)) await this.unlockFallback(refusedSession, err);
        await this.d.events.record({
          type: 'code.send_refused',
          outcome: err.status < 500 && err.code !== 'invalid_request' ? 'failure' : 'client_error',
          reason: err.code,
          session: refusedSession,
          phoneNumber: phoneForEvent,
          channel: req.channel,
          client,
          details: { ...withoutCaptcha(err.steering), ...(decision ? { decision: decisionDetails(decision) } : {}) },
        });
      }
      throw err;
    }
  }

  /**
   * A phone send the country allowlist or the defense refused: the profile's fallback methods become
   * available in this session and are offered in the error's `alternatives`, so a genuine user whose
   * number cannot be served is never stuck.
   */
  private async unlockFallback(session: PhoneFactorSession, err: TollgateError): Promise<void> {
    const fallback = fallbackMethodsOf(this.d.profiles.resolveSession(session), this.factors);
    if (fallback.length === 0 || session.kind !== 'phone_factor') return;
    const alternatives = [...(err.steering.alternatives ?? [])];
    for (const m of fallback) if (!alternatives.includes(m)) alternatives.push(m);
    err.steering.alternatives = alternatives;
    if (fallback.every((m) => session.unlockedMethods?.includes(m))) return;
    await this.mutate(session.id, (s, _p, now) => {
      const unlocked = [...(s.unlockedMethods ?? [])];
      for (const m of fallback) if (!unlocked.includes(m)) unlocked.push(m);
      return { next: { ...s, unlockedMethods: unlocked, updatedAt: now }, extra: null };
    }).catch(() => null); // the refusal stands either way; the next refusal tries again
  }

  /** The checks that need no I/O: open session, channel, number, allowlist, budget and cooldown. */
  private precheck(s: PhoneFactorSession, profile: PhoneFactorProfile, req: Partial<SendRequest> & { channel: Channel }, now: number, chosenNumber?: (e164: string) => void) {
    flow.assertOpen(s);
    flow.assertChannelAllowed(profile.authenticationMode, req.channel);
    const chosen = chooseNumber(s, profile, req);
    chosenNumber?.(chosen.parsed.e164);
    assertCountryAllowed(profile, chosen.parsed);
    flow.assertMaySend(s, this.d.codeRules, now);
    return chosen;
  }

  private async deliver(session: PhoneFactorSession, code: string, region: string | null, channel: Channel, client: ClientInfo, gate: GatePass): Promise<SendOutcome> {
    const locale = session.locale ?? 'en';
    const app = this.d.apps.byId(session.appId);
    const appName = app?.name ?? 'Tollgate';
    const to = session.selectedNumber!;
    const cost = estimateCost(this.d.prices, region, channel);
    try {
      const result = await this.d.telephony.send({
        channel,
        to,
        region: region ?? '',
        locale,
        text: smsText(locale, code, appName, Math.round(this.d.codeRules.ttlMs / 60_000)),
        speech: voiceSpeech(locale, code, appName),
        code,
        sessionId: session.id,
        statusCallbackUrl: `${this.d.publicUrl()}/v1/telephony/${this.d.telephony.name}/status`,
      });
      const counted = await this.d.gate.commit(gate.ctx);
      await this.d.events.record({
        type: 'code.sent', outcome: 'success', reason: 'ok', session, channel, client, cost,
        details: {
          provider: result.provider, providerMessageId: result.providerMessageId, providerStatus: result.status, sendCount: session.sendCount, newPhoneNumberEntered: session.newPhoneNumberEntered,
          ...(gate.decision && gate.decision.reasons.length ? { decision: decisionDetails(gate.decision) } : {}),
          ...(gate.captchaPassed ? { captchaPassed: true } : {}),
          ...(gate.ctx?.ipInfo ? { ipCountry: gate.ctx.ipInfo.country, asn: gate.ctx.ipInfo.asn } : {}),
          ...(counted ? { counterError: String(counted) } : {}),
        },
      });
      return { view: buildSessionView(session, this.d.profiles.resolveSession(session), this.ctx(session)), sent: codeSentView(session, this.d.codeRules)! };
    } catch (err) {
      const reverted = await this.mutate(session.id, (s, _p, now) => ({ next: flow.recordSendFailed(s, now), extra: null })).catch(() => null);
      const providerCode = err instanceof TelephonyError ? err.providerCode : undefined;
      const reason = err instanceof TelephonyError && err.numberRejected ? 'delivery_failed' : 'provider_error';
      await this.d.events.record({ type: 'code.send_refused', outcome: 'failure', reason, session: reverted?.session ?? session, channel, client, details: { providerCode: providerCode ?? null, provider: this.d.telephony.name } });
      const error = new TollgateError(reason, undefined, { sendsLeft: flow.sendsLeft(reverted?.session ?? session, this.d.codeRules), alternatives: channel === 'sms' ? ['voice'] : ['sms'] });
      (error as { recorded?: boolean }).recorded = true;
      throw error;
    }
  }
}

/**
 * The policy's own static refusal (the countryList allowlist) recorded as a decision too, so every
 * refused send names the rule that refused it.
 */
function policyDecision(err: TollgateError): SendDecision | undefined {
  if (err.code !== 'country_not_allowed') return undefined;
  return {
    action: 'block',
    reasons: [{ code: 'country_not_allowed', rule: 'policy.countryList', action: 'block', shadow: false, message: err.message, details: { region: err.steering.region ?? null } }],
    alternatives: [],
  };
}

/** The CAPTCHA challenge in an error is for the client, not for the event log. */
function withoutCaptcha(steering: Record<string, unknown>): Record<string, unknown> {
  const { captcha: _omit, ...rest } = steering;
  return rest;
}

export { maskPhoneNumber, outputClaims };
