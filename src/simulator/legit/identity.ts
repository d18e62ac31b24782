// Who a legitimate user is: user id, number, device (user agent) and network. Sign-ups make new
// users; sign-ins reuse users verified earlier in the run (so the server knows their numbers).
// Networks follow fraud.md's IP model: home ISP, carrier-grade NAT shared by many users a day,
// VPN or iCloud Private Relay, corporate/datacenter egress, and travellers abroad.
import { Rng } from '../random.ts';
import type { World } from '../scenario/world.ts';
import { cgnatUsersPerIp, travelDestinations } from '../world/countries.ts';
import type { IpCatalogue } from '../world/ip-catalogue.ts';
import { randomMobile } from '../world/phone-numbers.ts';
import { legitimateUserAgent } from '../world/user-agents.ts';

export type NetworkKind = 'residential' | 'mobile' | 'vpn' | 'datacenter';

export interface LegitUser {
  userId: string;
  country: string;
  number: string;
  userAgent: string;
  network: NetworkKind;
  /** Stable address at home (residential users), else null. */
  homeIp: string | null;
  /** When the user last started a journey (sign-ins come days apart, not minutes). */
  lastSeen?: number;
}

export interface IpMix {
  residential: number;
  mobile: number;
  vpn: number;
  datacenter: number;
  traveller: number;
}

const vpnHubs = ['US', 'NL', 'DE', 'GB', 'SG', 'FR', 'CH'];
const MIN_SIGN_IN_GAP = 86_400_000;

export class Identities {
  /** Users verified during the run, per country, in the order they verified. */
  private readonly known = new Map<string, LegitUser[]>();
  private readonly cgnatPools = new Map<string, string[]>();
  private readonly networkWeights: number[];

  constructor(
    private readonly seed: number,
    private readonly world: World,
    private readonly catalogue: IpCatalogue,
    private readonly perDay: number,
    private readonly ipMix: IpMix,
    /** Scenario CGNAT crowds: addresses per crowd. */
    private readonly crowds: { country: string; ips: number }[],
  ) {
    this.networkWeights = [ipMix.residential, ipMix.mobile, ipMix.vpn, ipMix.datacenter];
  }

  newUser(key: string, country: string, rng: Rng): LegitUser {
    const network = (['residential', 'mobile', 'vpn', 'datacenter'] as const)[rng.weighted(this.networkWeights)]!;
    return {
      userId: `u-${key}`,
      country,
      number: randomMobile(country, rng),
      userAgent: legitimateUserAgent(rng),
      network,
      homeIp: network === 'residential' ? this.catalogue.pick(country, 'residential', rng) : null,
    };
  }

  /**
   * A user of `country` verified earlier in the run who has not been seen for a day, or null (then
   * the caller makes a user whose number is on file but unknown to this server, as after a migration).
   */
  knownUser(country: string, rng: Rng, now: number): LegitUser | null {
    const list = this.known.get(country);
    if (!list || list.length === 0) return null;
    for (let i = 0; i < 4; i++) {
      const user = list[rng.int(list.length)]!;
      if (user.lastSeen === undefined || now - user.lastSeen >= MIN_SIGN_IN_GAP) {
        user.lastSeen = now;
        return user;
      }
    }
    return null;
  }

  remember(user: LegitUser, now: number): void {
    user.lastSeen = now;
    const list = this.known.get(user.country) ?? [];
    if (list.length === 0) this.known.set(user.country, list);
    list.push(user);
  }

  /** The address this journey comes from. */
  ipFor(user: LegitUser, rng: Rng, crowd?: number): string {
    if (crowd !== undefined) return rng.pick(this.crowdPool(crowd));
    const total = this.ipMix.residential + this.ipMix.mobile + this.ipMix.vpn + this.ipMix.datacenter + this.ipMix.traveller;
    if (rng.chance(this.ipMix.traveller / total)) {
      const abroad = travelDestinations.filter((c) => c !== user.country);
      return this.catalogue.pick(rng.pick(abroad), rng.chance(0.5) ? 'mobile' : 'residential', rng);
    }
    switch (user.network) {
      case 'residential':
        return user.homeIp!;
      case 'mobile':
        return rng.pick(this.mobilePool(user.country));
      case 'vpn':
        // Half iCloud Private Relay (egress located in the user's region), half commercial VPN hubs.
        return rng.chance(0.5) ? this.catalogue.pick(user.country, 'relay', rng) : this.catalogue.pick(rng.pick(vpnHubs), 'datacenter', rng);
      case 'datacenter':
        return this.catalogue.pick(user.country, 'datacenter', rng);
    }
  }

  /** Carrier-grade NAT addresses of a country: enough for ~200 (mobile-first) or ~25 users a day each. */
  private mobilePool(country: string): string[] {
    let pool = this.cgnatPools.get(country);
    if (pool) return pool;
    const m = this.world.countries[country]!;
    const share = this.world.mix.find(([c]) => c === country)?.[1] ?? 300 / this.perDay;
    const mobileShare = this.ipMix.mobile / (this.ipMix.residential + this.ipMix.mobile + this.ipMix.vpn + this.ipMix.datacenter);
    const usersPerIp = m.mobileFirst ? cgnatUsersPerIp.mobileFirst : cgnatUsersPerIp.other;
    const size = Math.max(1, Math.ceil((this.perDay * share * mobileShare) / usersPerIp));
    const rng = Rng.stream(this.seed, `legit/cgnat/${country}`);
    pool = Array.from({ length: size }, () => this.catalogue.pick(country, 'mobile', rng));
    this.cgnatPools.set(country, pool);
    return pool;
  }

  private crowdPool(i: number): string[] {
    const key = `crowd/${i}`;
    let pool = this.cgnatPools.get(key);
    if (pool) return pool;
    const crowd = this.crowds[i]!;
    const rng = Rng.stream(this.seed, `stress/cgnat-pool/${i}`);
    pool = Array.from({ length: crowd.ips }, () => this.catalogue.pick(crowd.country, 'mobile', rng));
    this.cgnatPools.set(key, pool);
    return pool;
  }
}
