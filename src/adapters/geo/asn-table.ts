// The IP → ASN tables of @ip-location-db/asn (numeric CSV: start, end, asn, organisation) held in
// typed arrays and binary-searched. Typed arrays rather than objects per row: ~400k IPv4 rows cost
// a few MB this way instead of ~60 MB, and the garbage collector never walks them. The CSV is read
// as bytes and numbers are parsed by hand because this runs on the first lookup of a process and
// the obvious split/Number/BigInt version takes about a second for both files.
import { readFileSync } from 'node:fs';

export interface AsnHit {
  asn: number;
  organization: string | null;
}

const COMMA = 44, NEWLINE = 10, CR = 13, QUOTE = 34;

/**
 * Reads rows into `words` uint32 words per bound, most significant first (1 for IPv4, 4 for IPv6).
 * Malformed lines are skipped; a row overlapping the previous one (the data has a few) is clipped
 * so binary search stays correct.
 */
function parse(path: string, words: 1 | 4) {
  const buf = readFileSync(path);
  const len = buf.length;
  const capacity = Math.ceil(len / 20) + 16; // no row is shorter than 20 bytes
  const starts = new Uint32Array(capacity * words), ends = new Uint32Array(capacity * words);
  const asns = new Uint32Array(capacity);
  // The organisation is a function of the ASN in this data, so it is decoded once per ASN.
  const orgByAsn = new Map<number, string>();
  const limbs = [0, 0, 0, 0, 0, 0, 0, 0]; // IPv6: 16-bit limbs, least significant first
  let n = 0;
  let i = 0;

  /** Decimal digits at i into target[at..at+words); false when there are none or too many. */
  const readNumber = (target: Uint32Array, at: number): boolean => {
    const begin = i;
    let c = buf[i]!;
    if (words === 1) {
      let v = 0;
      for (; c >= 48 && c <= 57 && i - begin < 11; c = buf[++i]!) v = v * 10 + (c - 48);
      target[at] = v;
      return i > begin && v <= 0xffffffff;
    }
    // Up to 39 digits, folded into the limbs four digits at a time (exact in doubles).
    for (let k = 0; k < 8; k++) limbs[k] = 0;
    for (;;) {
      let chunk = 0, scale = 1;
      for (; c >= 48 && c <= 57 && scale < 10_000; c = buf[++i]!) {
        chunk = chunk * 10 + (c - 48);
        scale *= 10;
      }
      if (scale === 1) break;
      for (let k = 0; k < 8; k++) {
        const v = limbs[k]! * scale + chunk;
        limbs[k] = v % 65536;
        chunk = Math.floor(v / 65536);
      }
      if (chunk !== 0 || i - begin > 39) return false;
    }
    for (let w = 0; w < 4; w++) target[at + w] = limbs[7 - 2 * w]! * 65536 + limbs[6 - 2 * w]!;
    return i > begin;
  };
  /** -1, 0, 1 comparing a[ai..] with b[bi..] over `words` words. */
  const compare = (a: Uint32Array, ai: number, b: Uint32Array, bi: number): number => {
    for (let w = 0; w < words; w++) if (a[ai + w] !== b[bi + w]) return a[ai + w]! < b[bi + w]! ? -1 : 1;
    return 0;
  };

  while (i < len) {
    const row = n * words;
    let ok = readNumber(starts, row) && buf[i++] === COMMA && readNumber(ends, row) && buf[i++] === COMMA;
    let asn = 0;
    const asnAt = i;
    for (let c = buf[i]!; c >= 48 && c <= 57 && i - asnAt < 11; c = buf[++i]!) asn = asn * 10 + (c - 48);
    ok = ok && buf[i] === COMMA && asn > 0 && asn <= 0xffffffff && compare(starts, row, ends, row) <= 0;
    const orgAt = ++i;
    while (i < len && buf[i] !== NEWLINE) i++;
    const orgEnd = i > orgAt && buf[i - 1] === CR ? i - 1 : i;
    i++;
    if (ok && n > 0 && compare(starts, row, ends, row - words) <= 0) {
      if (compare(ends, row, ends, row - words) <= 0) ok = false; // inside the previous row
      else {
        for (let w = 0; w < words; w++) starts[row + w] = ends[row - words + w]!;
        for (let w = words - 1; w >= 0; w--) {
          starts[row + w] = (starts[row + w]! + 1) >>> 0; // + 1, carrying into the next word on wrap-around
          if (starts[row + w] !== 0) break;
        }
      }
    }
    if (!ok) continue;
    asns[n++] = asn;
    if (!orgByAsn.has(asn)) {
      let name = buf.toString('utf8', orgAt, orgEnd);
      if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replaceAll('""', '"');
      orgByAsn.set(asn, name);
    }
  }
  return { starts: starts.slice(0, n * words), ends: ends.slice(0, n * words), asns: asns.slice(0, n), orgByAsn, rows: n };
}

/** One address family's table; IPv4 keys are 1 word, IPv6 keys 4. */
export class AsnTable {
  private constructor(
    private readonly words: 1 | 4,
    private readonly data: ReturnType<typeof parse>,
  ) {}

  get rows(): number {
    return this.data.rows;
  }

  static loadIpv4(path: string): AsnTable {
    return new AsnTable(1, parse(path, 1));
  }

  static loadIpv6(path: string): AsnTable {
    return new AsnTable(4, parse(path, 4));
  }

  /** `key`: the address as 1 (IPv4) or 4 (IPv6) uint32 words, most significant first. */
  lookup(key: ArrayLike<number>): AsnHit | null {
    const { starts, ends, asns, orgByAsn, rows } = this.data;
    const w = this.words;
    const cmp = (arr: Uint32Array, row: number): number => {
      for (let k = 0; k < w; k++) {
        const a = arr[row * w + k]!, b = key[k]!;
        if (a !== b) return a < b ? -1 : 1;
      }
      return 0;
    };
    let lo = 0, hi = rows - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(starts, mid) > 0) hi = mid - 1;
      else lo = mid + 1;
    }
    // hi is the last row starting at or before the address.
    if (hi < 0 || cmp(ends, hi) < 0) return null;
    const asn = asns[hi]!;
    return { asn, organization: orgByAsn.get(asn) || null };
  }
}
