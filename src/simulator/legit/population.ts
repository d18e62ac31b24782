// When and where legitimate journeys start: per country and day, a Poisson process following the
// local diurnal curve (±10 % day-to-day noise), plus the stress modifiers of a scenario: volume
// multipliers over a window, new-country ramps and CGNAT crowds. Every journey gets a stable key
// and its own random stream, so stress or attacks add journeys without moving the others.
import { Rng } from '../random.ts';
import type { StressSpec } from '../scenario/schema.ts';
import type { World } from '../scenario/world.ts';
import { activityAt, diurnalPeak, poissonArrivals, weekendBoost } from '../world/diurnal.ts';
import { DAY, parseDuration, resolveTimePoint } from '../time-spec.ts';

export interface JourneySpec {
  key: string;
  t: number;
  country: string;
  /** Completion override (new-country launch). */
  completion?: number;
  /** CGNAT crowd index (all its users share a few addresses). */
  cgnat?: number;
}

export interface PopulationOptions {
  seed: number;
  world: World;
  perDay: number;
  stress: StressSpec | undefined;
  /** UTC midnight of measured day 0 (time points are relative to it). */
  measuredStart: number;
}

interface Window {
  from: number;
  to: number;
}

export class LegitPopulation {
  constructor(private readonly o: PopulationOptions) {}

  /** Journeys starting in [dayStart, dayStart + 1 day), time-ordered. `day` labels the streams. */
  journeysOfDay(dayStart: number, day: number): JourneySpec[] {
    const { seed, world, perDay, stress } = this.o;
    const out: JourneySpec[] = [];
    const dayEnd = dayStart + DAY;
    const volume = (stress?.volume ?? []).map((v) => ({ ...v, window: this.window(v.start, v.duration, v.timeZone, v.countries[0]) }));
    for (const [country, share] of world.mix) {
      const utc = world.countries[country]!.utc;
      const noise = Rng.stream(seed, `legit/noise/${country}/${day}`).range(0.9, 1.1);
      const perHour = (perDay * share * noise) / 24;
      const rate = (t: number) => perHour * activityAt(t, utc);
      const base = poissonArrivals(Rng.stream(seed, `legit/arrivals/${country}/${day}`), dayStart, dayEnd, rate, perHour * diurnalPeak * weekendBoost);
      base.forEach((t, k) => {
        const key = `${country}/${day}/${k}`;
        // A dip thins the baseline journeys with a per-journey draw, so the rest stay paired.
        const kept = volume.every((v, i) => !applies(v.countries, country) || !inside(v.window, t) || v.multiplier >= 1 || Rng.stream(seed, `stress/thin/${i}/${key}`).float() < v.multiplier);
        if (kept) out.push({ key, t, country });
      });
      volume.forEach((v, i) => {
        if (v.multiplier <= 1 || !applies(v.countries, country)) return;
        const from = Math.max(dayStart, v.window.from);
        const to = Math.min(dayEnd, v.window.to);
        const extra = poissonArrivals(Rng.stream(seed, `stress/volume/${i}/${country}/${day}`), from, to, (t) => (v.multiplier - 1) * rate(t), (v.multiplier - 1) * perHour * diurnalPeak * weekendBoost);
        extra.forEach((t, k) => out.push({ key: `v${i}:${country}/${day}/${k}`, t, country }));
      });
    }
    stress?.newCountries.forEach((n, i) => {
      const utc = world.countries[n.country]!.utc;
      const start = resolveTimePoint(n.start, this.o.measuredStart, n.timeZone === 'local' ? utc : 0);
      const ramp = parseDuration(n.ramp);
      const perHour = n.perDay / 24;
      const rate = (t: number) => (t < start ? 0 : perHour * Math.min(1, (t - start) / ramp) * activityAt(t, utc));
      const times = poissonArrivals(Rng.stream(seed, `stress/new/${i}/${day}`), dayStart, dayEnd, rate, perHour * diurnalPeak * weekendBoost);
      times.forEach((t, k) => out.push({ key: `n${i}:${n.country}/${day}/${k}`, t, country: n.country, completion: n.completion }));
    });
    stress?.cgnat.forEach((g, i) => {
      const utc = world.countries[g.country]!.utc;
      const perHour = g.usersPerDay / 24;
      const times = poissonArrivals(Rng.stream(seed, `stress/cgnat/${i}/${day}`), dayStart, dayEnd, (t) => perHour * activityAt(t, utc), perHour * diurnalPeak * weekendBoost);
      times.forEach((t, k) => out.push({ key: `c${i}:${g.country}/${day}/${k}`, t, country: g.country, cgnat: i }));
    });
    return out.sort((a, b) => a.t - b.t || (a.key < b.key ? -1 : 1));
  }

  private window(start: string, duration: string, zone: 'local' | 'utc', country: string | undefined): Window {
    const utc = zone === 'local' && country && country !== '*' ? this.o.world.countries[country]!.utc : 0;
    const from = resolveTimePoint(start, this.o.measuredStart, utc);
    return { from, to: from + parseDuration(duration) };
  }
}

function applies(countries: readonly string[], country: string): boolean {
  return countries.includes('*') || countries.includes(country);
}

function inside(w: Window, t: number): boolean {
  return t >= w.from && t < w.to;
}

/** Delivery success override in force for a country at time t (carrier outage), if any. */
export function deliveryOverride(stress: StressSpec | undefined, world: World, measuredStart: number, country: string, t: number): number | null {
  for (const d of stress?.delivery ?? []) {
    if (!applies(d.countries, country)) continue;
    const utc = d.timeZone === 'local' && d.countries[0] !== '*' ? world.countries[d.countries[0]!]!.utc : 0;
    const from = resolveTimePoint(d.start, measuredStart, utc);
    if (t >= from && t < from + parseDuration(d.duration)) return d.success;
  }
  return null;
}
