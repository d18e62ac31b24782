// One-time codes: CSPRNG digits, stored only as a keyed hash, compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Random } from '../../ports.ts';

export interface CodeRules {
  /** Digits per code (4–10, default 6). */
  length: number;
  /** How long a code stays valid (default 10 min). */
  ttlMs: number;
  /** Wrong entries allowed per code before it is spent (default 3). */
  maxWrongAttempts: number;
  /** Codes that may be sent in one session (default 5). */
  maxSends: number;
  /** Minimum wait between two sends in one session (default 30 s). */
  resendCooldownMs: number;
}

export const defaultCodeRules: CodeRules = {
  length: 6,
  ttlMs: 10 * 60_000,
  maxWrongAttempts: 3,
  maxSends: 5,
  resendCooldownMs: 30_000,
};

/** Uniform decimal digits: each digit is an unbiased CSPRNG draw (no modulo bias). */
export function generateCode(random: Random, length: number): string {
  if (!Number.isInteger(length) || length < 4 || length > 10) throw new RangeError('code length must be 4–10');
  let code = '';
  for (let i = 0; i < length; i++) code += String(random.int(10));
  return code;
}

/** Keyed hash bound to the session, so a hash leaked from one session says nothing about another. */
export function hashCode(key: Uint8Array, sessionId: string, code: string): string {
  return createHmac('sha256', key).update(`${sessionId}:${code}`).digest('hex');
}

/** Constant-time check of a submitted code against the stored hash. */
export function codeMatches(key: Uint8Array, sessionId: string, submitted: string, storedHash: string): boolean {
  const candidate = Buffer.from(hashCode(key, sessionId, submitted), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return candidate.length === stored.length && timingSafeEqual(candidate, stored);
}

/** Normalises what a user typed: strips spaces and dashes; returns null when it cannot be a code. */
export function normaliseSubmittedCode(text: unknown, length: number): string | null {
  if (typeof text !== 'string' || text.length > 64) return null;
  const digits = text.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${length}}$`).test(digits) ? digits : null;
}
