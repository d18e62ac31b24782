// Counter keys derived from a phone number or an IP address: number blocks (E.164 minus its last
// 3 or 4 digits, the ranges pumpers lease), IPv4 /24 and IPv6 /64 networks. Pure; no regex is
// compiled per call because these run on every send.

export interface PhoneKeys {
  e164: string;
  /** E.164 without its last 3 digits: a block of 1,000 numbers. */
  prefix3: string;
  /** E.164 without its last 4 digits: a block of 10,000 numbers (Twilio's "prefix"). */
  prefix4: string;
}

/** `e164` minus its last `digits` digits; short numbers keep at least "+" and one digit. */
export function numberPrefix(e164: string, digits: number): string {
  return e164.slice(0, Math.max(2, e164.length - digits));
}

export function buildPhoneKeys(e164: string): PhoneKeys {
  return { e164, prefix3: numberPrefix(e164, 3), prefix4: numberPrefix(e164, 4) };
}

export interface IpKeys {
  version: 4 | 6;
  /** Canonical address: dotted IPv4, or RFC 5952 IPv6 (lower case, longest zero run as "::"). */
  address: string;
  /** The network one subscriber or one NAT pool usually holds: `a.b.c.0/24` or `x:x:x:x::/64`. */
  subnet: string;
}

/**
 * Canonical keys for an IP address, or null when `ip` is not an address. IPv4-mapped IPv6
 * (`::ffff:203.0.113.7`, as dual-stack sockets report IPv4 peers) is treated as the IPv4 address,
 * otherwise one client would count under two unrelated keys.
 */
export function ipKeys(ip: string): IpKeys | null {
  const v4 = parseIpv4(ip);
  if (v4) return v4Keys(v4);
  const groups = parseIpv6(ip);
  if (!groups) return null;
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return v4Keys([groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff]);
  }
  return { version: 6, address: formatIpv6(groups), subnet: `${formatIpv6([groups[0]!, groups[1]!, groups[2]!, groups[3]!, 0, 0, 0, 0])}/64` };
}

function v4Keys(o: number[]): IpKeys {
  return { version: 4, address: `${o[0]}.${o[1]}.${o[2]}.${o[3]}`, subnet: `${o[0]}.${o[1]}.${o[2]}.0/24` };
}

/** Four octets of a strict dotted-quad (no leading zeros, which some parsers read as octal). */
function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || (p.length > 1 && p.charCodeAt(0) === 48)) return null;
    let n = 0;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return null;
      n = n * 10 + c;
    }
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/** Eight 16-bit groups, or null. Accepts "::", an embedded IPv4 tail and a zone id (dropped). */
function parseIpv6(input: string): number[] | null {
  const zone = input.indexOf('%');
  let text = zone >= 0 ? input.slice(0, zone) : input;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (text.length < 2 || text.length > 45) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups: number[] = [];
  const parseSide = (parts: string[], out: number[], last: boolean): boolean => {
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (last && i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (!v4) return false;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
        continue;
      }
      if (p.length === 0 || p.length > 4) return false;
      const n = parseInt(p, 16);
      if (Number.isNaN(n) || !isHex(p)) return false;
      out.push(n);
    }
    return true;
  };
  const headGroups: number[] = [];
  const tailGroups: number[] = [];
  if (!parseSide(head, headGroups, halves.length === 1)) return null;
  if (!parseSide(tail, tailGroups, true)) return null;
  if (halves.length === 1) return headGroups.length === 8 ? headGroups : null;
  const missing = 8 - headGroups.length - tailGroups.length;
  if (missing < 1) return null;
  groups.push(...headGroups);
  for (let i = 0; i < missing; i++) groups.push(0);
  groups.push(...tailGroups);
  return groups;
}

function isHex(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    const lower = c >= 97 && c <= 102;
    const upper = c >= 65 && c <= 70;
    if (!digit && !lower && !upper) return false;
  }
  return true;
}

/** RFC 5952: lower-case hex, no leading zeros, the longest run (≥2) of zero groups as "::". */
function formatIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
