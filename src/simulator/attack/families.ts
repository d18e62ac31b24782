// Unimpeded schedules of the SMS attack families (fraud.md §4.3): burst on one range (A1, and the
// base of A6/A8), slow-and-low across many blocks (A2), rotating residential proxies (A3) and
// sequential enumeration (A4). Voice pumping (A5) lives in voice-plan.ts.
import type { Rng } from '../random.ts';
import type { AttackSpec } from '../scenario/schema.ts';
import { regionOfPattern } from '../scenario/world.ts';
import { activityAt, diurnalPeak, poissonArrivals } from '../world/diurnal.ts';
import { BlockNumbers, mobileTypesOf, openDigits, patternNumber, randomMobileBlock, validForPattern } from '../world/phone-numbers.ts';
import { type AttackPlan, costOf, IpSource, pacedTimes, type PlanContext, type PlannedSend, streamOf, UaSource } from './plan.ts';

interface Source {
  numbers: BlockNumbers;
  region: string | null;
}

/** `blocks` leased blocks, spread round-robin over the target countries (or the given ranges). */
function sources(p: PlanContext, spec: AttackSpec, blocks: number, rng: Rng): Source[] {
  if (spec.ranges) return spec.ranges.map((r) => ({ numbers: new BlockNumbers(r, rng, spec.numberReuseMax), region: regionOfPattern(r) }));
  const countries = spec.countries!;
  return Array.from({ length: Math.max(blocks, 1) }, (_, i) => {
    const country = countries[i % countries.length]!;
    return { numbers: new BlockNumbers(randomMobileBlock(country, rng), rng, spec.numberReuseMax, mobileTypesOf(country)), region: country };
  });
}

function finish(p: PlanContext, spec: AttackSpec, times: number[], pickSource: (t: number, rng: Rng) => { number: string; region: string | null } | null): AttackPlan {
  const rng = streamOf(p, 'sends');
  const firstRegion = spec.countries?.[0] ?? (spec.ranges ? regionOfPattern(spec.ranges[0]!) : null);
  const ips = new IpSource(spec.ips, p.catalogue, streamOf(p, 'ips'), firstRegion);
  const uas = new UaSource(spec.userAgents, streamOf(p, 'uas'));
  const sends: PlannedSend[] = [];
  for (const t of times) {
    if (t >= p.horizon) break;
    const target = pickSource(t, rng);
    if (!target) continue;
    const minutes = spec.channel === 'voice' ? p.world.voiceMaxCallMinutes : 0;
    sends.push({ t, ...target, channel: spec.channel, ip: ips.next(target.region), userAgent: uas.next(), cost: costOf(p.world, target.region, spec.channel, minutes), billedMinutes: minutes });
  }
  const plan: AttackPlan = { sends, start: p.start, end: p.end };
  if (spec.hop) {
    const seq = [...new Set([...(spec.countries ?? []).slice(0, 1), ...spec.hop.countries])];
    const made = new Map<number, BlockNumbers>();
    plan.hopCountries = seq;
    plan.hopNumbers = (k) => {
      let b = made.get(k);
      if (!b) {
        const r = streamOf(p, `hop/${k}`);
        b = new BlockNumbers(randomMobileBlock(seq[k]!, r), r, spec.numberReuseMax, mobileTypesOf(seq[k]!));
        made.set(k, b);
      }
      return b;
    };
  }
  return plan;
}

export function planBurst(p: PlanContext, spec: Extract<AttackSpec, { family: 'burst' | 'rotating' }>): AttackPlan {
  const rng = streamOf(p, 'numbers');
  const src = sources(p, spec, spec.blocks, rng);
  const times = pacedTimes(streamOf(p, 'times'), p.start, p.end, spec.ratePerMinute, spec.dailyGrowth);
  return finish(p, spec, times, () => {
    const s = rng.pick(src);
    return { number: s.numbers.next(), region: s.region };
  });
}

export function planSlowLow(p: PlanContext, spec: Extract<AttackSpec, { family: 'slow-low' }>): AttackPlan {
  const rng = streamOf(p, 'numbers');
  const countries = spec.countries ?? [];
  const src = spec.ranges ? sources(p, spec, 0, rng) : countries.flatMap((_, c) => sources(p, { ...spec, countries: [countries[c]!] }, spec.blocksPerCountry, rng));
  const utc = p.world.countries[countries[0] ?? '']?.utc ?? 0;
  // Poisson at perHour following the target's daily curve, growing by dailyGrowth per day.
  const growth = (t: number) => spec.dailyGrowth ** Math.floor((t - p.start) / 86_400_000);
  const maxGrowth = growth(p.end);
  const times = poissonArrivals(streamOf(p, 'times'), p.start, p.end, (t) => spec.perHour * growth(t) * activityAt(t, utc), spec.perHour * maxGrowth * diurnalPeak * 1.1);
  const usedToday = new Map<string, number>();
  return finish(p, spec, times, (t) => {
    const day = Math.floor((t - p.start) / 86_400_000);
    const open = src.map((s, i) => i).filter((i) => (usedToday.get(`${day}/${i}`) ?? 0) < spec.maxPerBlockPerDay);
    if (open.length === 0) return null; // every block at its daily cap: the attacker waits
    const i = rng.pick(open);
    usedToday.set(`${day}/${i}`, (usedToday.get(`${day}/${i}`) ?? 0) + 1);
    return { number: src[i]!.numbers.next(), region: src[i]!.region };
  });
}

export function planSequential(p: PlanContext, spec: Extract<AttackSpec, { family: 'sequential' }>): AttackPlan {
  const rng = streamOf(p, 'numbers');
  const pattern = spec.ranges?.[0] ?? randomMobileBlock(spec.countries![0]!, rng);
  const region = spec.ranges ? regionOfPattern(pattern) : spec.countries![0]!;
  const accept = spec.ranges ? null : mobileTypesOf(region!);
  const size = 10 ** openDigits(pattern);
  const order = enumerationOrder(spec, size, rng);
  let cursor = 0;
  const times = pacedTimes(streamOf(p, 'times'), p.start, p.end, spec.ratePerMinute, spec.dailyGrowth);
  return finish(p, spec, times, () => {
    // Invalid numbers inside a leased block are skipped: the attacker's list holds live ones.
    for (let guard = 0; guard < size; guard++) {
      const e164 = patternNumber(pattern, order(cursor++ % size));
      if (validForPattern(e164, accept)) return { number: e164, region };
    }
    return null;
  });
}

/** Index → block offset: +step from a random start, or shuffled inside consecutive groups. */
function enumerationOrder(spec: Extract<AttackSpec, { family: 'sequential' }>, size: number, rng: Rng): (i: number) => number {
  const origin = rng.int(size);
  if (spec.order === 'step') return (i) => (origin + i * spec.step) % size;
  const group = Math.min(spec.groupSize, size);
  const groups = Math.ceil(size / group);
  const shuffles = new Map<number, number[]>();
  return (i) => {
    const g = (Math.floor(origin / group) + Math.floor(i / group)) % groups;
    let perm = shuffles.get(g);
    if (!perm) shuffles.set(g, (perm = rng.shuffle(Array.from({ length: group }, (_, k) => k))));
    return (g * group + perm[i % group]!) % size;
  };
}
