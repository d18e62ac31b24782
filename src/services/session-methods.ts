// Which verification methods a session offers right now (the profile's setting.methods, plus the
// fallback methods a refused phone send unlocked, minus the ones switched off in configuration),
// and which phone refusals unlock the fallback. Pure.
import { TollgateError } from '../core/errors.ts';
import type { PhoneFactorSession } from '../core/flows/session.ts';
import type { FactorMethod, PhoneFactorProfile } from '../core/policy/profile.ts';

/** Kill switches from configuration (`factors.email.enabled`, `factors.totp.enabled`). */
export interface EnabledFactors {
  email: boolean;
  totp: boolean;
}

function enabled(m: FactorMethod, on: EnabledFactors): boolean {
  return m === 'phone' || on[m];
}

/** The profile's fallback methods that configuration leaves on. */
export function fallbackMethodsOf(profile: PhoneFactorProfile, on: EnabledFactors): Exclude<FactorMethod, 'phone'>[] {
  return profile.fallbackMethods.filter((m) => enabled(m, on));
}

/** setting.methods, then the methods unlocked in this session, in that order, without duplicates. */
export function offeredMethods(profile: PhoneFactorProfile, session: PhoneFactorSession, on: EnabledFactors): FactorMethod[] {
  const out: FactorMethod[] = [];
  for (const m of [...profile.methods, ...(session.unlockedMethods ?? [])]) {
    if (enabled(m, on) && !out.includes(m)) out.push(m);
  }
  return out;
}

/** Refuses a method the session does not offer, naming those it does (`alternatives`). */
export function assertMethodOffered(profile: PhoneFactorProfile, session: PhoneFactorSession, on: EnabledFactors, method: FactorMethod): void {
  const offered = offeredMethods(profile, session, on);
  if (offered.includes(method)) return;
  throw new TollgateError('channel_not_allowed', `This session does not offer ${method === 'totp' ? 'an authenticator app' : method}.`, {
    alternatives: offered.filter((m) => m !== method),
  });
}

/**
 * Phone refusals that unlock the fallback: the country allowlist and defense blocks, where the
 * person is genuine but the number cannot be served. Not a CAPTCHA (the user can solve it), not the
 * location rule (it is about where the user is, which another method would not change), and not
 * the user's own input or budget (invalid number, cooldown, too many sends).
 */
const fallbackReasons: ReadonlySet<string> = new Set([
  'country_not_allowed',
  'number_type_blocked',
  'channel_disabled',
  'bad_reputation',
  'velocity_exceeded',
  'pumping_suspected',
  'spend_cap_reached',
]);

export function unlocksFallback(err: TollgateError, fromDefense: boolean): boolean {
  return err.code === 'country_not_allowed' || (fromDefense && fallbackReasons.has(err.code));
}

/** How a verified session was verified. */
export function verifiedMethod(s: PhoneFactorSession): FactorMethod {
  if (s.method) return s.method;
  return s.code?.channel === 'email' ? 'email' : 'phone';
}
