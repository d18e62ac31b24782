// Resolves a scenario file into the world a run simulates: the country table with the file's
// overrides and prices, the legitimate mix, the server's price table, and the allowlist.
import type { PriceTable } from '../../core/pricing/price-table.ts';
import { type CountryModel, defaultCountries, nonGeographicPrice } from '../world/countries.ts';
import { inspectNumber, openDigits, patternNumber } from '../world/phone-numbers.ts';
import type { AllowlistMode, ScenarioFile } from './schema.ts';

export interface World {
  countries: Record<string, CountryModel>;
  nonGeographic: { sms: number; voice: number };
  /** Legitimate mix: country and its fraction of journeys (fractions sum to 1). */
  mix: [string, number][];
  voiceMaxCallMinutes: number;
}

export function resolveWorld(file: ScenarioFile): World {
  const countries: Record<string, CountryModel> = {};
  for (const [code, model] of Object.entries({ ...defaultCountries, ...file.world.countries })) {
    const price = file.prices.countries[code] ?? {};
    const share = file.legit.mix ? (file.legit.mix[code] ?? 0) : model.share;
    countries[code] = { ...model, share, sms: price.sms ?? model.sms, voice: price.voice ?? model.voice };
  }
  const total = Object.values(countries).reduce((n, m) => n + m.share, 0);
  const mix: [string, number][] = Object.entries(countries)
    .filter(([, m]) => m.share > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, m]) => [code, m.share / total]);
  return { countries, nonGeographic: file.prices.nonGeographic ?? nonGeographicPrice, mix, voiceMaxCallMinutes: file.prices.voiceMaxCallMinutes };
}

/** The server's price table: the same prices the simulator bills (a voice call as one minute). */
export function priceTableOf(world: World): PriceTable {
  const countries: PriceTable['countries'] = {};
  for (const [code, m] of Object.entries(world.countries)) countries[code] = { sms: m.sms, voice: m.voice };
  return { currency: 'USD', default: { ...world.nonGeographic }, countries, voiceMinutesPerCall: 1 };
}

/** Region of the numbers a pattern yields (null: non-geographic, or nothing valid found). */
export function regionOfPattern(pattern: string): string | null {
  const size = 10 ** openDigits(pattern);
  for (let i = 0; i < 64; i++) {
    const info = inspectNumber(patternNumber(pattern, Math.floor((i * size) / 64)));
    if (info.valid) return info.region;
  }
  return null;
}

/**
 * Countries a code may be sent to. `realistic`: the legitimate mix plus every country any scenario
 * of the file attacks, hops to or launches, so attacks meet the defense rather than the static
 * country rule (fraud.md §4.1); one list per file keeps the baseline run shared. `all`: no list.
 */
export function allowlistFor(mode: AllowlistMode, file: ScenarioFile, world: World): string[] | null {
  if (mode === 'all') return null;
  const set = new Set(world.mix.map(([c]) => c));
  for (const s of file.scenarios) {
    s.attack?.countries?.forEach((c) => set.add(c));
    s.attack?.hop?.countries.forEach((c) => set.add(c));
    s.attack?.ranges?.forEach((p) => {
      const region = regionOfPattern(p);
      if (region) set.add(region);
    });
    s.stress?.newCountries.forEach((n) => set.add(n.country));
    s.stress?.cgnat.forEach((n) => set.add(n.country));
  }
  return [...set].sort();
}
