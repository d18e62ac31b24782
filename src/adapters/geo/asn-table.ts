// The IP → ASN table of @ip-location-db/asn (numeric CSV: start, end, asn, organisation) held in
// typed arrays and binary-searched. Typed arrays rather than objects per row: ~400k IPv4 rows cost
// ~5 MB this way instead of ~60 MB, and the garbage collector never walks them.
import { readFileSync } from 'node:fs';

export interface AsnHit {
  asn: number;
  organization: string | null;
}

/** Unquotes a CSV field: `"Cloudflare, Inc."` → `Cloudflare, Inc.`, `"LLC ""X"""` → `LLC "X"`. */
function unquote(field: string): string {
  const f = field.endsWith('\r') ? field.slice(0, -1) : field;
  return f.startsWith('"') && f.endsWith('"') && f.length >= 2 ? f.slice(1, -1).replaceAll('""', '"') : f;
}

/** Calls `row(start, end, asn, org)` for every well-formed line; returns the row count. */
function eachRow(text: string, row: (start: string, end: string, asn: number, org: string) => void): number {
  let count = 0;
  for (let at = 0; at < text.length; ) {
    let eol = text.indexOf('\n', at);
    if (eol < 0) eol = text.length;
    const c1 = text.indexOf(',', at);
    const c2 = c1 < 0 || c1 > eol ? -1 : text.indexOf(',', c1 + 1);
    const c3 = c2 < 0 || c2 > eol ? -1 : text.indexOf(',', c2 + 1);
    if (c3 > 0 && c3 < eol) {
      const asn = Number(text.slice(c2 + 1, c3));
      if (Number.isInteger(asn) && asn > 0) {
        row(text.slice(at, c1), text.slice(c1 + 1, c2), asn, unquote(text.slice(c3 + 1, eol)));
        count++;
      }
    }
    at = eol + 1;
  }
  return count;
}

/** Organisation names interned: one string per distinct name, rows hold an index. */
class Orgs {
  readonly names: string[] = [''];
  private readonly ids = new Map<string, number>([['', 0]]);
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) this.ids.set(name, (id = this.names.push(name) - 1));
    return id;
  }
}

function grow<T extends Uint32Array | BigUint64Array>(a: T, n: number): T {
  if (n < a.length) return a;
  const bigger = new (a.constructor as new (n: number) => T)(a.length * 2);
  bigger.set(a as never);
  return bigger;
}

/** IPv4 ranges, sorted by start (the file is; rows out of order are rejected at load). */
export class AsnTableV4 {
  private constructor(
    private readonly starts: Uint32Array,
    private readonly ends: Uint32Array,
    private readonly asns: Uint32Array,
    private readonly orgIds: Uint32Array,
    private readonly orgNames: string[],
    readonly rows: number,
  ) {}

  static load(path: string): AsnTableV4 {
    const orgs = new Orgs();
    let starts = new Uint32Array(1 << 19), ends = new Uint32Array(1 << 19), asns = new Uint32Array(1 << 19), orgIds = new Uint32Array(1 << 19);
    let n = 0;
    eachRow(readFileSync(path, 'utf8'), (s, e, asn, org) => {
      const start = Number(s), end = Number(e);
      if (!(start >= 0 && end >= start && end <= 0xffffffff) || (n > 0 && start <= ends[n - 1]!)) return;
      starts = grow(starts, n); ends = grow(ends, n); asns = grow(asns, n); orgIds = grow(orgIds, n);
      starts[n] = start; ends[n] = end; asns[n] = asn; orgIds[n] = orgs.id(org);
      n++;
    });
    return new AsnTableV4(starts.slice(0, n), ends.slice(0, n), asns.slice(0, n), orgIds.slice(0, n), orgs.names, n);
  }

  lookup(ip: number): AsnHit | null {
    let lo = 0, hi = this.rows - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! > ip) hi = mid - 1;
      else lo = mid + 1;
    }
    // hi is now the last row starting at or before ip.
    if (hi < 0 || this.ends[hi]! < ip) return null;
    return { asn: this.asns[hi]!, organization: this.orgNames[this.orgIds[hi]!] || null };
  }
}

const LOW64 = (1n << 64n) - 1n;

/** IPv6 ranges: 128-bit bounds split into high and low 64-bit halves. */
export class AsnTableV6 {
  private constructor(
    private readonly startHi: BigUint64Array,
    private readonly startLo: BigUint64Array,
    private readonly endHi: BigUint64Array,
    private readonly endLo: BigUint64Array,
    private readonly asns: Uint32Array,
    private readonly orgIds: Uint32Array,
    private readonly orgNames: string[],
    readonly rows: number,
  ) {}

  static load(path: string): AsnTableV6 {
    const orgs = new Orgs();
    const size = 1 << 17;
    let sHi = new BigUint64Array(size), sLo = new BigUint64Array(size), eHi = new BigUint64Array(size), eLo = new BigUint64Array(size);
    let asns = new Uint32Array(size), orgIds = new Uint32Array(size);
    let n = 0;
    let lastEnd = -1n;
    eachRow(readFileSync(path, 'utf8'), (s, e, asn, org) => {
      if (!/^\d{1,39}$/.test(s) || !/^\d{1,39}$/.test(e)) return;
      const start = BigInt(s), end = BigInt(e);
      if (end < start || start <= lastEnd || end >> 128n !== 0n) return;
      lastEnd = end;
      sHi = grow(sHi, n); sLo = grow(sLo, n); eHi = grow(eHi, n); eLo = grow(eLo, n); asns = grow(asns, n); orgIds = grow(orgIds, n);
      sHi[n] = start >> 64n; sLo[n] = start & LOW64; eHi[n] = end >> 64n; eLo[n] = end & LOW64;
      asns[n] = asn; orgIds[n] = orgs.id(org);
      n++;
    });
    return new AsnTableV6(sHi.slice(0, n), sLo.slice(0, n), eHi.slice(0, n), eLo.slice(0, n), asns.slice(0, n), orgIds.slice(0, n), orgs.names, n);
  }

  lookup(ip: bigint): AsnHit | null {
    const ipHi = ip >> 64n, ipLo = ip & LOW64;
    let lo = 0, hi = this.rows - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const sHi = this.startHi[mid]!;
      if (sHi > ipHi || (sHi === ipHi && this.startLo[mid]! > ipLo)) hi = mid - 1;
      else lo = mid + 1;
    }
    if (hi < 0) return null;
    const eHi = this.endHi[hi]!;
    if (eHi < ipHi || (eHi === ipHi && this.endLo[hi]! < ipLo)) return null;
    return { asn: this.asns[hi]!, organization: this.orgNames[this.orgIds[hi]!] || null };
  }
}
