// What every CAPTCHA verifier shares: the stable error codes and result of `verify`, and the
// session binding that ties a solution to the session it was issued for.
import { createHmac } from 'node:crypto';

// ---- results -----------------------------------------------------------------------------------

// Error codes end up in defense events and logs, so they are stable strings. The defense treats
// every one of them, `captcha_unavailable` included, as "challenge not passed", never as a pass.
export const CaptchaErrorCode = {
  /** No token in the form (the widget did not run, or JavaScript is off). */
  MISSING: 'captcha_missing',
  /** Malformed token, bad signature, wrong solution, or the provider said no. */
  INVALID: 'captcha_invalid',
  /** The challenge or token is past its lifetime. */
  EXPIRED: 'captcha_expired',
  /** The solution was made for another session (a harvested or farmed solution). */
  SESSION_MISMATCH: 'captcha_session_mismatch',
  /** The same solution or token came a second time. */
  REPLAYED: 'captcha_replayed',
  /** reCAPTCHA v3: the provider's score is below `minScore`. */
  SCORE_TOO_LOW: 'captcha_score_too_low',
  /** The token was solved on another site than `expectedHostname`. */
  HOSTNAME_MISMATCH: 'captcha_hostname_mismatch',
  /** The provider rejected our own credentials (bad secret, key pair mismatch): an operator problem. */
  MISCONFIGURED: 'captcha_misconfigured',
  /** The verifier could not be reached or answered nonsense (network error, timeout, 5xx). */
  UNAVAILABLE: 'captcha_unavailable',
} as const;
export type CaptchaErrorCode = (typeof CaptchaErrorCode)[keyof typeof CaptchaErrorCode];

/** What every adapter's `verify` returns; `providerCodes` carries a third party's `error-codes`. */
export interface CaptchaVerifyResult {
  ok: boolean;
  error?: CaptchaErrorCode;
  /** Third-party `error-codes`, sanitised (never contains the secret or the token). */
  providerCodes?: string[];
}

export function fail(error: CaptchaErrorCode, providerCodes?: string[]): CaptchaVerifyResult {
  return providerCodes && providerCodes.length > 0 ? { ok: false, error, providerCodes } : { ok: false, error };
}

// ---- session binding ---------------------------------------------------------------------------

// A solution harvested in one session (or bought from a solving farm) must not be spendable in
// another (the CVE-2025-68113 lesson). Challenges carry an HMAC tag of the session id rather than
// the id itself: the browser, and whoever relays the challenge to a farm, can read the challenge.

/** Derives a purpose-specific sub-key, so one master-derived key never signs two kinds of thing. */
export function subKey(key: Uint8Array, purpose: string): Buffer {
  return createHmac('sha256', key).update(`tollgate-captcha:${purpose}`).digest();
}

/** 128-bit hex tag of a session id; the same key and session always give the same tag. */
export function sessionTag(key: Uint8Array, sessionId: string): string {
  return createHmac('sha256', key).update(sessionId).digest('hex').slice(0, 32);
}

/** Constant-time comparison of two tags (plain strings of equal alphabet). */
export function sameTag(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
