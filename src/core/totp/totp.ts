// TOTP (RFC 6238) for authenticator apps: secrets, otpauth:// URIs and verification with replay
// protection. Pure: randomness comes from the Random port and time is passed in.
// The HOTP arithmetic is otpauth's; the comparison, the window and the replay rule are ours,
// because they are what makes a TOTP factor stronger than its six digits suggest.
import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';
import type { Random } from '../../ports.ts';

export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';
export type TotpDigits = 6 | 8;

export interface TotpParameters {
  algorithm: TotpAlgorithm;
  digits: TotpDigits;
  /** Seconds per step. 30 is the only value every authenticator app honours. */
  period: number;
}

/**
 * SHA1 / 6 digits / 30 s: what Google Authenticator and most apps actually use. Several apps
 * silently ignore `algorithm` and `digits` in the URI and then show codes that never match.
 */
export const defaultTotpParameters: TotpParameters = { algorithm: 'SHA1', digits: 6, period: 30 };

/** 160 bits, the HMAC-SHA1 block-friendly size RFC 4226 recommends. */
export const TOTP_SECRET_BYTES = 20;

/** A fresh secret from the CSPRNG, as unpadded base32 (what authenticator apps accept). */
export function generateTotpSecret(random: Random, bytes = TOTP_SECRET_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < 16 || bytes > 64) throw new RangeError('TOTP secret must be 16–64 bytes');
  const raw = random.bytes(bytes);
  if (raw.length !== bytes) throw new Error('Random source returned the wrong number of bytes');
  // Copy into an exact-size buffer: a Uint8Array view may sit on a larger shared pool.
  return new Secret({ buffer: new Uint8Array(raw).buffer }).base32;
}

export interface TotpUriInput extends Partial<TotpParameters> {
  /** Service name shown in the app ("Example Shop"). */
  issuer: string;
  /** Account name shown under it (a masked email, a username: never a secret or an internal id). */
  label: string;
  /** Base32 secret. */
  secret: string;
}

// Issuer and label are shown by the app and go into the URI path; a colon in either would
// change how apps split "issuer:label", control characters have no business there.
function cleanUriText(text: string, fallback: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f:]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > 0 ? flat.slice(0, 64) : fallback;
}

/** `otpauth://totp/Issuer:label?secret=…&issuer=…&algorithm=…&digits=…&period=…`. */
export function totpUri(input: TotpUriInput): string {
  const p = { ...defaultTotpParameters, ...stripUndefined(input) };
  return new TOTP({
    issuer: cleanUriText(input.issuer, 'Tollgate'),
    label: cleanUriText(input.label, 'account'),
    secret: Secret.fromBase32(input.secret),
    algorithm: p.algorithm,
    digits: p.digits,
    period: p.period,
  }).toString();
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The time step `now` (epoch ms) falls in. */
export function totpStep(now: number, period: number): number {
  return Math.floor(now / (period * 1000));
}

/** The code for a step (tests, and tools that display the expected code in development). */
export function totpCodeAt(secret: string, step: number, p: TotpParameters = defaultTotpParameters): string {
  return HOTP.generate({ secret: Secret.fromBase32(secret), algorithm: p.algorithm, digits: p.digits, counter: step });
}

/** What a user typed, without spaces or dashes; null when it cannot be a code of `digits` digits. */
export function normaliseTotpToken(token: unknown, digits: number): string | null {
  if (typeof token !== 'string' || token.length > 32) return null;
  const clean = token.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${digits}}$`).test(clean) ? clean : null;
}

export interface VerifyTotpInput extends Partial<TotpParameters> {
  secret: string;
  token: unknown;
  /** Epoch ms. */
  now: number;
  /** Steps accepted either side of now for clock drift (default 1: ±30 s). At most 3. */
  window?: number;
  /** The last step a code was accepted for; that step and earlier ones are refused. */
  lastUsedStep: number | null;
}

export type TotpCheck =
  | { ok: true; step: number }
  | { ok: false; step: null; reason: 'malformed' | 'mismatch' | 'replayed' };

/**
 * Accepts a code for any step in now ± window that is later than `lastUsedStep`, so each code
 * is accepted once, and an older code still inside the window is refused once a newer one was
 * used. Every candidate is compared (no early exit), each in constant time.
 */
export function verifyTotp(input: VerifyTotpInput): TotpCheck {
  const p: TotpParameters = { ...defaultTotpParameters, ...stripUndefined(input) };
  const window = Math.min(Math.max(Math.trunc(input.window ?? 1), 0), 3);
  const token = normaliseTotpToken(input.token, p.digits);
  if (token === null) return { ok: false, step: null, reason: 'malformed' };
  const submitted = Buffer.from(token, 'utf8');
  const now = totpStep(input.now, p.period);
  let fresh: number | null = null;
  let replayed = false;
  for (let step = now - window; step <= now + window; step++) {
    if (step < 0) continue;
    const expected = Buffer.from(totpCodeAt(input.secret, step, p), 'utf8');
    const match = expected.length === submitted.length && timingSafeEqual(expected, submitted);
    if (!match) continue;
    if (input.lastUsedStep !== null && step <= input.lastUsedStep) replayed = true;
    else fresh = step; // ascending loop: the latest fresh match wins
  }
  if (fresh !== null) return { ok: true, step: fresh };
  return { ok: false, step: null, reason: replayed ? 'replayed' : 'mismatch' };
}
