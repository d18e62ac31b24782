// What a viewer may see of a phone number: the masked form (`+44 ••••••3456`) in HTML, JSON and CSV,
// and, so a viewer can still drill into a number, an opaque reference to it instead of the number
// in links. Admins (canSeeFullNumbers) get rows as they are.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { maskPhoneNumber } from '../../core/phone/phone-number.ts';

/**
 * Deterministic authenticated encryption of phone numbers (SIV: the IV is an HMAC of the number,
 * checked again on opening), so the same number always gets the same reference and a forged or
 * edited reference is refused. Keys are derived from the admin CSRF key, for this use only.
 */
export class PhoneRefs {
  private readonly macKey: Buffer;
  private readonly encKey: Buffer;

  constructor(secret: Uint8Array) {
    const keys = Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), 'tollgate workbook phone references', 64));
    this.macKey = keys.subarray(0, 32);
    this.encKey = keys.subarray(32);
  }

  private iv(phone: string): Buffer {
    return createHmac('sha256', this.macKey).update(phone, 'utf8').digest().subarray(0, 16);
  }

  ref(phone: string): string {
    const iv = this.iv(phone);
    const cipher = createCipheriv('aes-256-ctr', this.encKey, iv);
    return Buffer.concat([iv, cipher.update(phone, 'utf8'), cipher.final()]).toString('base64url');
  }

  /** The number behind a reference, or null when it is not one of ours. */
  open(ref: string): string | null {
    if (typeof ref !== 'string' || !/^[A-Za-z0-9_-]{24,200}$/.test(ref)) return null;
    const bytes = Buffer.from(ref, 'base64url');
    if (bytes.length < 17) return null;
    const iv = bytes.subarray(0, 16);
    const decipher = createDecipheriv('aes-256-ctr', this.encKey, iv);
    const phone = Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString('utf8');
    return timingSafeEqual(iv, this.iv(phone)) ? phone : null;
  }
}

/** A phone number as this viewer may see it. */
export function shownNumber(phone: string, fullNumbers: boolean): string {
  return fullNumbers ? phone : maskPhoneNumber(phone);
}

/**
 * Rows for this viewer: for viewers, every `phoneNumber` is masked and gets a `phoneRef` beside it;
 * the phone time chart's `series` (a number) likewise, with `seriesRef`. Admins: rows unchanged.
 */
export function rowsForViewer<R extends object>(rows: readonly R[], fullNumbers: boolean, refs: PhoneRefs, seriesArePhones = false): Record<string, unknown>[] {
  if (fullNumbers) return rows as unknown as Record<string, unknown>[];
  return rows.map((row) => {
    const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
    if (typeof out.phoneNumber === 'string') {
      out.phoneRef = refs.ref(out.phoneNumber);
      out.phoneNumber = maskPhoneNumber(out.phoneNumber);
    }
    if (seriesArePhones && typeof out.series === 'string') {
      out.seriesRef = refs.ref(out.series);
      out.series = maskPhoneNumber(out.series);
    }
    return out;
  });
}
