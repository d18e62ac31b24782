// Random but valid phone numbers. Legitimate users get valid MOBILE numbers spread over a country's
// real mobile prefixes: libphonenumber's example mobile number with its subscriber digits
// randomised, rejection-sampled with isValid() and getType(). Attackers lease blocks of adjacent
// numbers, written as patterns such as "+99440123xxxx" (x = any digit).
import examples from 'libphonenumber-js/mobile/examples';
import { type CountryCode, getExampleNumber, type NumberType, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Rng } from '../random.ts';

export interface NumberInfo {
  e164: string;
  region: string | null;
  type: NumberType | undefined;
  valid: boolean;
}

export function inspectNumber(e164: string): NumberInfo {
  const p = parsePhoneNumberFromString(e164);
  if (!p) return { e164, region: null, type: undefined, valid: false };
  const valid = p.isValid();
  return { e164: p.number, region: p.country ?? null, type: valid ? p.getType() : undefined, valid };
}

interface MobileTemplate {
  callingCode: string;
  national: string;
  types: ReadonlySet<NumberType>;
}

const templates = new Map<string, MobileTemplate>();

function mobileTemplate(country: string): MobileTemplate {
  let t = templates.get(country);
  if (t) return t;
  const example = getExampleNumber(country as CountryCode, examples);
  if (!example) throw new Error(`libphonenumber has no example mobile number for ${country}`);
  // Where mobile and fixed ranges cannot be told apart (US, CA, MX…) the example itself types as
  // FIXED_LINE_OR_MOBILE, and that is the best "mobile" the metadata can confirm.
  const types = new Set<NumberType>(['MOBILE', example.getType() ?? 'MOBILE']);
  t = { callingCode: example.countryCallingCode, national: example.nationalNumber, types };
  templates.set(country, t);
  return t;
}

/** Mobile types accepted for a country (MOBILE, plus FIXED_LINE_OR_MOBILE where that is all there is). */
export function mobileTypesOf(country: string): ReadonlySet<NumberType> {
  return mobileTemplate(country).types;
}

/**
 * A random valid mobile number of `country`, E.164. Keeps the first 1, then 2, 3… national digits
 * of the example (randomising as much as the numbering plan allows) until a draw is valid.
 */
export function randomMobile(country: string, rng: Rng): string {
  const t = mobileTemplate(country);
  const n = t.national.length;
  for (let keep = 1; keep < n; keep++) {
    const tries = keep < 3 ? 30 : 200;
    for (let i = 0; i < tries; i++) {
      const e164 = `+${t.callingCode}${t.national.slice(0, keep)}${rng.digits(n - keep)}`;
      if (acceptable(e164, country, t.types)) return e164;
    }
  }
  return `+${t.callingCode}${t.national}`;
}

function acceptable(e164: string, region: string | null, types: ReadonlySet<NumberType>): boolean {
  const info = inspectNumber(e164);
  return info.valid && info.region === region && info.type !== undefined && types.has(info.type);
}

/** Pattern of the 10k-block (last `free` digits open) around a random valid mobile number. */
export function randomMobileBlock(country: string, rng: Rng, free = 4): string {
  const e164 = randomMobile(country, rng);
  return e164.slice(0, e164.length - free) + 'x'.repeat(free);
}

/** Number of open digits in a pattern. */
export function openDigits(pattern: string): number {
  return pattern.length - pattern.replace(/x/g, '').length;
}

/** The pattern's number at index `i` (0 … 10^open − 1), the open digits counting up. */
export function patternNumber(pattern: string, i: number): string {
  const open = openDigits(pattern);
  return pattern.replace(/x+$/, String(i).padStart(open, '0'));
}

/** The next block: the fixed digits + 1 (what a pumper leasing "the range next door" gets). */
export function adjacentPattern(pattern: string): string {
  const fixed = pattern.slice(1, pattern.length - openDigits(pattern));
  const next = (BigInt(fixed) + 1n).toString().padStart(fixed.length, '0');
  return `+${next}${'x'.repeat(openDigits(pattern))}`;
}

/** True when a number drawn from the pattern is acceptable for `accept` (a type set, or any valid). */
export function validForPattern(e164: string, accept: ReadonlySet<NumberType> | null): boolean {
  const info = inspectNumber(e164);
  return info.valid && (accept === null || (info.type !== undefined && accept.has(info.type)));
}

/**
 * Numbers drawn at random from a block, each used at most `maxUses` times; when the block runs
 * short the attacker moves on to the adjacent block.
 */
export class BlockNumbers {
  private readonly uses = new Map<string, number>();
  private pattern: string;
  private drawnInBlock = 0;

  constructor(
    pattern: string,
    private readonly rng: Rng,
    private readonly maxUses = 2,
    private readonly accept: ReadonlySet<NumberType> | null = null,
  ) {
    if (!/^\+\d+x+$/.test(pattern)) throw new Error(`number pattern "${pattern}" must look like +99440123xxxx`);
    this.pattern = pattern;
  }

  get currentPattern(): string {
    return this.pattern;
  }

  next(): string {
    const size = 10 ** openDigits(this.pattern);
    for (let attempt = 0; attempt < 400; attempt++) {
      // Past ~70 % of the block's capacity, random picks mostly collide: lease the next block.
      if (this.drawnInBlock >= size * this.maxUses * 0.7) this.moveOn();
      const e164 = patternNumber(this.pattern, this.rng.int(size));
      const used = this.uses.get(e164) ?? 0;
      if (used >= this.maxUses || !validForPattern(e164, this.accept)) continue;
      this.uses.set(e164, used + 1);
      this.drawnInBlock++;
      return e164;
    }
    throw new Error(`number pattern ${this.pattern} yields no valid numbers`);
  }

  private moveOn(): void {
    this.pattern = adjacentPattern(this.pattern);
    this.drawnInBlock = 0;
  }
}
