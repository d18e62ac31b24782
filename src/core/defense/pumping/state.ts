// The detector's whole memory as plain data: numbers seen in the last week (with the outcome of
// their latest send), sessions of the last day, number blocks, per-country windows and baselines,
// suspensions and the timers that settle sends lazily. Kept plain so it can be snapshotted.
import type { Channel } from '../../events/event.ts';
import { newCompletionBaseline, type CompletionBaseline, type VolumeBaseline } from './baseline.ts';
import type { PumpingConfig } from './config.ts';
import type { CountryWindow } from './country-window.ts';
import type { SuspensionScope, SuspensionState } from './ladder.ts';

export interface NumberRec {
  e164: string;
  /** ISO region, or `+881`-style for non-geographic numbers. */
  country: string;
  p3: string;
  p4: string;
  firstSendAt: number;
  lastSendAt: number;
  sends: number;
  /** −1 when never. */
  lastAttemptAt: number;
  lastVerifiedAt: number;
  /** When the latest send settled as failed (abandoned, or checked but never verified). */
  badAt: number;
  /** Recent sessions that sent to this number (newest last, a few at most). */
  sessions: string[];
}

export type SessionStatus = 'pending' | 'ok' | 'bad';

export interface SessionRec {
  id: string;
  /** `country:channel` of its first send. */
  ck: string;
  startAt: number;
  lastSendAt: number;
  lastAttemptAt: number;
  status: SessionStatus;
  /** Inside a suspended block: kept out of country-level signals and baselines. */
  explained: boolean;
  /**
   * To a number that verified before (a returning user, trusted): kept out of country-level
   * signals and baselines too, which judge what untrusted sends to a country do.
   */
  returning: boolean;
}

export interface PrefixRec {
  scope: 'prefix3' | 'prefix4';
  key: string;
  country: string;
  numbers: Set<NumberRec>;
  /** When the block's last suspension was forgotten: sends before it no longer count against it. */
  clearedAt: number;
}

export interface CountryState {
  key: string;
  country: string;
  channel: Channel;
  /** When the country and channel were first seen. */
  firstAt: number;
  window: CountryWindow;
  volume: VolumeBaseline;
  completion: CompletionBaseline;
  /** Sessions of the last few minutes, to see the overdue ones before they settle. */
  recent: SessionRec[];
  /** The looser alert bar was last met at this time (−∞ when never). */
  alertAt: number;
  /** When its latest few sessions (outside suspended blocks) verified, oldest first. */
  verifiedAt: number[];
}

/** Thresholds for one block size (10k or 1k) of one country. */
export interface BlockThresholds {
  /** Legitimate numbers expected per block per day. */
  perBlockDay: number;
  dayDistinct: number;
  dayFailed: number;
  weekDistinct: number;
  weekFailed: number;
  /** Unverified numbers in a week that suspend a block while the country is on alert. */
  alertUnverified: number;
}

export interface SpreadStats {
  country: string;
  numbersPerDay: number;
  /** Completion used to size the failed-number thresholds. */
  completion: number;
  p4: BlockThresholds;
  p3: BlockThresholds;
}

/** Abandon: no check within abandonAfterMs. Resolve: checked but not verified within resolveAfterMs. */
export type TimerKind = 'abandon' | 'resolve';

export interface Timer {
  due: number;
  kind: TimerKind;
  e164: string;
  session: string;
  sendAt: number;
  ck: string;
  /** Set for a challenged attempt (no code sent): it settles as an unsolved challenge. */
  challenge?: boolean;
}

/** A network (IP address) that verified numbers of one country lately. */
export interface NetworkRec {
  /** Distinct numbers verified from it (two at most are kept: that is all the test needs). */
  numbers: string[];
  lastVerifiedAt: number;
}

export interface PumpingState {
  cfg: PumpingConfig;
  /** Latest time seen (events or calls); never goes back. */
  clock: number;
  firstTime: number;
  /** Last closed hour (epoch hours) the baselines learned. */
  hour: number;
  numbers: Map<string, NumberRec>;
  sessions: Map<string, SessionRec>;
  p3: Map<string, PrefixRec>;
  p4: Map<string, PrefixRec>;
  countries: Map<string, CountryState>;
  spread: Map<string, SpreadStats>;
  global: Record<Channel, CompletionBaseline>;
  suspensions: Map<string, SuspensionState>;
  /** Per country: 10k blocks whose suspension episode started lately, and when (a campaign puts it on alert). */
  blockEpisodes: Map<string, Map<string, number>>;
  /** Per `country|address`: numbers of that country verified from the address in the last week. */
  networks: Map<string, NetworkRec>;
  /** One FIFO queue per kind: each is in due order because sends arrive in time order. */
  timers: Record<TimerKind, TimerQueue>;
}

export interface TimerQueue {
  items: Timer[];
  head: number;
}

export function newState(cfg: PumpingConfig): PumpingState {
  return {
    cfg,
    clock: -Infinity,
    firstTime: NaN,
    hour: NaN,
    numbers: new Map(),
    sessions: new Map(),
    p3: new Map(),
    p4: new Map(),
    countries: new Map(),
    spread: new Map(),
    global: { sms: newCompletionBaseline(0), voice: newCompletionBaseline(0) },
    suspensions: new Map(),
    blockEpisodes: new Map(),
    networks: new Map(),
    timers: { abandon: { items: [], head: 0 }, resolve: { items: [], head: 0 } },
  };
}

export const suspensionKey = (scope: SuspensionScope, key: string): string => `${scope}|${key}`;

/** Country key of a number: its ISO region, else `+<calling code>` (non-geographic ranges). */
export function countryOf(region: string | null | undefined, callingCode: string | null | undefined, e164: string): string {
  if (region) return region.toUpperCase();
  if (callingCode) return `+${callingCode}`;
  return e164.slice(0, 4);
}

/** Kept out of country-level signals and baselines: explained by a block suspension, or returning. */
export const keptApart = (s: SessionRec): boolean => s.explained || s.returning;

export type NumberStatus = 'ok' | 'bad' | 'overdue' | 'pending';

/** Outcome of a number's latest send: verified (in the retained week), failed, overdue or pending. */
export function numberStatus(n: NumberRec, now: number, cfg: PumpingConfig): NumberStatus {
  if (n.lastVerifiedAt >= 0) return 'ok';
  if (n.badAt >= n.lastSendAt) return 'bad';
  if (n.lastAttemptAt < n.lastSendAt && now - n.lastSendAt >= cfg.overdueAfterMs) return 'overdue';
  return 'pending';
}
