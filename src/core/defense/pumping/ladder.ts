// The suspension ladder of one scope (a number block, or a country's channel): challenge → block
// 15 min → 1 h → 12 h. A suspension is active until its hold ends, until nobody has knocked at it
// for a quiet period (the attack stopped), or until recovery evidence lifts it. After that it is
// on probation: it remembers its level, so a return escalates at once, and steps down one level
// per further quiet period until it is forgotten. Country suspensions never go past challenge.
import type { Channel } from '../../events/event.ts';
import type { DefenseAction } from '../decision.ts';
import { levelDuration, maxLevel, type PumpingConfig } from './config.ts';

export type SuspensionScope = 'prefix3' | 'prefix4' | 'country';

export type Figures = Record<string, number | string | boolean | null>;

export interface SuspensionState {
  scope: SuspensionScope;
  /** The block (`+9940123`) or `country:channel` (`AZ:sms`). */
  key: string;
  country: string;
  channel: Channel | null;
  /** Level reached: 1 challenge, 2.. block steps. */
  level: number;
  /** When this level was entered, and when its hold ends. */
  since: number;
  until: number;
  /** When the first level of this episode was entered. */
  episodeStart: number;
  /** Last send attempt (not from a trusted number) that ran into this suspension. */
  lastKnockAt: number;
  /** Set when recovery evidence lifted the suspension early. */
  liftedAt: number | null;
  /** What fired last, with the figures operators see. */
  signal: string;
  figures: Figures;
}

export function enter(
  scope: SuspensionScope,
  key: string,
  country: string,
  channel: Channel | null,
  level: number,
  now: number,
  signal: string,
  figures: Figures,
  cfg: PumpingConfig,
): SuspensionState {
  const lvl = Math.min(Math.max(level, 1), maxLevel(cfg));
  return { scope, key, country, channel, level: lvl, since: now, until: now + levelDuration(cfg, lvl), episodeStart: now, lastKnockAt: now, liftedAt: null, signal, figures };
}

/** When the suspension stops (or stopped) acting: hold end, quiet lift or recovery lift. */
export function activeUntil(s: SuspensionState, cfg: PumpingConfig): number {
  if (s.liftedAt !== null) return s.liftedAt;
  return Math.min(s.until, Math.max(s.since, s.lastKnockAt) + cfg.ladder.quietLiftMs);
}

export function isActive(s: SuspensionState, now: number, cfg: PumpingConfig): boolean {
  return now < activeUntil(s, cfg);
}

/** The level remembered at `now`: the reached level while active, then one less per quiet period. */
export function currentLevel(s: SuspensionState, now: number, cfg: PumpingConfig): number {
  const end = activeUntil(s, cfg);
  if (now < end) return s.level;
  return Math.max(0, s.level - Math.floor((now - end) / cfg.ladder.stepDownAfterMs));
}

/** When the remembered level reaches 0 (the suspension is forgotten), given no new escalation. */
export function forgottenAt(s: SuspensionState, cfg: PumpingConfig): number {
  return activeUntil(s, cfg) + s.level * cfg.ladder.stepDownAfterMs;
}

/** Moves to `level` (at least one above the remembered level when `climb`), restarting the hold. */
export function escalate(s: SuspensionState, now: number, cfg: PumpingConfig, level: number, climb: boolean, signal: string, figures: Figures): void {
  const remembered = currentLevel(s, now, cfg);
  const next = Math.min(Math.max(level, climb ? remembered + 1 : remembered, 1), maxLevel(cfg));
  if (remembered === 0) s.episodeStart = now;
  s.level = next;
  s.since = now;
  s.until = now + levelDuration(cfg, next);
  s.lastKnockAt = now;
  s.liftedAt = null;
  s.signal = signal;
  s.figures = figures;
}

export function lift(s: SuspensionState, now: number): void {
  if (s.liftedAt === null) s.liftedAt = now;
}

/** Level 1 challenges; higher levels block a number block but only challenge a country. */
export function actionOf(s: SuspensionState, level: number): DefenseAction {
  if (level <= 0) return 'allow';
  return level >= 2 && s.scope !== 'country' ? 'block' : 'challenge';
}
