// An attack's unimpeded schedule: every send the attacker would make if nothing stopped it, with
// its destination, network, device and cost. Run (c) sums it; run (b) executes it, reacting to
// Tollgate's answers. Shared helpers: address and user-agent sources, paced send times.
import type { Channel } from '../../core/events/event.ts';
import { Rng } from '../random.ts';
import type { AttackSpec } from '../scenario/schema.ts';
import type { World } from '../scenario/world.ts';
import { proxyExitCountries, sendCost } from '../world/countries.ts';
import type { IpCatalogue } from '../world/ip-catalogue.ts';
import { BlockNumbers } from '../world/phone-numbers.ts';
import { botUserAgents, freshFingerprint, legitimateUserAgent } from '../world/user-agents.ts';

export interface PlannedSend {
  t: number;
  number: string;
  region: string | null;
  channel: Channel;
  ip: string;
  userAgent: string;
  /** USD if it goes out (voice: per-minute price × billed minutes). */
  cost: number;
  billedMinutes: number;
  /** Voice test call before the main phase. */
  test?: boolean;
}

export interface AttackPlan {
  sends: PlannedSend[];
  /** Main phase window. */
  start: number;
  end: number;
  /** Numbers for the k-th country of a hopping attack (k ≥ 1). */
  hopNumbers?: (k: number) => BlockNumbers;
  hopCountries?: string[];
}

export interface PlanContext {
  seed: number;
  id: string;
  world: World;
  catalogue: IpCatalogue;
  /** Resolved main-phase start (epoch ms) and end. */
  start: number;
  end: number;
  /** Sends after this are not simulated (end of the run). */
  horizon: number;
}

export function streamOf(p: PlanContext, label: string): Rng {
  return Rng.stream(p.seed, `attack/${p.id}/${label}`);
}

/** Addresses per the spec: a fixed pool, or fresh ones per request used `reuseMax` times each. */
export class IpSource {
  private readonly pool: string[] = [];
  private current: string | null = null;
  private usesLeft = 0;

  constructor(private readonly spec: AttackSpec['ips'], private readonly catalogue: IpCatalogue, private readonly rng: Rng, poolCountry: string | null) {
    if (!spec.perRequest) {
      for (let i = 0; i < spec.count; i++) this.pool.push(this.fresh(poolCountry));
    }
  }

  next(region: string | null): string {
    if (!this.spec.perRequest) return this.rng.pick(this.pool);
    if (this.usesLeft <= 0 || !this.current) {
      this.current = this.fresh(region);
      this.usesLeft = this.spec.reuseMax;
    }
    this.usesLeft--;
    return this.current;
  }

  private fresh(region: string | null): string {
    const geo = region && this.rng.chance(this.spec.geoMatchedShare) ? region : this.rng.pick(proxyExitCountries);
    return this.catalogue.pick(geo, this.spec.kind, this.rng);
  }
}

export class UaSource {
  private readonly fixed: string[];
  constructor(private readonly spec: AttackSpec['userAgents'], private readonly rng: Rng) {
    this.fixed = spec.mode === 'fixed' ? botUserAgents(rng, spec.count) : [];
  }

  next(): string {
    if (this.spec.mode === 'fixed') return this.rng.pick(this.fixed);
    return this.spec.mode === 'legit' ? legitimateUserAgent(this.rng) : freshFingerprint(this.rng);
  }
}

/**
 * Send times at `perMinute` from start to end, evenly paced with ±30 % jitter (bots pace
 * themselves), the rate growing by `dailyGrowth` per day.
 */
export function pacedTimes(rng: Rng, start: number, end: number, perMinute: number, dailyGrowth = 1): number[] {
  const times: number[] = [];
  let t = start;
  for (;;) {
    const growth = dailyGrowth ** Math.floor((t - start) / 86_400_000);
    const gap = 60_000 / (perMinute * growth);
    const at = Math.floor(t + gap * rng.range(-0.3, 0.3));
    if (t >= end) return times;
    times.push(Math.max(start, at));
    t += gap;
  }
}

export function costOf(world: World, region: string | null, channel: Channel, minutes: number): number {
  if (region === null && channel === 'voice') return Math.round(world.nonGeographic.voice * minutes * 1e6) / 1e6;
  if (region === null) return world.nonGeographic.sms;
  return sendCost(world.countries, region, channel, minutes);
}
