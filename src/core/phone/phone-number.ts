// Parsing and normalising phone numbers with libphonenumber-js `max` metadata (the only metadata
// set that knows every number type). The country always comes from the parsed number, never from
// the calling code alone: +1 covers the US, Canada and high-cost Caribbean ranges.
import { type CountryCode, type NumberType, parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface ParsedPhoneNumber {
  /** E.164, e.g. +14155550123. */
  e164: string;
  /** Calling code without "+", e.g. "1". */
  countryCallingCode: string;
  /** ISO 3166-1 alpha-2 region, or null for non-geographic numbers (+881, +882, +883, +979 …). */
  region: string | null;
  nationalNumber: string;
  type: NumberType | undefined;
  valid: boolean;
}

/**
 * Parses what a user typed or an app sent. `defaultRegion` applies to national-format input
 * (the country chosen in the dropdown). Returns null when the text is not a phone number at all.
 */
export function parsePhoneNumber(text: string, defaultRegion?: string): ParsedPhoneNumber | null {
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 40) return null;
  if (!/^[+0-9()\-.\s/]+$/.test(trimmed)) return null;
  const region = defaultRegion && /^[A-Z]{2}$/.test(defaultRegion) ? (defaultRegion as CountryCode) : undefined;
  // One send parses the same number several times (request, defense, events): remember the answers.
  const key = `${region ?? ''}|${trimmed}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const result = parseUncached(trimmed, region);
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
  memo.set(key, result);
  return result;
}

/** Recent parses (a bounded map, oldest dropped first); results are frozen, so sharing them is safe. */
const MEMO_SIZE = 4096;
const memo = new Map<string, Readonly<ParsedPhoneNumber> | null>();

function parseUncached(trimmed: string, region: CountryCode | undefined): Readonly<ParsedPhoneNumber> | null {
  const parsed = parsePhoneNumberFromString(trimmed, region ? { defaultCountry: region } : undefined);
  if (!parsed) return null;
  const valid = parsed.isValid();
  return Object.freeze({
    e164: parsed.number,
    countryCallingCode: parsed.countryCallingCode,
    region: parsed.country ?? null,
    nationalNumber: parsed.nationalNumber,
    type: valid ? parsed.getType() : undefined,
    valid,
  });
}

/** Masks all but the last `visible` digits: +14155550123 → +1 ••• ••• 0123. */
export function maskPhoneNumber(e164: string, visible = 4): string {
  const p = parsePhoneNumber(e164);
  const cc = p?.countryCallingCode ?? '';
  const national = p?.nationalNumber ?? e164.replace(/^\+/, '');
  const tail = national.slice(-visible);
  const hidden = Math.max(0, national.length - visible);
  return `+${cc} ${'•'.repeat(hidden)}${tail}`.trim();
}
