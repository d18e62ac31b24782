// The claims of a verified session: the profile's output claims under the policy's names, plus
// what the method adds. The phone claims are always present (a B2C journey reads them by name):
// after an email code or an authenticator app the verified number is null and
// newPhoneNumberEntered false, and `email` / `email_verified` or nothing else is added.
import type { PhoneFactorSession } from '../core/flows/session.ts';
import type { PhoneFactorProfile } from '../core/policy/profile.ts';
import { verifiedMethod } from './session-methods.ts';

export function outputClaims(s: PhoneFactorSession, profile: PhoneFactorProfile): Record<string, unknown> {
  const method = verifiedMethod(s);
  const phone = method === 'phone';
  const claims: Record<string, unknown> = {
    [profile.outputClaims.verifiedPhoneNumber.claimType]: phone ? s.selectedNumber : null,
    [profile.outputClaims.newPhoneNumberEntered.claimType]: phone ? s.newPhoneNumberEntered : false,
  };
  if (method === 'email') {
    claims.email = s.code?.email ?? s.selectedEmail ?? null;
    claims.email_verified = true;
  }
  return claims;
}

/** RFC 8176 `amr`: `sms` / `tel` for phone codes, `otp` for an authenticator app; `email` for email codes. */
export function amrOf(s: PhoneFactorSession): string[] {
  const method = verifiedMethod(s);
  if (method === 'totp') return ['otp'];
  if (method === 'email') return ['email'];
  return [s.code?.channel === 'voice' ? 'tel' : 'sms'];
}

/** Everything the result token says, except what the token service adds (iss, iat, exp, jti). */
export function resultClaims(s: PhoneFactorSession, profile: PhoneFactorProfile, audience: string, now: number) {
  return {
    sub: s.userId,
    aud: audience,
    sid: s.id,
    ...(s.nonce ? { nonce: s.nonce } : {}),
    amr: amrOf(s),
    auth_time: Math.floor((s.verifiedAt ?? now) / 1000),
    tollgate: { profile: s.profileId, policy: s.policyId, channel: verifiedMethod(s) === 'totp' ? null : (s.code?.channel ?? null), method: verifiedMethod(s) },
    ...outputClaims(s, profile),
  };
}
