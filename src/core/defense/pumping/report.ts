// The detector's debugging view: per country and channel, the last 24 hours of counters, the
// baseline it compares them with, and the block thresholds in force; plus how much it tracks.
import type { Channel } from '../../events/event.ts';
import { expectedPerHour, hourIndex } from './baseline.ts';
import { sumWindow, type WindowCounts } from './country-window.ts';
import { baselineCompletion } from './learning.ts';
import { spreadFor } from './spread.ts';
import type { BlockThresholds, PumpingState } from './state.ts';

export interface CountryStats {
  key: string;
  country: string;
  channel: Channel;
  last24h: WindowCounts;
  lastHour: WindowCounts;
  /** Settled sessions of the last 24 hours that verified (null when none settled). */
  completion24h: number | null;
  baselineCompletion: number;
  expectedSessionsThisHour: number;
  volumeLevelPerHour: number;
  hoursLearned: number;
  blocks: { p4: BlockThresholds; p3: BlockThresholds; numbersPerDay: number };
}

export interface PumpingStats {
  time: number;
  tracked: { numbers: number; sessions: number; blocks10k: number; blocks1k: number; pendingTimers: number; suspensions: number; verifiedNetworks: number };
  countries: CountryStats[];
}

export function buildStats(st: PumpingState, now: number): PumpingStats {
  const countries: CountryStats[] = [];
  for (const cs of st.countries.values()) {
    const day = sumWindow(cs.window, now - 86_400_000, now);
    const hour = sumWindow(cs.window, now - 3_600_000, now);
    const spread = spreadFor(st, cs.country);
    const settled = day.ok + day.bad;
    countries.push({
      key: cs.key,
      country: cs.country,
      channel: cs.channel,
      last24h: day,
      lastHour: hour,
      completion24h: settled > 0 ? day.ok / settled : null,
      baselineCompletion: baselineCompletion(st, cs, now),
      expectedSessionsThisHour: expectedPerHour(cs.volume, hourIndex(now), st.cfg),
      volumeLevelPerHour: cs.volume.level,
      hoursLearned: cs.volume.hoursLearned,
      blocks: { p4: spread.p4, p3: spread.p3, numbersPerDay: spread.numbersPerDay },
    });
  }
  countries.sort((a, b) => a.key.localeCompare(b.key));
  return {
    time: now,
    tracked: {
      numbers: st.numbers.size,
      sessions: st.sessions.size,
      blocks10k: st.p4.size,
      blocks1k: st.p3.size,
      pendingTimers: st.timers.abandon.items.length - st.timers.abandon.head + st.timers.resolve.items.length - st.timers.resolve.head,
      suspensions: st.suspensions.size,
      verifiedNetworks: st.networks.size,
    },
    countries,
  };
}
