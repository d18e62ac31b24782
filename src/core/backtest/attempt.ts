// Which recorded events are send attempts the defense judged, and what it decided then. A
// `code.sent` is an attempt that went out (allowed, perhaps after a solved CAPTCHA); a
// `code.send_refused` is one only when its `details.decision` came from the defense engine.
// Refusals before the defense (malformed input, the policy's country list, cooldowns, send
// budgets, CAPTCHA failures) and provider failures after it are skipped and counted.
import type { DefenseAction } from '../defense/decision.ts';
import type { Channel, TollgateEvent } from '../events/event.ts';

/** Why an event of a send was not replayed. */
export type SkipReason = 'email' | 'before-defense' | 'provider-failure' | 'no-number';

export const skipReasons: readonly SkipReason[] = ['email', 'before-defense', 'provider-failure', 'no-number'];

/** A reason as the event records it (docs/defense.md, "How a decision is recorded"). */
export interface RecordedReason {
  code: string;
  rule: string;
  action: DefenseAction;
  shadow: boolean;
  details?: Record<string, unknown>;
}

export interface RecordedDecision {
  action: DefenseAction;
  /** The strongest enforced refusing reason's rule, or null when the send was allowed. */
  rule: string | null;
}

export interface Attempt {
  event: TollgateEvent;
  e164: string;
  channel: Channel;
  /** The code went out (`code.sent`): its recorded cost was spent. */
  sent: boolean;
  recorded: RecordedDecision;
  /** A solved CAPTCHA came with this attempt. */
  captchaPassed: boolean;
}

export type Classified = { attempt: Attempt } | { skip: SkipReason } | null;

const ACTIONS = new Set<string>(['allow', 'challenge', 'block']);

/** The attempt an event records, the reason it is skipped, or null for events that are not sends. */
export function classifyEvent(event: TollgateEvent): Classified {
  if (event.type !== 'code.sent' && event.type !== 'code.send_refused') return null;
  if (event.channel === 'email' || event.details.method === 'email') return { skip: 'email' };
  if (event.channel !== 'sms' && event.channel !== 'voice') return { skip: 'before-defense' };
  if (!event.phoneNumber) return { skip: 'no-number' };
  const reasons = recordedReasons(event.details.decision);
  if (event.type === 'code.sent') {
    const captchaPassed = event.details.captchaPassed === true || reasons.some(satisfiedByCaptcha);
    return { attempt: { event, e164: event.phoneNumber, channel: event.channel, sent: true, recorded: { action: 'allow', rule: null }, captchaPassed } };
  }
  const decision = event.details.decision as { action?: unknown } | undefined;
  if (!decision || typeof decision !== 'object' || !ACTIONS.has(String(decision.action))) {
    return { skip: event.reason === 'provider_error' || event.reason === 'delivery_failed' ? 'provider-failure' : 'before-defense' };
  }
  // The policy's country list refuses before the engine runs; it is recorded as a decision too.
  if (reasons.length > 0 && reasons.every((r) => r.rule.startsWith('policy.'))) return { skip: 'before-defense' };
  const lead = leadingReason(reasons);
  return {
    attempt: {
      event,
      e164: event.phoneNumber,
      channel: event.channel,
      sent: false,
      recorded: { action: decision.action as DefenseAction, rule: lead?.rule ?? null },
      captchaPassed: reasons.some(satisfiedByCaptcha),
    },
  };
}

/** The reasons of a recorded decision, leaving out anything malformed. */
export function recordedReasons(decision: unknown): RecordedReason[] {
  const list = (decision as { reasons?: unknown } | undefined)?.reasons;
  if (!Array.isArray(list)) return [];
  const out: RecordedReason[] = [];
  for (const r of list as Record<string, unknown>[]) {
    if (!r || typeof r.rule !== 'string' || !ACTIONS.has(String(r.action))) continue;
    out.push({ code: String(r.code), rule: r.rule, action: r.action as DefenseAction, shadow: r.shadow === true, details: r.details as Record<string, unknown> | undefined });
  }
  return out;
}

const RANK: Record<DefenseAction, number> = { allow: 0, challenge: 1, block: 2 };

/** The strongest enforced refusing reason (the first of equals), as the service names the error. */
export function leadingReason<R extends { action: DefenseAction; shadow: boolean }>(reasons: readonly R[]): R | undefined {
  let best: R | undefined;
  for (const r of reasons) {
    if (r.shadow || r.action === 'allow') continue;
    if (!best || RANK[r.action] > RANK[best.action]) best = r;
  }
  return best;
}

function satisfiedByCaptcha(r: RecordedReason): boolean {
  return r.details?.satisfiedByCaptcha === true;
}
