// Recovery codes: the way back in when the authenticator app is lost. Each is a one-time
// password in its own right, so it gets the same treatment as a phone code: CSPRNG, only a keyed
// hash kept (bound to the enrollment), constant-time comparison, single use (the store marks it).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Random } from '../../ports.ts';

/** Lower-case letters and digits without 0/o, 1/l/i: nothing to misread from paper. */
export const RECOVERY_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
/** Characters per code: 10 × log2(31) ≈ 49.5 bits, ample behind an attempt limit. */
export const RECOVERY_CODE_LENGTH = 10;
export const DEFAULT_RECOVERY_CODE_COUNT = 10;

/** `xxxx-xxxx-xx`: the grouping is for reading aloud and typing; it is not part of the secret. */
function format(chars: string): string {
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

export function generateRecoveryCodes(random: Random, count = DEFAULT_RECOVERY_CODE_COUNT): string[] {
  if (!Number.isInteger(count) || count < 1 || count > 50) throw new RangeError('recovery code count must be 1–50');
  const codes = new Set<string>();
  // Duplicates are astronomically rare; the bound only stops a broken Random from looping forever.
  for (let draws = 0; codes.size < count; draws++) {
    if (draws > count * 10) throw new Error('Random source keeps repeating itself');
    let chars = '';
    // random.int draws uniformly (no modulo bias), so each character carries log2(31) bits.
    for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) chars += RECOVERY_ALPHABET[random.int(RECOVERY_ALPHABET.length)];
    codes.add(format(chars));
  }
  return [...codes];
}

/**
 * What the user typed, reduced to the code's characters (case, spaces and dashes ignored); null
 * when it cannot be a recovery code, so obvious junk never costs a hash or a lookup.
 */
export function normaliseRecoveryCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const chars = input.toLowerCase().replace(/[\s-]/g, '');
  if (chars.length !== RECOVERY_CODE_LENGTH) return null;
  for (const c of chars) if (!RECOVERY_ALPHABET.includes(c)) return null;
  return chars;
}

/**
 * HMAC-SHA256 under the recovery key, bound to the enrollment: the stored hashes are useless
 * without the key, and a hash copied to another enrollment never matches there. Takes the
 * formatted or raw form; returns null when the input is not a recovery code.
 */
export function hashRecoveryCode(key: Uint8Array, enrollmentId: string, code: string): string | null {
  const chars = normaliseRecoveryCode(code);
  if (chars === null) return null;
  return createHmac('sha256', key).update(`recovery:${enrollmentId}:${chars}`).digest('hex');
}

/**
 * Index of the stored hash the submitted code matches, or -1. Compares against every hash, each
 * in constant time, so timing reveals neither whether nor which code matched. (The SQLite store
 * looks a hash up by value instead: equally safe, since nobody can aim at a keyed hash.)
 */
export function findRecoveryCode(
  key: Uint8Array,
  enrollmentId: string,
  submitted: unknown,
  storedHashes: readonly string[],
): number {
  const chars = normaliseRecoveryCode(submitted);
  if (chars === null) return -1;
  const candidate = Buffer.from(hashRecoveryCode(key, enrollmentId, chars)!, 'hex');
  let found = -1;
  storedHashes.forEach((stored, i) => {
    const s = Buffer.from(stored, 'hex');
    if (s.length === candidate.length && timingSafeEqual(s, candidate) && found < 0) found = i;
  });
  return found;
}
