// What a send is estimated to cost, per destination country and channel. Pure.
// The estimate feeds the events (cost column of the workbook) and toll-fraud budgets, so an
// unknown destination must look expensive rather than free.
import { z } from 'zod';
import type { Channel } from '../events/event.ts';

export interface ChannelPrices {
  sms: number;
  /** Per call-minute. */
  voice: number;
}

export interface PriceTable {
  /** ISO 4217, e.g. USD. */
  currency: string;
  /** Used for countries not listed and for non-geographic numbers (region null). */
  default: ChannelPrices;
  /** Keyed by ISO 3166-1 alpha-2 (upper case). A missing channel falls back to `default`. */
  countries: Record<string, { sms?: number; voice?: number }>;
  /** Minutes a voice OTP call is billed as (providers bill started minutes). Default 1. */
  voiceMinutesPerCall?: number;
}

const price = z.number().nonnegative();

export const priceTableSchema = z
  .object({
    currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as USD'),
    default: z.object({ sms: price, voice: price }).strict(),
    countries: z.record(
      z.string().regex(/^[A-Z]{2}$/, 'country keys must be ISO 3166-1 alpha-2, upper case (US, FR, …)'),
      z.object({ sms: price.optional(), voice: price.optional() }).strict(),
    ),
    voiceMinutesPerCall: z.number().positive().optional(),
  })
  .strict();

/** Estimated cost of one send (one SMS, or one voice call) in `table.currency`. */
export function estimateCost(table: PriceTable, region: string | null, channel: Channel): number {
  const country = region ? table.countries[region.trim().toUpperCase()] : undefined;
  const unit = country?.[channel] ?? table.default[channel];
  const amount = channel === 'voice' ? unit * (table.voiceMinutesPerCall ?? 1) : unit;
  // Float products like 0.014 * 3 pick up noise; sub-micro precision means nothing in a bill.
  return Math.round(amount * 1e6) / 1e6;
}

// Coarse tiers after public A2P list prices (USD, 2024–2025). Operators should load their own
// contract prices; these only need to be the right order of magnitude for fraud budgets.
const tier = (sms: number, voice: number) => ({ sms, voice });

export const defaultPriceTable: PriceTable = {
  currency: 'USD',
  // High on purpose: unlisted and non-geographic (+881, +882, +883…) destinations are where
  // international revenue share fraud lives.
  default: tier(0.5, 0.6),
  voiceMinutesPerCall: 1,
  countries: {
    // North America
    US: tier(0.0079, 0.014),
    CA: tier(0.0079, 0.014),
    PR: tier(0.0079, 0.014),
    MX: tier(0.05, 0.03),
    // Europe
    GB: tier(0.04, 0.035),
    IE: tier(0.07, 0.05),
    FR: tier(0.077, 0.045),
    MC: tier(0.09, 0.25),
    DE: tier(0.087, 0.09),
    AT: tier(0.1, 0.08),
    CH: tier(0.06, 0.15),
    IT: tier(0.087, 0.06),
    SM: tier(0.1, 0.3),
    ES: tier(0.07, 0.05),
    PT: tier(0.04, 0.05),
    BE: tier(0.08, 0.06),
    NL: tier(0.1, 0.07),
    LU: tier(0.06, 0.08),
    DK: tier(0.05, 0.04),
    SE: tier(0.06, 0.04),
    NO: tier(0.07, 0.04),
    FI: tier(0.1, 0.06),
    PL: tier(0.04, 0.03),
    CZ: tier(0.06, 0.05),
    GR: tier(0.06, 0.06),
    RO: tier(0.07, 0.06),
    // Asia-Pacific, Latin America, Africa (mainstream)
    AU: tier(0.05, 0.05),
    NZ: tier(0.1, 0.06),
    JP: tier(0.08, 0.1),
    SG: tier(0.05, 0.04),
    IN: tier(0.08, 0.03),
    BR: tier(0.05, 0.05),
    AR: tier(0.08, 0.06),
    ZA: tier(0.05, 0.08),
    // High-cost destinations often targeted by SMS pumping
    AZ: tier(0.39, 0.3),
    TJ: tier(0.45, 0.4),
    BD: tier(0.32, 0.25),
    AF: tier(0.38, 0.45),
    UZ: tier(0.27, 0.3),
    KG: tier(0.3, 0.35),
    LK: tier(0.35, 0.25),
    MM: tier(0.33, 0.3),
    PK: tier(0.3, 0.2),
    NG: tier(0.25, 0.2),
  },
};
