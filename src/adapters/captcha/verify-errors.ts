// The error codes a CAPTCHA verification returns (`{ ok: false, error }`). Stable strings: they end
// up in defense events and logs. The defense treats every one of them, `captcha_unavailable`
// included, as "challenge not passed", never as a pass.
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
