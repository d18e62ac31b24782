// Defense reasons and operator views built from suspensions. A block suspension names the block
// and its figures; a country one names the country and channel (details.channel, so the engine
// offers the other channel) and, as fraud.md asks, only ever challenges.
import type { Channel } from '../../events/event.ts';
import { DefenseReasonCode, type DefenseReason } from '../decision.ts';
import type { PumpingConfig } from './config.ts';
import { activeUntil, actionOf, currentLevel, isActive, type Figures, type SuspensionScope, type SuspensionState } from './ladder.ts';

/** One automatic suspension, as `tollgate` status and the workbook show it. */
export interface Suspension {
  scope: SuspensionScope;
  /** The block (`+99450123`) or `country:channel` (`AZ:sms`). */
  key: string;
  country: string;
  channel: Channel | null;
  /** 1 challenge, 2 block 15 min, 3 block 1 h, 4 block 12 h (countries: challenge at every level). */
  level: number;
  action: 'challenge' | 'block';
  /** Active now, or on probation (lifted, remembered so a return climbs the ladder). */
  state: 'active' | 'probation';
  /** When this suspension episode began, and when its current level began. */
  since: number;
  levelSince: number;
  /** When it stops acting unless knocked at again (active), or when it stopped (probation). */
  until: number;
  lastKnockAt: number;
  signal: string;
  figures: Figures;
}

export function describeSuspension(s: SuspensionState, now: number, cfg: PumpingConfig): Suspension {
  const active = isActive(s, now, cfg);
  const level = currentLevel(s, now, cfg);
  return {
    scope: s.scope,
    key: s.key,
    country: s.country,
    channel: s.channel,
    level,
    action: actionOf(s, level) === 'block' ? 'block' : 'challenge',
    state: active ? 'active' : 'probation',
    since: s.episodeStart,
    levelSince: s.since,
    until: activeUntil(s, cfg),
    lastKnockAt: s.lastKnockAt,
    signal: s.signal,
    figures: { ...s.figures },
  };
}

export function blockReason(s: SuspensionState, now: number): DefenseReason {
  const action = actionOf(s, s.level);
  // The hold's end, not the quiet-lift horizon: retrying sooner only meets the block again.
  const until = s.until;
  const size = s.scope === 'prefix4' ? '10,000' : '1,000';
  const message =
    action === 'block'
      ? `Codes to the number block ${s.key}… (${size} numbers) are suspended: many numbers in it were sent codes that were never used.`
      : `Many different numbers in the block ${s.key}… (${size} numbers) asked for codes recently; a challenge is needed.`;
  const reason: DefenseReason = {
    code: DefenseReasonCode.PUMPING_SUSPECTED,
    rule: 'pumping.prefix',
    action,
    shadow: false,
    message,
    details: { scope: s.scope, prefix: s.key, country: s.country, level: s.level, since: s.episodeStart, levelSince: s.since, until, signal: s.signal, ...s.figures },
  };
  if (action === 'block') reason.retryAfter = Math.max(1, Math.ceil((until - now) / 1000));
  return reason;
}

export function countryReason(s: SuspensionState, channel: Channel, cfg: PumpingConfig): DefenseReason {
  const other: Channel = channel === 'sms' ? 'voice' : 'sms';
  return {
    code: DefenseReasonCode.PUMPING_SUSPECTED,
    rule: 'pumping.country',
    action: 'challenge',
    shadow: false,
    message: `Unusually many ${channel === 'sms' ? 'text messages' : 'calls'} to ${s.country} lately, and few of their codes were used; a challenge is needed, or use another method.`,
    details: {
      scope: 'country',
      country: s.country,
      channel,
      level: s.level,
      since: s.episodeStart,
      levelSince: s.since,
      until: activeUntil(s, cfg),
      signal: s.signal,
      alternatives: [other],
      ...s.figures,
    },
  };
}
