// Self-hosted proof-of-work CAPTCHA (ALTCHA v2 via altcha-lib): no third-party request, no cookie.
// Each challenge is signed with a key derived from the master secret, expires (Clock port), is bound
// to one session, and passes once (replay store): altcha-lib alone checks none of the last two
// (CVE-2025-68113).
import { createChallenge, randomInt, verifySolution, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { z } from 'zod';
import type { Captcha, Clock } from '../../ports.ts';
import { MemoryReplayStore, type ReplayStore } from './replay-store.ts';
import { CaptchaErrorCode, fail, sameTag, sessionTag, subKey, type CaptchaVerifyResult } from './verification.ts';

/** PBKDF2 is native in browsers (SubtleCrypto) and in Node 20; Argon2 would need Node ≥ 24.7. */
export const ALTCHA_ALGORITHM = 'PBKDF2/SHA-256';

// Defaults aim at roughly half a second to a second in a mid-range phone browser (the widget runs
// one worker per core) and about one second on one Node core: PBKDF2 iterations per attempt ×
// attempts, where the counter to find is uniform in [1, maxNumber] (expected maxNumber / 2 tries).
export const ALTCHA_DEFAULT_COST = 2_000;
export const ALTCHA_DEFAULT_MAX_NUMBER = 3_000;
export const ALTCHA_DEFAULT_EXPIRES_SECONDS = 600;

export interface AltchaCaptchaOptions {
  clock: Clock;
  /** ≥ 16 bytes, derived from the master secret by the caller; sub-keys are derived from it here. */
  hmacKey: Uint8Array;
  /** PBKDF2 iterations per attempt (default 2000). */
  cost?: number;
  /** The secret counter is drawn uniformly from [1, maxNumber] (default 3000). */
  maxNumber?: number;
  /** Challenge lifetime (default 600 s). */
  expiresInSeconds?: number;
  /** Where used solutions are remembered (default: in memory, this process only). */
  replayStore?: ReplayStore;
}

/** What `challenge()` returns and the widget renders: the signed challenge as JSON. */
export interface AltchaChallengeInfo extends Record<string, unknown> {
  provider: 'altcha';
  challenge: Challenge;
}

// The base64 JSON the <altcha-widget> posts in its form field. Only the shape is checked here;
// the signature check in altcha-lib covers the values. Parameters stay loose on purpose: the
// signature is computed over all of them, so none may be dropped.
const hex = z.string().regex(/^(?:[0-9a-f]{2})+$/).max(1024);
const payloadSchema = z.object({
  challenge: z.object({
    parameters: z.looseObject({
      algorithm: z.literal(ALTCHA_ALGORITHM),
      nonce: hex,
      salt: hex,
      cost: z.number().int().positive(),
      keyLength: z.number().int().positive(),
      keyPrefix: hex,
      keySignature: hex,
      expiresAt: z.number().int().positive(),
      data: z.looseObject({ sid: z.string().max(64) }),
    }),
    signature: hex,
  }),
  solution: z.object({
    counter: z.number().int().nonnegative(),
    derivedKey: hex,
    time: z.number().optional(),
  }),
});

/** Widget payloads are a few hundred bytes; anything far larger is not one. */
const MAX_TOKEN_LENGTH = 4_096;

function positiveInt(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new RangeError(`altcha: ${name} must be an integer in [1, ${max}]`);
  return value;
}

export class AltchaCaptcha implements Captcha {
  readonly provider = 'altcha' as const;
  private readonly clock: Clock;
  private readonly cost: number;
  private readonly maxNumber: number;
  private readonly expiresInMs: number;
  private readonly replay: ReplayStore;
  // Three sub-keys: challenge signature, derived-key signature (deterministic mode), session tag.
  readonly #signatureSecret: string;
  readonly #keySignatureSecret: string;
  readonly #sessionKey: Buffer;

  constructor(opts: AltchaCaptchaOptions) {
    if (!(opts.hmacKey instanceof Uint8Array) || opts.hmacKey.length < 16) throw new RangeError('altcha: hmacKey must be at least 16 bytes');
    this.clock = opts.clock;
    this.cost = positiveInt('cost', opts.cost ?? ALTCHA_DEFAULT_COST, 1_000_000);
    // uint32 counters: altcha-lib refuses counters above 2^32 - 1.
    this.maxNumber = positiveInt('maxNumber', opts.maxNumber ?? ALTCHA_DEFAULT_MAX_NUMBER, 0xffffffff);
    this.expiresInMs = positiveInt('expiresInSeconds', opts.expiresInSeconds ?? ALTCHA_DEFAULT_EXPIRES_SECONDS, 86_400) * 1000;
    this.replay = opts.replayStore ?? new MemoryReplayStore({ clock: opts.clock });
    this.#signatureSecret = subKey(opts.hmacKey, 'altcha-challenge').toString('hex');
    this.#keySignatureSecret = subKey(opts.hmacKey, 'altcha-key').toString('hex');
    this.#sessionKey = subKey(opts.hmacKey, 'altcha-session');
  }

  /**
   * A fresh signed challenge for this session. Deterministic mode: the server picks the counter and
   * signs the key it derives, so verifying is one HMAC (no PBKDF2 on the server per submission).
   */
  async challenge(bind: { sessionId: string }): Promise<AltchaChallengeInfo> {
    const expiresAt = Math.floor((this.clock.now() + this.expiresInMs) / 1000);
    const challenge = await createChallenge({
      algorithm: ALTCHA_ALGORITHM,
      cost: this.cost,
      counter: randomInt(this.maxNumber, 1),
      deriveKey,
      expiresAt,
      data: { sid: sessionTag(this.#sessionKey, bind.sessionId) },
      hmacSignatureSecret: this.#signatureSecret,
      hmacKeySignatureSecret: this.#keySignatureSecret,
    });
    return { provider: 'altcha', challenge };
  }

  /** `token`: the base64 payload the widget posts (form field `altcha`). Never throws. */
  async verify(token: string, bind: { sessionId: string; ip: string | null }): Promise<CaptchaVerifyResult> {
    if (typeof token !== 'string' || token.trim() === '') return fail(CaptchaErrorCode.MISSING);
    const payload = decode(token.trim());
    if (!payload) return fail(CaptchaErrorCode.INVALID);
    const { parameters } = payload.challenge;

    let verified: Awaited<ReturnType<typeof verifySolution>>;
    try {
      verified = await verifySolution({
        challenge: payload.challenge as Challenge,
        solution: payload.solution,
        deriveKey,
        hmacSignatureSecret: this.#signatureSecret,
        hmacKeySignatureSecret: this.#keySignatureSecret,
      });
    } catch {
      return fail(CaptchaErrorCode.INVALID);
    }
    // altcha-lib compares expiresAt with the system clock; Tollgate's own time is the Clock port.
    if (verified.expired || parameters.expiresAt * 1000 <= this.clock.now()) return fail(CaptchaErrorCode.EXPIRED);
    if (!verified.verified) return fail(CaptchaErrorCode.INVALID);
    if (!sameTag(parameters.data.sid, sessionTag(this.#sessionKey, bind.sessionId))) return fail(CaptchaErrorCode.SESSION_MISMATCH);
    // Claimed last, so only genuine solutions can occupy the store. The nonce is random and signed.
    const first = await this.replay.claim(`altcha:${parameters.nonce}`, parameters.expiresAt * 1000);
    return first ? { ok: true } : fail(CaptchaErrorCode.REPLAYED);
  }
}

type AltchaPayload = z.infer<typeof payloadSchema>;

function decode(token: string): AltchaPayload | null {
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(json);
  // The raw object, not zod's copy: the signature covers every parameter exactly as issued.
  return parsed.success ? (json as AltchaPayload) : null;
}
