// Keys derived from one master secret with HKDF, one per purpose, so no key serves two jobs.
// Development without a configured secret: one is generated once and kept in the store.
import { hkdfSync, randomBytes } from 'node:crypto';
import type { Store } from '../ports.ts';

export interface Keys {
  codeHash: Uint8Array;
  userIdHash: Uint8Array;
  csrf: Uint8Array;
  captcha: Uint8Array;
}

export function deriveKeys(secret: string): Keys {
  const derive = (info: string) => new Uint8Array(hkdfSync('sha256', secret, 'tollgate', info, 32));
  return { codeHash: derive('code-hash'), userIdHash: derive('user-id-hash'), csrf: derive('csrf'), captcha: derive('captcha') };
}

export async function resolveSecret(configured: string | undefined, store: Store): Promise<string> {
  if (configured) return configured;
  const kept = await store.getSetting('generated_secret');
  if (kept) return kept;
  const fresh = randomBytes(32).toString('base64url');
  await store.setSetting('generated_secret', fresh);
  return fresh;
}
