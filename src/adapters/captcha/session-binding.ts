// Ties a CAPTCHA solution to the session it was issued for, so a solution harvested in one session
// (or bought from a solving farm) cannot be spent in another (the CVE-2025-68113 lesson).
// The challenge carries an HMAC tag of the session id rather than the id itself: the challenge is
// readable by the browser and by whoever relays it to a farm, and the id should not travel there.
import { createHmac } from 'node:crypto';

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
