// Use cases of the phone factor: start a session, send a code, verify it, cancel. Wires the pure
// core (number choice, transitions, codes) to the ports (store, telephony, clock, random) and
// records an event for every step. The hosted page and the headless API both call this.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Channel } from '../core/events/event.ts';
import { TollgateError } from '../core/errors.ts';
import { type CodeRules, codeMatches, generateCode, hashCode, normaliseSubmittedCode } from '../core/codes/one-time-code.ts';
import { assertCountryAllowed, chooseNumber } from '../core/flows/number-choice.ts';
import type { ClientInfo, PhoneFactorSession } from '../core/flows/session.ts';
import * as flow from '../core/flows/transitions.ts';
import { smsText, voiceSpeech } from '../core/i18n/messages.ts';
import { maskPhoneNumber } from '../core/phone/phone-number.ts';
import { emailDomain, maskEmail } from '../core/email/address.ts';
import { estimateCost, type PriceTable } from '../core/pricing/price-table.ts';
import type { PhoneFactorProfile } from '../core/policy/profile.ts';
import { type Clock, type Random, type Store, type Telephony, TelephonyError } from '../ports.ts';
import type { RegisteredApp } from './apps.ts';
import type { EventRecorder } from './event-recorder.ts';
import type { SendOutcome, SendRequest, VerifyOutcome } from './phone-factor-view.ts';
import { buildSessionView, codeSentView } from './session-view.ts';
import type { ProfileResolver } from './profile-resolver.ts';
import type { ResultTokens } from './result-tokens.ts';
import { decisionDetails } from './send-defense.ts';
import { decisionOf, type GatePass, type SendGate } from './send-gate.ts';
import type { AppRegistry } from './apps.ts';
import { outputClaims, resultClaims } from './result-claims.ts';
import { type EnabledFactors, fallbackMethodsOf, unlocksFallback, verifiedMethod } from './session-methods.ts';

export interface PhoneFactorDeps {
  store: Store;
  telephony: Telephony;
  clock: Clock;
  random: Random;
  events: EventRecorder;
  tokens: ResultTokens;
  profiles: ProfileResolver;
  apps: AppRegistry;
  codeRules: CodeRules;
  codeHashKey: Uint8Array;
  sessionTtlMs: number;
  prices: PriceTable;
  /** Resolved after listen when the port is chosen by the OS. */
  publicUrl: () => string;
  gate: SendGate;
  /** Email codes and authenticator apps switched on in configuration (default: both). */
  factors?: EnabledFactors;
}

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

export class PhoneFactorService {
  constructor(private readonly d: PhoneFactorDeps) {}

  async start(app: RegisteredApp, input: StartInput): Promise<{ session: PhoneFactorSession; url: string }> {
    const now = this.d.clock.now();
    const profile = this.d.profiles.resolve(input.profile);
    const registered = [...new Set(input.phoneNumbers)];
    if (registered.length > Math.max(profile.inputClaims.phoneNumbers.length, input.kind === 'verification' ? 1 : 0)) {
      throw new TollgateError('too_many_phone_numbers', `Profile ${profile.id} takes at most ${profile.inputClaims.phoneNumbers.length} phone numbers.`, { field: 'phoneNumbers' });
    }
    if (registered.length === 0 && !profile.manualPhoneNumberEntryAllowed) throw new TollgateError('phone_number_required', undefined, { field: 'phoneNumbers' });
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

  /** Loads a session, expiring it (with an event) when its time is up. */
  async load(id: string): Promise<PhoneFactorSession> {
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{20,64}$/.test(id)) throw new TollgateError('session_not_found');
    const stored = await this.d.store.getSession(id);
    if (!stored) throw new TollgateError('session_not_found');
    const expired = flow.expireIfDue(stored, this.d.clock.now());
    if (expired === stored) return stored;
    const saved = await this.d.store.updateSession(expired);
    if (saved) await this.d.events.record({ type: 'session.expired', outcome: 'failure', reason: 'session_expired', session: saved });
    return saved ?? (await this.load(id));
  }

  async view(id: string) {
    const session = await this.load(id);
    const profile = this.d.profiles.resolveSession(session);
    const view = buildSessionView(session, profile, this.ctx(session));
    if (!flow.isTerminal(session)) view.captcha = await this.d.gate.pendingChallenge(session, profile);
    return view;
  }

  /** The kill switches of the stronger factors. */
  get factors(): EnabledFactors {
    return this.d.factors ?? { email: true, totp: true };
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
        const decision = decisionOf(err);
        if (refusedSession && unlocksFallback(err, decision !== undefined)) await this.unlockFallback(refusedSession, err);
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

  async verify(id: string, submitted: unknown, client: ClientInfo): Promise<VerifyOutcome> {
    let lastSession: PhoneFactorSession | null = null;
    try {
      const outcome = await this.mutate(id, (s, _profile, now) => {
        lastSession = s;
        flow.assertOpen(s);
        flow.assertCodeCheckable(s, this.d.codeRules, now);
        const code = normaliseSubmittedCode(submitted, this.d.codeRules.length);
        if (code === null) {
          throw new TollgateError('invalid_request', `The code must be ${this.d.codeRules.length} digits.`, { field: 'code', attemptsLeft: flow.attemptsLeft(s, this.d.codeRules) });
        }
        const check = flow.applyCodeCheck(s, codeMatches(this.d.codeHashKey, s.id, code, s.code!.hash), this.d.codeRules, now);
        return { next: check.session, extra: check };
      });
      const s = outcome.session;
      const email = emailFacts(s);
      if (outcome.extra.result === 'rejected') {
        const err = outcome.extra.error;
        await this.d.events.record({ type: 'code.rejected', outcome: 'failure', reason: err.code, session: s, channel: s.code?.channel ?? null, client, ...email, details: { ...err.steering, ...email.details } });
        if (s.status === 'failed') await this.d.events.record({ type: 'session.failed', outcome: 'failure', reason: err.code, session: s, channel: s.code?.channel ?? null, client, ...email });
        throw err;
      }
      await this.d.events.record({ type: 'code.verified', outcome: 'success', reason: 'ok', session: s, channel: s.code?.channel ?? null, client, ...email });
      return await this.completeVerified(s, client, { newPhoneNumberEntered: s.newPhoneNumberEntered });
    } catch (err) {
      if (err instanceof TollgateError && (err.code === 'invalid_request' || err.code === 'no_code_sent' || err.code === 'code_expired' || (err.code === 'too_many_attempts' && err.message.startsWith('This code')))) {
        const email = lastSession ? emailFacts(lastSession) : {};
        await this.d.events.record({ type: 'code.rejected', outcome: err.code === 'invalid_request' ? 'client_error' : 'failure', reason: err.code, session: lastSession, client, ...email, details: { ...err.steering, ...(email as { details?: object }).details } });
      }
      throw err;
    }
  }

  /**
   * The end of every successful method (phone or email code, authenticator app): the
   * `session.verified` event and the signed result.
   */
  async completeVerified(s: PhoneFactorSession, client: ClientInfo, details: Record<string, unknown> = {}): Promise<VerifyOutcome> {
    const profile = this.d.profiles.resolveSession(s);
    const method = verifiedMethod(s);
    const channel = method === 'totp' ? null : (s.code?.channel ?? null);
    await this.d.events.record({
      type: 'session.verified', outcome: 'success', reason: 'ok', session: s, channel, client,
      ...(method === 'phone' ? {} : { phoneNumber: null, method }),
      details: method === 'phone' ? details : { method, ...details },
    });
    const result = await this.resultToken(s, profile);
    return { view: buildSessionView(s, profile, this.ctx(s)), result, redirectTo: s.returnUrl ? appendParams(s.returnUrl, { result }) : null };
  }

  async cancel(id: string, client: ClientInfo): Promise<{ redirectTo: string | null }> {
    const { session } = await this.mutate(id, (s, _p, now) => {
      flow.assertOpen(s);
      return { next: flow.markFailed(s, 'user_cancelled', now), extra: null };
    });
    await this.d.events.record({ type: 'session.cancelled', outcome: 'failure', reason: 'user_cancelled', session, client });
    return { redirectTo: session.returnUrl ? appendParams(session.returnUrl, { error: 'user_cancelled', error_description: 'The user has canceled multifactor authentication' }) : null };
  }

  /** Server-to-server status: the mapped claims once verified. */
  async status(app: RegisteredApp, id: string) {
    const s = await this.load(id);
    if (s.appId !== app.id) throw new TollgateError('session_not_found');
    const profile = this.d.profiles.resolveSession(s);
    const base = { id: s.id, status: s.status, profile: s.profileId, policy: s.policyId, expiresAt: new Date(s.expiresAt).toISOString(), sendCount: s.sendCount, failureReason: s.failureReason };
    if (s.status !== 'verified') return base;
    return { ...base, claims: outputClaims(s, profile), result: await this.resultToken(s, profile) };
  }

  private async resultToken(s: PhoneFactorSession, profile: PhoneFactorProfile): Promise<string> {
    const app = this.d.apps.byId(s.appId);
    return this.d.tokens.sign(resultClaims(s, profile, app?.audience ?? s.appId, this.d.clock.now()));
  }

  /** What views of this session are built with. */
  ctx(session: PhoneFactorSession) {
    return { codeRules: this.d.codeRules, appName: this.d.apps.byId(session.appId)?.name ?? session.appId, factors: this.factors };
  }

  /**
   * Load → apply a pure step → save with optimistic concurrency, retrying on a concurrent write so
   * that parallel requests cannot double-spend a code or skip an attempt count.
   */
  async mutate<T>(id: string, step: (s: PhoneFactorSession, profile: PhoneFactorProfile, now: number) => { next: PhoneFactorSession; extra: T }): Promise<{ session: PhoneFactorSession; extra: T }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.load(id);
      const { next, extra } = step(current, this.d.profiles.resolveSession(current), this.d.clock.now());
      const saved = await this.d.store.updateSession(next);
      if (saved) return { session: saved, extra };
    }
    throw new TollgateError('rate_limited', 'Too many concurrent requests for this session; retry shortly.', { retryAfter: 1 });
  }
}

export { outputClaims };

/** Event facts of an email code: no phone number, the domain and the masked address (never the address). */
export function emailFacts(s: PhoneFactorSession): { phoneNumber?: null; method?: 'email'; details?: Record<string, unknown> } {
  if (s.code?.channel !== 'email') return {};
  const address = s.code.email ?? s.selectedEmail ?? '';
  return { phoneNumber: null, method: 'email', details: { method: 'email', emailDomain: emailDomain(address), emailMasked: maskEmail(address) } };
}

/** The CAPTCHA challenge in an error is for the client, not for the event log. */
function withoutCaptcha(steering: Record<string, unknown>): Record<string, unknown> {
  const { captcha: _omit, ...rest } = steering;
  return rest;
}

function appendParams(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

export { maskPhoneNumber };
