// CAPTCHA configuration (the `captcha` block of tollgate.yaml) and the factory that turns it into a
// `Captcha` port. ALTCHA, self-hosted, is the default: it needs no account and sends nothing to a
// third party.
import { z } from 'zod';
import type { Captcha, Clock } from '../../ports.ts';
import { AltchaCaptcha } from './altcha.ts';
import type { ReplayStore } from './replay-store.ts';
import { SiteverifyCaptcha } from './siteverify.ts';

export { AltchaCaptcha, type AltchaCaptchaOptions, type AltchaChallengeInfo } from './altcha.ts';
export { MemoryReplayStore, type ReplayStore } from './replay-store.ts';
export { HcaptchaCaptcha, RecaptchaCaptcha, SiteverifyCaptcha, TurnstileCaptcha, SITEVERIFY_URLS, type SiteverifyOptions, type SiteverifyProvider } from './siteverify.ts';
export { CaptchaErrorCode, type CaptchaVerifyResult } from './verification.ts';

const altchaConfigSchema = z.object({
  provider: z.literal('altcha'),
  /** PBKDF2 iterations per attempt. */
  cost: z.number().int().min(1).max(1_000_000).optional(),
  /** Upper bound of the secret counter (expected work: maxNumber / 2 attempts). */
  maxNumber: z.number().int().min(1).max(0xffffffff).optional(),
  expiresInSeconds: z.number().int().min(30).max(86_400).optional(),
});

const siteverifyConfigSchema = z.object({
  provider: z.enum(['turnstile', 'hcaptcha', 'recaptcha']),
  siteKey: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'letters, digits, _ and - only'),
  secret: z.string().min(1),
  verifyUrl: z.url({ protocol: /^https?$/ }).optional(),
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
  minScore: z.number().min(0).max(1).optional(),
  expectedHostname: z.string().min(1).max(253).optional(),
});

export const captchaConfigSchema = z.discriminatedUnion('provider', [altchaConfigSchema, siteverifyConfigSchema]).default({ provider: 'altcha' });
export type CaptchaConfig = z.output<typeof captchaConfigSchema>;

export interface CaptchaDeps {
  clock: Clock;
  /** Derived from the master secret by the caller (≥ 16 bytes): signs ALTCHA challenges, tags sessions. */
  hmacKey: Uint8Array;
  fetch?: typeof fetch;
  /** Shared single-use memory (default: one in-memory store per verifier). */
  replayStore?: ReplayStore;
}

export function createCaptcha(config: CaptchaConfig, deps: CaptchaDeps): Captcha {
  if (config.provider === 'altcha') {
    return new AltchaCaptcha({
      clock: deps.clock,
      hmacKey: deps.hmacKey,
      cost: config.cost,
      maxNumber: config.maxNumber,
      expiresInSeconds: config.expiresInSeconds,
      replayStore: deps.replayStore,
    });
  }
  return new SiteverifyCaptcha(
    config.provider,
    {
      siteKey: config.siteKey,
      secret: config.secret,
      verifyUrl: config.verifyUrl,
      timeoutMs: config.timeoutMs,
      minScore: config.minScore,
      expectedHostname: config.expectedHostname,
    },
    { clock: deps.clock, fetch: deps.fetch, replayStore: deps.replayStore, bindKey: deps.hmacKey },
  );
}
