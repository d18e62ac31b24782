// Whether a country is "on alert": one of its channels is suspended or on probation, or met the
// looser alert bar lately, or several of its number blocks were suspended lately (a campaign
// spread over many blocks). On alert, its
// blocks need less evidence and its completion baseline stops learning.
import { currentLevel } from './ladder.ts';
import { suspensionKey, type PrefixRec, type PumpingState } from './state.ts';

export function countryAlert(st: PumpingState, country: string, now: number): boolean {
  for (const channel of ['sms', 'voice'] as const) {
    const key = `${country}:${channel}`;
    const s = st.suspensions.get(suspensionKey('country', key));
    if (s && currentLevel(s, now, st.cfg) > 0) return true;
    const cs = st.countries.get(key);
    if (cs && now - cs.alertAt < st.cfg.concentration.campaignWindowMs) return true;
  }
  return blocksSuspendedSince(st, country, now - st.cfg.concentration.campaignWindowMs) >= st.cfg.concentration.campaignBlocks;
}

/** Distinct 10k blocks of the country whose suspension episode started at or after `since`. */
export function blocksSuspendedSince(st: PumpingState, country: string, since: number): number {
  const episodes = st.blockEpisodes.get(country);
  if (!episodes) return 0;
  const horizon = st.clock - st.cfg.concentration.campaignWindowMs;
  let count = 0;
  for (const [block, at] of episodes) {
    if (at < horizon) episodes.delete(block);
    else if (at >= since) count++;
  }
  return count;
}

/** Records that a block of the country started a suspension episode. */
export function noteEpisode(st: PumpingState, rec: PrefixRec, now: number): void {
  let episodes = st.blockEpisodes.get(rec.country);
  if (!episodes) st.blockEpisodes.set(rec.country, (episodes = new Map()));
  // A 1k block and the 10k block around it are one place, not two.
  episodes.set(rec.scope === 'prefix3' ? rec.key.slice(0, -1) : rec.key, now);
}

