// Networks with verified users. An address from which several different numbers of one country
// verified lately is a real network of that country: a carrier-grade NAT, an office, a household.
// While a country's channel is challenged for a campaign, new numbers sent from such a network
// are let through (block-level rules still apply): residential proxies rotate through addresses
// nobody ever verified from, and carrier NAT users are a third of a mobile-first country's users.
import type { TollgateEvent } from '../../events/event.ts';
import { ipKeys } from '../phone-keys.ts';
import { countryOf, type PumpingState } from './state.ts';

function networkKey(country: string, ip: string | null | undefined): string | null {
  const k = ip ? ipKeys(ip) : null;
  return k ? `${country}|${k.address}` : null;
}

/** A code verified: remembers the number against the address it was typed from. */
export function noteVerifiedNetwork(st: PumpingState, e: TollgateEvent): void {
  const e164 = e.phoneNumber;
  if (!e164 || st.cfg.country.sharedNetworkNumbers <= 0) return;
  const key = networkKey(countryOf(e.phoneRegion, e.countryCallingCode, e164), e.ip);
  if (!key) return;
  let rec = st.networks.get(key);
  if (!rec) st.networks.set(key, (rec = { numbers: [], lastVerifiedAt: e.time }));
  rec.lastVerifiedAt = Math.max(rec.lastVerifiedAt, e.time);
  if (!rec.numbers.includes(e164) && rec.numbers.length < st.cfg.country.sharedNetworkNumbers) rec.numbers.push(e164);
}

/** `ip` verified at least `country.sharedNetworkNumbers` different numbers of `country` in the last week. */
export function sharedVerifiedNetwork(st: PumpingState, country: string, ip: string | null, now: number): boolean {
  const need = st.cfg.country.sharedNetworkNumbers;
  if (need <= 0) return false;
  const key = networkKey(country, ip);
  const rec = key ? st.networks.get(key) : undefined;
  return !!rec && rec.numbers.length >= need && rec.lastVerifiedAt >= now - st.cfg.concentration.weekMs;
}

/** Forgets networks that verified nothing in the last week. */
export function forgetNetworks(st: PumpingState, now: number): void {
  const oldest = now - st.cfg.concentration.weekMs;
  for (const [key, rec] of st.networks) if (rec.lastVerifiedAt < oldest) st.networks.delete(key);
}
