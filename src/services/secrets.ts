// Keys derived from one master secret with HKDF, one per purpose, so no key serves two jobs.
// Development without a configured secret: one is generated once and kept in the store.
import { hkdfSync, randomBytes } from 'node:crypto';
import type { Store } from '../ports.ts';

export interface Keys {
  codeHash: Uint8Array;
  userIdHash: Uint8Array;
  csrf: Uint8Array;
  captcha: Uint8Array;
  /** AES-256-GCM key of TOTP secrets at rest (`factors.totpKey`). */
  totp: Uint8Array;
  /** HMAC key of recovery-code hashes. */
  recovery: Uint8Array;
}

/**
 * `totpKey` (base64 of 32 bytes, `factors.totpKey`) replaces the derived at-rest key. The
 * recovery-code key is derived from the at-rest key rather than from `secret`, so pinning that one
 * value keeps both TOTP secrets and recovery codes working across a rotation of `secret`.
 */
export function deriveKeys(secret: string, totpKey?: string): Keys {
  const derive = (info: string, from: string | Uint8Array = secret) => new Uint8Array(hkdfSync('sha256', from, 'tollgate', info, 32));
  const totp = totpKey ? new Uint8Array(Buffer.from(totpKey, 'base64')) : derive('totp-secret-box');
  return {
    codeHash: derive('code-hash'),
    userIdHash: derive('user-id-hash'),
    csrf: derive('csrf'),
    captcha: derive('captcha'),
    totp,
    recovery: derive('totp-recovery-code', totp),
  };
}

export async function resolveSecret(configured: string | undefined, store: Store): Promise<string> {
  if (configured) return configured;
  const kept = await store.getSetting('generated_secret');
  if (kept) return kept;
  const fresh = randomBytes(32).toString('base64url');
  await store.setSetting('generated_secret', fresh);
  return fresh;
}
