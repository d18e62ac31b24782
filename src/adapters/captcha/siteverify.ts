// Third-party CAPTCHA verification over the providers' "siteverify" HTTP API: one verifier, three
// thin configurations (Cloudflare Turnstile, hCaptcha, Google reCAPTCHA). The browser widget gives
// the user a token; the server POSTs it with the secret and trusts only the provider's answer.
// Any failure to get a clear answer is `captcha_unavailable`, which the defense treats as "not
// passed": an attacker who can slow the provider down must not get a free pass.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Captcha, CaptchaProvider, Clock } from '../../ports.ts';
import { MemoryReplayStore, type ReplayStore } from './replay-store.ts';
import { CaptchaErrorCode, fail, sameTag, sessionTag, subKey, type CaptchaVerifyResult } from './verification.ts';

export type SiteverifyProvider = Exclude<CaptchaProvider, 'altcha'>;

export const SITEVERIFY_URLS: Record<SiteverifyProvider, string> = {
  turnstile: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
  hcaptcha: 'https://api.hcaptcha.com/siteverify',
  recaptcha: 'https://www.google.com/recaptcha/api/siteverify',
};

export interface SiteverifyOptions {
  siteKey: string;
  secret: string;
  /** Default: the provider's real endpoint. Must be https (plain http only to loopback, for tests). */
  verifyUrl?: string;
  /** Default 5000 ms. */
  timeoutMs?: number;
  /** reCAPTCHA v3 only: lowest accepted score (default 0.5). Ignored when the answer has no score (v2). */
  minScore?: number;
  /** When set, the token must have been solved on this hostname. */
  expectedHostname?: string;
}

export interface SiteverifyDeps {
  clock: Clock;
  fetch?: typeof fetch;
  replayStore?: ReplayStore;
  /** Turnstile only: binds tokens to the session through `cdata` (see challenge()). */
  bindKey?: Uint8Array;
}

// The shared part of the three answers; each provider adds fields we ignore.
const answerSchema = z.object({
  success: z.boolean(),
  'error-codes': z.array(z.unknown()).optional(),
  hostname: z.string().optional(),
  challenge_ts: z.string().optional(),
  score: z.number().optional(),
  action: z.string().optional(),
  cdata: z.string().nullish(),
});

// Codes that mean our own credentials are wrong: the operator must fix the configuration.
const configErrors = new Set(['missing-input-secret', 'invalid-input-secret', 'sitekey-secret-mismatch', 'invalid-sitekey', 'missing-input-sitekey']);
const expiredErrors = new Set(['timeout-or-duplicate', 'expired-input-response', 'already-seen-response', 'invalid-or-already-seen-response']);

/** Provider tokens are at most a few kB (Turnstile: 2048 characters). */
const MAX_TOKEN_LENGTH = 8_192;
/** Tokens live 2–5 minutes at the providers; remember them a little longer than that. */
const REPLAY_MEMORY_MS = 10 * 60_000;

function checkVerifyUrl(url: string): string {
  const u = new URL(url);
  const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) throw new RangeError('captcha: verifyUrl must be https');
  return u.href;
}

/** Keeps only code-like strings, so nothing the provider echoes (or a secret) reaches our logs. */
function cleanCodes(codes: unknown[] | undefined): string[] {
  return (codes ?? []).filter((c): c is string => typeof c === 'string' && /^[a-z0-9-]{1,64}$/.test(c)).slice(0, 8);
}

export class SiteverifyCaptcha implements Captcha {
  readonly provider: SiteverifyProvider;
  readonly siteKey: string;
  private readonly verifyUrl: string;
  private readonly timeoutMs: number;
  private readonly minScore: number;
  private readonly expectedHostname: string | null;
  private readonly clock: Clock;
  private readonly fetchImpl: typeof fetch;
  private readonly replay: ReplayStore;
  // Private fields stay out of JSON.stringify, util.inspect and error objects.
  readonly #secret: string;
  readonly #bindKey: Buffer | null;

  constructor(provider: SiteverifyProvider, opts: SiteverifyOptions, deps: SiteverifyDeps) {
    if (!opts.secret) throw new RangeError(`captcha: ${provider} secret is required`);
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(opts.siteKey)) throw new RangeError(`captcha: ${provider} siteKey is invalid`);
    this.provider = provider;
    this.siteKey = opts.siteKey;
    this.verifyUrl = checkVerifyUrl(opts.verifyUrl ?? SITEVERIFY_URLS[provider]);
    this.timeoutMs = opts.timeoutMs ?? 5_000;
    this.minScore = opts.minScore ?? 0.5;
    this.expectedHostname = opts.expectedHostname?.toLowerCase() ?? null;
    this.clock = deps.clock;
    this.fetchImpl = deps.fetch ?? globalThis.fetch;
    this.replay = deps.replayStore ?? new MemoryReplayStore({ clock: deps.clock });
    this.#secret = opts.secret;
    this.#bindKey = provider === 'turnstile' && deps.bindKey ? subKey(deps.bindKey, 'turnstile-cdata') : null;
  }

  /**
   * What the page needs: the site key. Turnstile also gets `cdata`, a session tag the widget signs
   * into the token and siteverify hands back, so a token solved for one session fails in another.
   */
  async challenge(bind: { sessionId: string }): Promise<Record<string, unknown>> {
    const info: Record<string, unknown> = { provider: this.provider, siteKey: this.siteKey };
    if (this.#bindKey) info.cdata = sessionTag(this.#bindKey, bind.sessionId);
    return info;
  }

  /** Asks the provider once. Never throws; never includes the secret in what it returns. */
  async verify(token: string, bind: { sessionId: string; ip: string | null }): Promise<CaptchaVerifyResult> {
    if (typeof token !== 'string' || token.trim() === '') return fail(CaptchaErrorCode.MISSING);
    if (token.length > MAX_TOKEN_LENGTH) return fail(CaptchaErrorCode.INVALID);

    const form = new URLSearchParams({ secret: this.#secret, response: token });
    if (bind.ip) form.set('remoteip', bind.ip);
    if (this.provider === 'hcaptcha') form.set('sitekey', this.siteKey); // rejects tokens of another site key

    let answer: z.infer<typeof answerSchema>;
    try {
      const res = await this.fetchImpl(this.verifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
        // A redirect would re-send the secret somewhere we did not configure.
        redirect: 'error',
      });
      if (!res.ok) {
        await res.body?.cancel().catch(() => {});
        return fail(CaptchaErrorCode.UNAVAILABLE);
      }
      const parsed = answerSchema.safeParse(await res.json());
      if (!parsed.success) return fail(CaptchaErrorCode.UNAVAILABLE);
      answer = parsed.data;
    } catch {
      // Network error, timeout, non-JSON body. The error may quote the request: drop it whole.
      return fail(CaptchaErrorCode.UNAVAILABLE);
    }

    const codes = cleanCodes(answer['error-codes']);
    if (!answer.success) {
      if (codes.some((c) => configErrors.has(c))) return fail(CaptchaErrorCode.MISCONFIGURED, codes);
      if (codes.some((c) => expiredErrors.has(c))) return fail(CaptchaErrorCode.EXPIRED, codes);
      return fail(CaptchaErrorCode.INVALID, codes);
    }
    if (this.expectedHostname !== null && answer.hostname?.toLowerCase() !== this.expectedHostname) return fail(CaptchaErrorCode.HOSTNAME_MISMATCH);
    // Only reCAPTCHA: hCaptcha Enterprise scores the other way round (higher = riskier).
    if (this.provider === 'recaptcha' && answer.score !== undefined && !(answer.score >= this.minScore)) return fail(CaptchaErrorCode.SCORE_TOO_LOW);
    if (this.#bindKey && !sameTag(answer.cdata, sessionTag(this.#bindKey, bind.sessionId))) return fail(CaptchaErrorCode.SESSION_MISMATCH);

    // Providers already refuse a second siteverify of a token; this guards against a provider
    // test key or a misbehaving proxy. Claimed after success so only real tokens take space.
    const key = `${this.provider}:${createHash('sha256').update(token).digest('base64url')}`;
    const first = await this.replay.claim(key, this.clock.now() + REPLAY_MEMORY_MS);
    return first ? { ok: true } : fail(CaptchaErrorCode.REPLAYED);
  }
}

/** Cloudflare Turnstile (form field `cf-turnstile-response`). */
export class TurnstileCaptcha extends SiteverifyCaptcha {
  constructor(opts: SiteverifyOptions, deps: SiteverifyDeps) {
    super('turnstile', opts, deps);
  }
}

/** hCaptcha (form field `h-captcha-response`); the site key is sent too. */
export class HcaptchaCaptcha extends SiteverifyCaptcha {
  constructor(opts: SiteverifyOptions, deps: SiteverifyDeps) {
    super('hcaptcha', opts, deps);
  }
}

/** Google reCAPTCHA v2 checkbox, or v3 keys (score checked against `minScore`). */
export class RecaptchaCaptcha extends SiteverifyCaptcha {
  constructor(opts: SiteverifyOptions, deps: SiteverifyDeps) {
    super('recaptcha', opts, deps);
  }
}
