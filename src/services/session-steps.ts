// What every method's session steps share (phone codes, email codes, authenticator apps): load a
// session (expiring it when due), mutate it with optimistic concurrency, check a code (phone or
// email: the same session code), finish a verification with its event and signed result, cancel,
// and the server-to-server status. PhoneFactorService adds the phone sends on top.
import type { CodeRules } from '../core/codes/one-time-code.ts';
import { codeMatches, normaliseSubmittedCode } from '../core/codes/one-time-code.ts';
import { emailDomain, maskEmail } from '../core/email/address.ts';
import { TollgateError } from '../core/errors.ts';
import type { ClientInfo, PhoneFactorSession } from '../core/flows/session.ts';
import * as flow from '../core/flows/transitions.ts';
import type { PriceTable } from '../core/pricing/price-table.ts';
import type { PhoneFactorProfile } from '../core/policy/profile.ts';
import type { Clock, Random, Store, Telephony } from '../ports.ts';
import type { AppRegistry, RegisteredApp } from './apps.ts';
import type { EventRecorder } from './event-recorder.ts';
import type { VerifyOutcome } from './phone-factor-view.ts';
import type { ProfileResolver } from './profile-resolver.ts';
import { outputClaims, resultClaims } from './result-claims.ts';
import type { ResultTokens } from './result-tokens.ts';
import type { SendGate } from './send-gate.ts';
import { type EnabledFactors, verifiedMethod } from './session-methods.ts';
import { buildSessionView } from './session-view.ts';

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

export class SessionSteps {
  constructor(protected readonly d: PhoneFactorDeps) {}

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

  /** The kill switches of the stronger factors. */
  get factors(): EnabledFactors {
    return this.d.factors ?? { email: true, totp: true };
  }

  /** Checks the session's code, whatever channel it went by (phone or email: one code, one set of rules). */
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

/** Event facts of an email code: no phone number, the domain and the masked address (never the address). */
export function emailFacts(s: PhoneFactorSession): { phoneNumber?: null; method?: 'email'; details?: Record<string, unknown> } {
  if (s.code?.channel !== 'email') return {};
  const address = s.code.email ?? s.selectedEmail ?? '';
  return { phoneNumber: null, method: 'email', details: { method: 'email', emailDomain: emailDomain(address), emailMasked: maskEmail(address) } };
}

export function appendParams(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}
