// Reputation rules: operator (and detector) allow/block lists of numbers, prefixes, countries, IPs,
// CIDRs and ASNs, matched before every send. A listed phone blocks; a listed IP (or a hosting one abroad) only
// challenges, because one IP is shared by a whole carrier NAT, office or VPN exit.
// Precedence: the most specific matching entry decides, and at equal specificity allow beats
// block, so a number allow lifts a prefix or country block but a number block inside an allowed
// prefix still blocks.
import type { ReputationEntry } from '../../ports.ts';
import { DefenseReasonCode, type DefenseReason, type SendContext } from './decision.ts';
import { CidrMatcher, parseCidr, parseIp } from './reputation-ip.ts';

export interface ReputationMatch {
  list: 'block' | 'allow';
  entry: ReputationEntry;
}

/** The allow and block entries listed for one exact value. */
interface Scope {
  allow: ReputationEntry | null;
  block: ReputationEntry | null;
}

const newScope = (): Scope => ({ allow: null, block: null });

/** Allow first at one scope; of two entries on one list, the one that lasts longer. */
function decide(scope: Scope | undefined): ReputationMatch | null {
  if (!scope) return null;
  if (scope.allow) return { list: 'allow', entry: scope.allow };
  if (scope.block) return { list: 'block', entry: scope.block };
  return null;
}

function keep(scope: Scope, entry: ReputationEntry): void {
  const current = scope[entry.list];
  const lasts = (e: ReputationEntry) => e.expiresAt ?? Number.POSITIVE_INFINITY;
  if (!current || lasts(entry) > lasts(current)) scope[entry.list] = entry;
}

/**
 * The active entries at `now`, indexed for lookups that cost a few map probes. Immutable: the
 * service builds a new one when the lists change or an entry expires (see `nextExpiry`).
 */
export class ReputationLists {
  private readonly numbers = new Map<string, Scope>();
  private readonly prefixes = new Map<string, Scope>();
  /** Prefix lengths in use (characters, "+" included), longest first. */
  private readonly prefixLengths: number[];
  private readonly countries = new Map<string, Scope>();
  private readonly networks = new CidrMatcher<Scope>();
  private readonly asns = new Map<number, Scope>();
  /** When the first active entry expires (epoch ms), or null: the lists are stale after it. */
  readonly nextExpiry: number | null;
  readonly size: number;

  constructor(entries: readonly ReputationEntry[], readonly now: number) {
    let nextExpiry: number | null = null;
    let size = 0;
    for (const entry of entries) {
      if (entry.expiresAt !== null && entry.expiresAt <= now) continue;
      // Values were normalised on the way in; one the matcher cannot read is skipped, not fatal.
      if (!this.index(entry)) continue;
      size++;
      if (entry.expiresAt !== null && (nextExpiry === null || entry.expiresAt < nextExpiry)) nextExpiry = entry.expiresAt;
    }
    this.nextExpiry = nextExpiry;
    this.size = size;
    this.prefixLengths = [...new Set([...this.prefixes.keys()].map((p) => p.length))].sort((a, b) => b - a);
  }

  private index(entry: ReputationEntry): boolean {
    const slot = <K>(map: Map<K, Scope>, key: K) => {
      let scope = map.get(key);
      if (!scope) map.set(key, (scope = newScope()));
      keep(scope, entry);
    };
    switch (entry.kind) {
      case 'number': slot(this.numbers, entry.value); return true;
      case 'prefix': slot(this.prefixes, entry.value); return true;
      case 'country': slot(this.countries, entry.value); return true;
      case 'asn': slot(this.asns, Number(entry.value)); return true;
      case 'ip':
      case 'cidr': {
        const ip = entry.kind === 'ip' ? parseIp(entry.value) : null;
        const cidr = ip ? { ...ip, prefixLength: ip.family === 4 ? 32 : 128 } : parseCidr(entry.value);
        if (typeof cidr === 'string') return false;
        keep(this.networks.upsert(cidr, newScope), entry);
        return true;
      }
      default: return false;
    }
  }

  /** Number exact, then the longest listed prefix, then the number's region. */
  matchPhone(e164: string, region: string | null): ReputationMatch | null {
    const exact = decide(this.numbers.get(e164));
    if (exact) return exact;
    for (const length of this.prefixLengths) {
      if (length > e164.length) continue;
      const hit = decide(this.prefixes.get(e164.slice(0, length)));
      if (hit) return hit;
    }
    return region ? decide(this.countries.get(region)) : null;
  }

  /** IP exact, then the narrowest listed CIDR containing it, then its ASN. */
  matchIp(ip: string | null, asn: number | null): ReputationMatch | null {
    const parsed = ip ? parseIp(ip) : null;
    if (parsed) {
      for (const scope of this.networks.matches(parsed)) {
        const hit = decide(scope);
        if (hit) return hit;
      }
    }
    return asn !== null ? decide(this.asns.get(asn)) : null;
  }
}

function describe(match: ReputationMatch): Record<string, unknown> {
  const e = match.entry;
  return { entryId: e.id, list: match.list, kind: e.kind, value: e.value, expiresAt: e.expiresAt };
}

/** The phone number is on the allow list (by number, prefix or country): velocity and pumping rules may skip it. */
export function isAllowlisted(ctx: SendContext, lists: ReputationLists): boolean {
  return lists.matchPhone(ctx.phone.e164, ctx.phone.region)?.list === 'allow';
}

/** The client IP is on the allow list (office, QA lab): per-IP velocity rules may skip it. */
export function isIpAllowlisted(ctx: SendContext, lists: ReputationLists): boolean {
  return lists.matchIp(ctx.ip, ctx.ipInfo?.asn ?? null)?.list === 'allow';
}

/**
 * Allow-listed, or verified before (ctx.knownGood): pumping suspensions of the number's prefix or
 * country should not lock out a number that has proved it receives codes. A block entry still
 * blocks a trusted number: reputationReasons does not look at knownGood.
 */
export function isTrusted(ctx: SendContext, lists: ReputationLists): boolean {
  return ctx.knownGood || isAllowlisted(ctx, lists);
}

/**
 * Reasons from the lists for one send. An allow-listed number gets none at all. Challenges are
 * reported whether or not a CAPTCHA was solved: the engine decides what a solved one satisfies.
 */
export function reputationReasons(ctx: SendContext, lists: ReputationLists): DefenseReason[] {
  const phone = lists.matchPhone(ctx.phone.e164, ctx.phone.region);
  if (phone?.list === 'allow') return [];
  const reasons: DefenseReason[] = [];
  if (phone) {
    const expiresAt = phone.entry.expiresAt;
    reasons.push({
      code: DefenseReasonCode.BAD_REPUTATION,
      rule: 'reputation.phone',
      action: 'block',
      shadow: false,
      message: 'Phone number has bad reputation, blocking.',
      ...(expiresAt !== null ? { retryAfter: Math.max(1, Math.ceil((expiresAt - ctx.now) / 1000)) } : {}),
      details: describe(phone),
    });
  }
  const ip = lists.matchIp(ctx.ip, ctx.ipInfo?.asn ?? null);
  if (ip?.list === 'allow') return reasons;
  if (ip) {
    reasons.push({
      code: DefenseReasonCode.IP_REPUTATION,
      rule: 'reputation.ip',
      action: 'challenge',
      shadow: false,
      message: 'The client IP address or network has bad reputation; a challenge is required.',
      details: describe(ip),
    });
  }
  if (ctx.ipInfo?.hosting) {
    // VPNs and relays (Apple Private Relay among them) sit in hosting networks: alone it is only a
    // recorded signal; from abroad (IP country ≠ the number's country) it earns a challenge, unless
    // the number verified before (a returning user on a VPN: the number proved it is a real one).
    const abroad = !!ctx.ipInfo.country && !!ctx.phone.region && ctx.ipInfo.country !== ctx.phone.region;
    const challenge = abroad && !ctx.knownGood;
    reasons.push({
      code: DefenseReasonCode.IP_REPUTATION,
      rule: 'reputation.hosting',
      action: challenge ? 'challenge' : 'allow',
      shadow: false,
      message: challenge
        ? 'The request comes from a hosting or datacenter network in another country than the number; a challenge is required.'
        : 'The request comes from a hosting or datacenter network (recorded).',
      details: { asn: ctx.ipInfo.asn, asOrganization: ctx.ipInfo.asOrganization, ipCountry: ctx.ipInfo.country, ...(abroad && ctx.knownGood ? { trustedNumber: true } : {}) },
    });
  }
  return reasons;
}
