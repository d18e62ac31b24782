// Settings of the stronger factors (`factors.*`): email codes (disposable domains, velocity per
// address and domain) and authenticator apps (TOTP parameters, attempt limit, at-rest key).
// Embedded in the app's config schema; docs/configuration.md and docs/factors.md explain each key.
import { z } from 'zod';

const action = z.literal('block');
const limit = z.object({ windowSeconds: z.number().int().positive(), max: z.number().int().positive(), action: action.default('block') }).strict();
export type EmailVelocityLimit = z.output<typeof limit>;
const L = (windowSeconds: number, max: number): EmailVelocityLimit => ({ windowSeconds, max, action: 'block' });

/** base64 (or base64url) of exactly 32 bytes. */
const key32 = z.string().refine((v) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, 'must be base64 of 32 bytes (e.g. `openssl rand -base64 32`)');

export const factorsConfigSchema = z
  .object({
    /** At-rest key of TOTP secrets; default: HKDF of `secret`. Pin it before rotating `secret`. */
    totpKey: key32.optional(),
    email: z
      .object({
        /** false: no profile offers email codes, whatever its setting.methods says (kill switch). */
        enabled: z.boolean().default(true),
        disposable: z
          .object({
            block: z.array(z.string().min(1)).default([]),
            allow: z.array(z.string().min(1)).default([]),
            useBuiltIn: z.boolean().default(true),
          })
          .strict()
          .prefault({}),
        velocity: z
          .object({
            /** Codes to one address (case-insensitive). */
            address: z.array(limit).default([L(600, 3), L(86_400, 10)]),
            /** Codes to one domain: raise it for the big mailbox providers your users share. */
            domain: z.array(limit).default([L(3600, 300)]),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    totp: z
      .object({
        /** false: no profile offers authenticator apps (kill switch); the enrollment API answers 404. */
        enabled: z.boolean().default(true),
        /** Shown in the authenticator app; default: the app's `name`. */
        issuer: z.string().min(1).max(64).optional(),
        algorithm: z.enum(['SHA1', 'SHA256', 'SHA512']).default('SHA1'),
        digits: z.union([z.literal(6), z.literal(8)]).default(6),
        /** Steps accepted either side of now (clock drift). */
        window: z.number().int().min(0).max(3).default(1),
        maxWrongAttempts: z.number().int().min(1).max(20).default(5),
        attemptWindowSeconds: z.number().int().min(30).max(86_400).default(300),
        pendingTtlSeconds: z.number().int().min(60).max(86_400).default(900),
        recoveryCodes: z.number().int().min(1).max(50).default(10),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type FactorsConfig = z.output<typeof factorsConfigSchema>;
