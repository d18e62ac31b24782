// The countries of the simulated world (fraud.md §4.2): legitimate traffic mix, local time zone,
// price per SMS and per voice minute (cost tiers), message loss, and whether users are mostly on
// mobile data behind carrier-grade NAT. Figures are defaults; scenario files override them.

export interface CountryModel {
  /** Share of legitimate journeys, percent (0 = not in the legitimate mix). */
  share: number;
  /** Representative UTC offset, hours (one zone per country; DST ignored). */
  utc: number;
  /** USD per SMS. */
  sms: number;
  /** USD per voice minute. */
  voice: number;
  /** Fraction of messages lost entirely (Telesign: 1–5 %). */
  loss: number;
  /** Mobile-first market: ~200 users per carrier-grade NAT address per day. */
  mobileFirst?: boolean;
}

const c = (share: number, utc: number, sms: number, voice: number, loss: number, mobileFirst = false): CountryModel => ({ share, utc, sms, voice, loss, mobileFirst });

/** Long tail: 6 % of journeys spread over 30 countries. */
const tail = 0.2;

export const defaultCountries: Record<string, CountryModel> = {
  // The named mix (94 %). Price tiers: low $0.008 (US/CA), mid $0.04–0.10, high $0.20–0.45.
  US: c(30, -6, 0.0079, 0.014, 0.02),
  IN: c(10, 5.5, 0.08, 0.03, 0.04, true),
  BR: c(8, -3, 0.05, 0.05, 0.03, true),
  GB: c(7, 0, 0.04, 0.035, 0.01),
  DE: c(6, 1, 0.087, 0.09, 0.015),
  FR: c(6, 1, 0.077, 0.045, 0.02),
  MX: c(5, -6, 0.05, 0.03, 0.04, true),
  ID: c(4, 7, 0.3, 0.25, 0.05, true),
  NG: c(3, 1, 0.25, 0.2, 0.08, true),
  PH: c(3, 8, 0.15, 0.2, 0.04, true),
  ES: c(3, 1, 0.07, 0.05, 0.02),
  CA: c(3, -5, 0.0079, 0.014, 0.02),
  TR: c(2, 3, 0.1, 0.08, 0.03, true),
  PK: c(2, 5, 0.3, 0.2, 0.08, true),
  EG: c(2, 2, 0.2, 0.2, 0.05, true),
  // Long tail.
  IT: c(tail, 1, 0.087, 0.06, 0.02),
  NL: c(tail, 1, 0.1, 0.07, 0.01),
  PL: c(tail, 1, 0.04, 0.03, 0.02),
  AU: c(tail, 10, 0.05, 0.05, 0.01),
  JP: c(tail, 9, 0.08, 0.1, 0.01),
  KR: c(tail, 9, 0.05, 0.06, 0.01),
  ZA: c(tail, 2, 0.05, 0.08, 0.04, true),
  KE: c(tail, 3, 0.12, 0.15, 0.05, true),
  AR: c(tail, -3, 0.08, 0.06, 0.03),
  CO: c(tail, -5, 0.06, 0.06, 0.03),
  CL: c(tail, -4, 0.06, 0.06, 0.03),
  PE: c(tail, -5, 0.07, 0.06, 0.03),
  VN: c(tail, 7, 0.08, 0.1, 0.04, true),
  TH: c(tail, 7, 0.06, 0.08, 0.03, true),
  MY: c(tail, 8, 0.05, 0.06, 0.03),
  SA: c(tail, 3, 0.06, 0.1, 0.02),
  AE: c(tail, 4, 0.05, 0.12, 0.02),
  RO: c(tail, 2, 0.07, 0.06, 0.02),
  PT: c(tail, 0, 0.04, 0.05, 0.02),
  SE: c(tail, 1, 0.06, 0.04, 0.01),
  BE: c(tail, 1, 0.08, 0.06, 0.01),
  CH: c(tail, 1, 0.06, 0.15, 0.01),
  AT: c(tail, 1, 0.1, 0.08, 0.01),
  UA: c(tail, 2, 0.1, 0.12, 0.03),
  MA: c(tail, 1, 0.12, 0.2, 0.04, true),
  GH: c(tail, 0, 0.15, 0.2, 0.05, true),
  BD: c(tail, 6, 0.32, 0.25, 0.05, true),
  NZ: c(tail, 12, 0.1, 0.06, 0.01),
  IE: c(tail, 0, 0.07, 0.05, 0.01),
  GR: c(tail, 2, 0.06, 0.06, 0.02),
  // Not in the legitimate mix: high-cost destinations pumpers favour, new markets, voice targets.
  AZ: c(0, 4, 0.39, 0.3, 0.03),
  TJ: c(0, 5, 0.45, 0.4, 0.03),
  AF: c(0, 4.5, 0.38, 0.45, 0.04),
  UZ: c(0, 5, 0.27, 0.3, 0.03),
  KG: c(0, 6, 0.3, 0.35, 0.03),
  LK: c(0, 5.5, 0.35, 0.25, 0.03),
  MM: c(0, 6.5, 0.33, 0.3, 0.04),
  BY: c(0, 3, 0.25, 0.3, 0.03),
  KZ: c(0, 5, 0.2, 0.15, 0.03),
  JM: c(0, -5, 0.12, 0.45, 0.03),
  AG: c(0, -4, 0.12, 0.6, 0.03),
  CU: c(0, -5, 0.2, 1.0, 0.05),
};

/** Price of non-geographic destinations (+881, +882, +883…): the server's default tier. */
export const nonGeographicPrice = { sms: 0.5, voice: 5 };

/** Mobile-first markets share a carrier-grade NAT address among this many users a day; others fewer. */
export const cgnatUsersPerIp = { mobileFirst: 200, other: 25 };

/** Countries travellers' foreign IPs come from. */
export const travelDestinations = ['US', 'GB', 'FR', 'ES', 'IT', 'DE', 'TR', 'MX', 'TH', 'AE'] as const;

/** Countries residential-proxy exit nodes come from when not geo-matched. */
export const proxyExitCountries = ['US', 'BR', 'IN', 'ID', 'VN', 'RU', 'UA', 'PH', 'TR', 'EG', 'MX', 'DE'] as const;

export function countryModel(countries: Record<string, CountryModel>, code: string): CountryModel {
  const m = countries[code];
  if (!m) throw new Error(`country ${code} is not in the simulator's world (add it under world.countries in the scenario)`);
  return m;
}

/** USD of one send: an SMS, or a voice call billed `minutes` minutes. Null region = non-geographic. */
export function sendCost(countries: Record<string, CountryModel>, region: string | null, channel: 'sms' | 'voice', minutes = 1): number {
  const m = region ? countries[region] : undefined;
  const unit = m ? m[channel] : nonGeographicPrice[channel];
  return Math.round((channel === 'voice' ? unit * minutes : unit) * 1e6) / 1e6;
}
