// IP addresses and CIDR ranges as numbers, and a longest-prefix matcher for the reputation lists.
// IPv4 is a uint32 held in a JS number, IPv6 a 128-bit bigint; an IPv4-mapped IPv6 address
// (::ffff:192.0.2.1, what a dual-stack socket reports) is treated as the IPv4 address it carries.
import { isIP } from 'node:net';

export type ParsedIp = { family: 4; value: number } | { family: 6; value: bigint };
export type ParsedCidr = ParsedIp & { prefixLength: number };

const V6_ALL = (1n << 128n) - 1n;

function parseV4(text: string): number {
  const parts = text.split('.');
  return (((Number(parts[0]) << 24) | (Number(parts[1]) << 16) | (Number(parts[2]) << 8) | Number(parts[3])) >>> 0);
}

function parseV6(text: string): bigint {
  let s = text;
  const tail: number[] = [];
  // A dotted IPv4 tail (::ffff:1.2.3.4) stands for the last two 16-bit groups.
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    const v4 = parseV4(s.slice(lastColon + 1));
    tail.push(v4 >>> 16, v4 & 0xffff);
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const split = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const gap = s.indexOf('::');
  let groups: number[];
  if (gap < 0) groups = [...split(s), ...tail];
  else {
    const left = split(s.slice(0, gap));
    const right = [...split(s.slice(gap + 2)), ...tail];
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return value;
}

/** The address as a number, or null when the text is not an IP address (zone ids are refused). */
export function parseIp(text: string): ParsedIp | null {
  if (typeof text !== 'string' || text.length > 64 || text.includes('%')) return null;
  const family = isIP(text);
  if (family === 4) return { family: 4, value: parseV4(text) };
  if (family !== 6) return null;
  const value = parseV6(text.toLowerCase());
  if (value >> 32n === 0xffffn) return { family: 4, value: Number(value & 0xffffffffn) };
  return { family: 6, value };
}

export function formatIp(ip: ParsedIp): string {
  if (ip.family === 4) return [ip.value >>> 24, (ip.value >>> 16) & 255, (ip.value >>> 8) & 255, ip.value & 255].join('.');
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((ip.value >> shift) & 0xffffn).toString(16));
  // The URL serialiser applies the RFC 5952 canonical form (longest zero run compressed, lower case).
  return new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1);
}

function maskV4(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}
const v6Masks = Array.from({ length: 129 }, (_, n) => (V6_ALL >> BigInt(128 - n)) << BigInt(128 - n));

/** `203.0.113.7/24` → the 203.0.113.0/24 network (host bits cleared), or a reason it is not a CIDR. */
export function parseCidr(text: string): ParsedCidr | string {
  const slash = text.indexOf('/');
  if (slash < 0) return 'a CIDR needs a prefix length, e.g. 203.0.113.0/24 or 2001:db8::/48';
  const ip = parseIp(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (!ip) return `"${text.slice(0, slash)}" is not an IPv4 or IPv6 address`;
  if (ip.family === 4 && isIP(text.slice(0, slash)) === 6) return 'write an IPv4-mapped range in its IPv4 form, e.g. 192.0.2.0/24';
  const max = ip.family === 4 ? 32 : 128;
  if (!/^(?:0|[1-9]\d{0,2})$/.test(lengthText) || Number(lengthText) > max) return `the prefix length must be 1–${max} for IPv${ip.family}`;
  const prefixLength = Number(lengthText);
  if (prefixLength === 0) return 'a /0 range covers every address; list something narrower';
  return ip.family === 4
    ? { family: 4, value: (ip.value & maskV4(prefixLength)) >>> 0, prefixLength }
    : { family: 6, value: ip.value & v6Masks[prefixLength]!, prefixLength };
}

/**
 * Longest-prefix matching over many ranges: one hash map per prefix length in use, probed from the
 * longest length down. A lookup costs one mask and one map probe per distinct length (at most 32 or
 * 128), whatever the number of ranges.
 */
export class CidrMatcher<T> {
  private readonly v4 = new Map<number, Map<number, T>>();
  private readonly v6 = new Map<number, Map<bigint, T>>();
  private v4Lengths: number[] = [];
  private v6Lengths: number[] = [];

  /** Returns the value already stored for this exact range, or stores and returns `make()`'s. */
  upsert(cidr: ParsedCidr, make: () => T): T {
    if (cidr.family === 4) return this.slot(this.v4, cidr.prefixLength, cidr.value, make, () => (this.v4Lengths = sortedKeys(this.v4)));
    return this.slot(this.v6, cidr.prefixLength, cidr.value, make, () => (this.v6Lengths = sortedKeys(this.v6)));
  }

  private slot<K>(byLength: Map<number, Map<K, T>>, length: number, key: K, make: () => T, onNewLength: () => void): T {
    let map = byLength.get(length);
    if (!map) {
      byLength.set(length, (map = new Map()));
      onNewLength();
    }
    let value = map.get(key);
    if (value === undefined) map.set(key, (value = make()));
    return value;
  }

  /** Values of every range containing `ip`, most specific first. */
  *matches(ip: ParsedIp): Generator<T> {
    if (ip.family === 4) {
      for (const length of this.v4Lengths) {
        const hit = this.v4.get(length)!.get((ip.value & maskV4(length)) >>> 0);
        if (hit !== undefined) yield hit;
      }
    } else {
      for (const length of this.v6Lengths) {
        const hit = this.v6.get(length)!.get(ip.value & v6Masks[length]!);
        if (hit !== undefined) yield hit;
      }
    }
  }
}

function sortedKeys(map: Map<number, unknown>): number[] {
  return [...map.keys()].sort((a, b) => b - a);
}
