// Which rule refused what: the simulator's own log of refused sends joined with the server's
// `code.send_refused` events, whose `details.decision.reasons[]` name the rule or detector. Rules
// starting with pumping / velocity / reputation are detectors; number-type / country / channel are
// static rules, reported apart; spend.* are caps.
import { DefenseReasonCode } from '../../core/defense/decision.ts';
import type { RefusalRef } from '../engine/context.ts';
import type { SuspensionRecord } from './types.ts';

export type RefusalClass = 'detector' | 'static' | 'cap' | 'challenge' | 'throttle' | 'other';

export interface ReasonView {
  code: string | null;
  rule: string | null;
  action: string | null;
  shadow: boolean;
  details: Record<string, unknown>;
}

export interface RefusalEvent {
  sessionId: string | null;
  time: number;
  reason: string;
  details: Record<string, unknown>;
}

export interface ClassifiedRefusal extends RefusalRef {
  cls: RefusalClass;
  rules: string[];
}

const detectorPrefixes = ['pumping', 'velocity', 'reputation'];
const staticPrefixes = ['number-type', 'country', 'channel', 'location', 'allowlist'];
const staticCodes = new Set<string>([DefenseReasonCode.COUNTRY_NOT_ALLOWED, DefenseReasonCode.NUMBER_TYPE_BLOCKED, DefenseReasonCode.CHANNEL_DISABLED]);
const throttleCodes = new Set(['resend_cooldown', 'too_many_sends', 'rate_limited']);
// A failed CAPTCHA is the client's failure, not a decision: it has no rule to name.
const decisionCodes = new Set<string>(Object.values(DefenseReasonCode).filter((c) => c !== DefenseReasonCode.CAPTCHA_FAILED));

/** The reasons an event's details carry (`decision.reasons`, or `reasons` directly). */
export function reasonsOf(details: Record<string, unknown> | undefined): ReasonView[] {
  const decision = details?.decision as { reasons?: unknown } | undefined;
  const list = Array.isArray(decision?.reasons) ? decision.reasons : Array.isArray(details?.reasons) ? (details.reasons as unknown[]) : [];
  return list
    .filter((r): r is Record<string, unknown> => !!r && typeof r === 'object')
    .map((r) => ({
      code: typeof r.code === 'string' ? r.code : null,
      rule: typeof r.rule === 'string' ? r.rule : null,
      action: typeof r.action === 'string' ? r.action : null,
      shadow: r.shadow === true,
      details: r.details && typeof r.details === 'object' ? (r.details as Record<string, unknown>) : {},
    }));
}

/** Enforced (non-shadow, non-allow) reasons. */
function enforced(reasons: ReasonView[]): ReasonView[] {
  return reasons.filter((r) => !r.shadow && r.action !== 'allow');
}

export function classifyRefusal(code: string | null, reasons: ReasonView[]): RefusalClass {
  const rules = enforced(reasons).map((r) => r.rule ?? '');
  if (rules.some((r) => detectorPrefixes.some((p) => r.startsWith(p)))) return 'detector';
  if (rules.some((r) => r.startsWith('spend'))) return 'cap';
  if (rules.some((r) => staticPrefixes.some((p) => r.startsWith(p)))) return 'static';
  if (code && throttleCodes.has(code)) return 'throttle';
  if (code === DefenseReasonCode.CAPTCHA_REQUIRED || code === DefenseReasonCode.CAPTCHA_FAILED) return 'challenge';
  if (code && staticCodes.has(code)) return 'static';
  return 'other';
}

const keyOf = (sessionId: string | null, time: number) => `${sessionId}|${time}`;

/** Joins the simulator's refusals with the server's refusal events (same session, same instant). */
export function joinRefusals(refs: readonly RefusalRef[], events: readonly RefusalEvent[]): ClassifiedRefusal[] {
  const byKey = new Map<string, RefusalEvent>();
  for (const e of events) if (!byKey.has(keyOf(e.sessionId, e.time))) byKey.set(keyOf(e.sessionId, e.time), e);
  return refs.map((ref) => {
    const reasons = reasonsOf(byKey.get(keyOf(ref.sessionId, ref.t))?.details);
    return { ...ref, cls: classifyRefusal(ref.code, reasons), rules: enforced(reasons).map((r) => r.rule ?? '?') };
  });
}

/** Explainability: refusal events with a defense decision's reason code, and how many name code and rule. */
export function explainability(events: readonly RefusalEvent[]): { explained: number; total: number } {
  let explained = 0;
  let total = 0;
  for (const e of events) {
    if (!decisionCodes.has(e.reason)) continue;
    total++;
    const reasons = enforced(reasonsOf(e.details));
    if (reasons.length > 0 && reasons.every((r) => r.code && r.rule)) explained++;
  }
  return { explained, total };
}

/** Refusals counted by rule id; `(code)` when the event names no rule (the allowlist, today). */
export function refusalsByRule(refusals: readonly ClassifiedRefusal[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of refusals) {
    const keys = r.rules.length ? r.rules : [`(${r.code ?? 'unknown'})`];
    for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Detector suspensions seen in refusals: a detector reason naming its scope and when the
 * suspension began (`details.scope`, `details.since`, `details.until`, as pumping.* reasons do) is
 * one episode per scope, key and start. Suspensions nobody knocked at stay invisible here.
 */
export function suspensionEpisodes(events: readonly RefusalEvent[]): SuspensionRecord[] {
  const episodes = new Map<string, SuspensionRecord>();
  for (const e of events) {
    for (const r of reasonsOf(e.details)) {
      const d = r.details;
      if (!r.rule || !detectorPrefixes.some((p) => r.rule!.startsWith(p)) || typeof d.scope !== 'string' || typeof d.since !== 'number') continue;
      const value = String(d.prefix ?? d.country ?? d.key ?? '?');
      const key = `${r.rule}|${d.scope}|${value}|${d.since}`;
      const until = typeof d.until === 'number' ? d.until : null;
      const seen = episodes.get(key);
      if (!seen) episodes.set(key, { kind: d.scope, value, createdBy: `detector:${r.rule}`, createdAt: d.since, expiresAt: until });
      else if (until !== null && seen.expiresAt !== null) seen.expiresAt = Math.max(seen.expiresAt, until);
    }
  }
  return [...episodes.values()].sort((a, b) => a.createdAt - b.createdAt || (a.value < b.value ? -1 : 1));
}
