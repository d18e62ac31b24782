// Checking and normalising what an operator lists (numbers, prefixes, IPs, CIDRs, ASNs, countries)
// and how long for. Values are stored normalised so matching is plain string/number equality and
// "+44 7400 123456" and "+447400123456" are one entry, not two.
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { TollgateError } from '../errors.ts';
import type { ReputationKind } from '../../ports.ts';
import { formatIp, parseCidr, parseIp } from './reputation-ip.ts';

export const reputationKinds = ['number', 'prefix', 'ip', 'cidr', 'asn', 'country'] as const satisfies readonly ReputationKind[];
export const reputationListNames = ['block', 'allow'] as const;

export function isReputationKind(kind: string): kind is ReputationKind {
  return (reputationKinds as readonly string[]).includes(kind);
}

const MAX_ASN = 4_294_967_295;

function invalid(message: string, field = 'value'): never {
  throw new TollgateError('invalid_request', message, { field });
}

/** Spaces, dots, dashes and brackets people paste with numbers. */
const stripPhonePunctuation = (text: string) => text.replace(/[\s().-]/g, '');

/**
 * The normalised form of `value` for `kind`; throws TollgateError `invalid_request` (field `value`,
 * or `kind`) with a message saying what is expected.
 */
export function validateEntry(kind: string, value: string): string {
  if (!isReputationKind(kind)) invalid(`kind must be one of ${reputationKinds.join(', ')}`, 'kind');
  if (typeof value !== 'string' || value.trim() === '') invalid(`a ${kind} value is required`);
  const text = value.trim();
  if (text.length > 64) invalid(`the ${kind} value is too long`);
  switch (kind) {
    case 'number': {
      const digits = stripPhonePunctuation(text);
      if (!/^\+\d{4,15}$/.test(digits)) invalid('a number must be in E.164 form: + then country code and number, e.g. +447400123456');
      const parsed = parsePhoneNumberFromString(digits);
      if (!parsed || !parsed.isValid()) invalid(`${digits} is not a valid phone number (for a range of numbers use kind "prefix")`);
      return parsed.number;
    }
    case 'prefix': {
      const digits = stripPhonePunctuation(text);
      if (!/^\+[1-9]\d{1,13}$/.test(digits)) invalid('a prefix is + then 2–14 digits of an E.164 number (no leading 0), e.g. +4474001');
      return digits;
    }
    case 'ip': {
      const ip = parseIp(text);
      if (!ip) invalid(`${text} is not an IPv4 or IPv6 address (for a range use kind "cidr")`);
      return formatIp(ip);
    }
    case 'cidr': {
      const cidr = parseCidr(text);
      if (typeof cidr === 'string') invalid(cidr);
      return `${formatIp(cidr)}/${cidr.prefixLength}`;
    }
    case 'asn': {
      const m = /^(?:AS)?\s*(\d{1,10})$/i.exec(text);
      const asn = m ? Number(m[1]) : NaN;
      if (!Number.isInteger(asn) || asn < 1 || asn > MAX_ASN) invalid(`an ASN is a number 1–${MAX_ASN}, optionally written AS16509`);
      return String(asn);
    }
    case 'country': {
      const region = text.toUpperCase();
      if (region === 'UK') invalid('the ISO region of the United Kingdom is GB');
      if (!/^[A-Z]{2}$/.test(region)) invalid('a country is a two-letter ISO 3166 region, e.g. GB');
      if (!isSupportedCountry(region)) invalid(`${region} is not a region with phone numbers`);
      return region;
    }
  }
}

const ttlUnits: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
/** Ten years: longer than that is "until removed" (omit the ttl). */
export const MAX_TTL_SECONDS = 3650 * 86_400;

/** `15m`, `1h`, `7d`, `2w`, `90s` or a number of seconds → seconds. Throws invalid_request on `field`. */
export function parseTtl(input: string | number, field = 'ttl'): number {
  let seconds: number;
  if (typeof input === 'number') seconds = input;
  else {
    const m = /^\s*(\d{1,10})\s*([smhdw]?)\s*$/i.exec(input);
    if (!m) invalid(`${field} must be a duration such as 15m, 1h or 7d, or a number of seconds`, field);
    seconds = Number(m[1]) * ttlUnits[(m[2] || 's').toLowerCase()]!;
  }
  if (!Number.isInteger(seconds) || seconds < 1) invalid(`${field} must be a whole number of seconds, at least 1`, field);
  if (seconds > MAX_TTL_SECONDS) invalid(`${field} is longer than ten years; omit it to list until removed`, field);
  return seconds;
}
