// The secrets handed to admins: the sign-in session cookie value and API tokens. Both are random,
// shown once and stored only as sha256, so the database never holds a usable credential.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Session cookie values: 32 random bytes, base64url (43 characters). */
const sessionValuePattern = /^[A-Za-z0-9_-]{43}$/;
/** `tg_<16 hex id>_<43 base64url secret>`: the id has a fixed length, so `_` in the secret is unambiguous. */
const apiTokenPattern = /^tg_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Constant-time equality of two hex digests (or any two strings). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function newSessionValue(): string {
  return randomBytes(32).toString('base64url');
}

export function isSessionValue(value: unknown): value is string {
  return typeof value === 'string' && sessionValuePattern.test(value);
}

export interface NewApiToken {
  id: string;
  /** The text given to the operator once: `tg_<id>_<secret>`. */
  token: string;
  tokenHash: string;
}

export function newApiToken(): NewApiToken {
  const id = randomBytes(8).toString('hex');
  const token = `tg_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, token, tokenHash: sha256Hex(token) };
}

/** The token id, when `text` has the shape of an API token; null otherwise. */
export function apiTokenId(text: string): string | null {
  const m = apiTokenPattern.exec(text);
  return m ? m[1]! : null;
}
