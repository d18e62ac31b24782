// Password hashing with scrypt (memory-hard, in node:crypto). The parameters travel with each hash
// (`scrypt$N$r$p$salt$hash`, base64url) so they can be raised later: old hashes still verify and
// are re-hashed with the current parameters at the next successful sign-in.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const CURRENT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 64;
/** Upper bounds for parameters read back from the database, so a tampered row cannot exhaust memory. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
/** Longer inputs are refused before hashing: nobody types more, and it bounds the work per attempt. */
export const MAX_PASSWORD_LENGTH = 1024;

/** scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is exactly N=2^15, r=8, so allow twice that. */
function maxmemFor(params: ScryptParams): number {
  return 256 * params.N * params.r * params.p;
}

function derive(password: string, salt: Buffer, params: ScryptParams, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, { ...params, maxmem: maxmemFor(params) }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, params: ScryptParams = CURRENT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params, KEY_BYTES);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export interface DecodedHash extends ScryptParams {
  salt: Buffer;
  key: Buffer;
}

/** Parses `scrypt$N$r$p$salt$hash`; null for anything malformed or out of bounds. */
export function decodePasswordHash(encoded: string): DecodedHash | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map((s) => (/^\d{1,8}$/.test(s!) ? Number(s) : NaN)) as [number, number, number];
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N || !(r >= 1 && r <= MAX_R) || !(p >= 1 && p <= MAX_P)) return null;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const key = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 16 || key.length < 32) return null;
  return { N, r, p, salt, key };
}

/** Constant-time check of `password` against an encoded hash. Malformed hashes never match. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const decoded = decodePasswordHash(encoded);
  if (!decoded || password.length > MAX_PASSWORD_LENGTH) return false;
  const key = await derive(password, decoded.salt, decoded, decoded.key.length);
  return timingSafeEqual(key, decoded.key);
}

/** True when the hash was made with weaker parameters than the current ones. */
export function needsRehash(encoded: string, params: ScryptParams = CURRENT_PARAMS): boolean {
  const d = decodePasswordHash(encoded);
  return !d || d.N < params.N || d.r < params.r || d.p < params.p || d.key.length < KEY_BYTES;
}

let dummy: Promise<string> | null = null;

/**
 * A real hash of a random password, made once: signing in as an unknown user verifies against it,
 * so "no such user" costs the same scrypt work as "wrong password".
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(18).toString('base64url'));
  return dummy;
}
