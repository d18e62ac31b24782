// TOTP secrets at rest: AES-256-GCM with a key from configuration (factors.totpKey, derived from
// the master secret). Unlike phone codes, a TOTP secret must be recoverable to verify, so it can
// only be encrypted, not hashed. The enrollment id is the associated data, so a box copied onto
// another enrollment's row fails to open instead of handing one user's factor to another.
// Format: `v1.<iv>.<ciphertext>.<tag>`, each part base64url; the version prefix lets a later key
// or cipher change coexist with boxes written today.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { Random } from '../../ports.ts';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new RangeError('secret-box key must be 32 bytes');
}

function aad(enrollmentId: string): Buffer {
  return Buffer.from(`tollgate/totp-secret/${enrollmentId}`, 'utf8');
}

/** Encrypts `plaintext` for `enrollmentId` with a fresh random IV. */
export function sealSecret(key: Uint8Array, enrollmentId: string, plaintext: string, random: Random): string {
  checkKey(key);
  const iv = Buffer.from(random.bytes(IV_BYTES));
  if (iv.length !== IV_BYTES) throw new Error('Random source returned the wrong number of bytes');
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(enrollmentId));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), body.toString('base64url'), tag.toString('base64url')].join('.');
}

/**
 * Decrypts a box written by sealSecret for the same enrollment id. Throws SecretBoxError when the
 * format is unknown or the box, the id or the key do not match (GCM authentication fails).
 */
export function openSecret(key: Uint8Array, enrollmentId: string, box: string): string {
  checkKey(key);
  const parts = box.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError('unknown secret-box format');
  const [, ivText, bodyText, tagText] = parts as [string, string, string, string];
  const iv = Buffer.from(ivText, 'base64url');
  const body = Buffer.from(bodyText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('malformed secret box');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(enrollmentId));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    // Node's message ("Unsupported state or unable to authenticate data") says nothing more useful.
    throw new SecretBoxError('secret box failed authentication (tampered, wrong key or wrong enrollment)');
  }
}
