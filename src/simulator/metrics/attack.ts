// Attack metrics of a run (fraud.md §4.4 items 1–3): spend blocked against the unimpeded schedule,
// money lost before and after detection, time and sends to detect, time to 95 % containment.
import type { AttemptRecord } from '../attack/attacker.ts';
import type { UnimpededCost } from '../attack/schedule.ts';
import { HOUR, MINUTE } from '../time-spec.ts';
import type { ClassifiedRefusal } from './refusals.ts';
import type { AttackMetrics } from './types.ts';

export interface AttackTrace {
  family: string;
  records: readonly AttemptRecord[];
  unimpeded: UnimpededCost;
  /** Refusals of this attack's requests, classified. */
  refusals: readonly ClassifiedRefusal[];
  start: number;
  end: number;
  captchaSolves: number;
  captchaCost: number;
  revenueShare: number;
}

const WINDOW = 5 * MINUTE;
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

export function attackMetrics(a: AttackTrace): AttackMetrics {
  const sent = a.records.filter((r) => r.sentAt !== null);
  const cost = sent.reduce((n, r) => n + r.cost, 0);
  const detection = a.refusals.filter((r) => r.cls === 'detector').reduce<ClassifiedRefusal | null>((first, r) => (!first || r.t < first.t ? r : first), null);
  const firstStatic = a.refusals.filter((r) => r.cls === 'static').reduce<number | null>((m, r) => (m === null || r.t < m ? r.t : m), null);
  const before = detection ? sent.filter((r) => r.sentAt! < detection.t) : sent;
  const lossBefore = before.reduce((n, r) => n + r.cost, 0);
  const afterHours = detection ? Math.max(0, a.end - detection.t) / HOUR : 0;
  const refusals = { detector: 0, static: 0, cap: 0, challenge: 0, throttle: 0, other: 0 };
  for (const r of a.refusals) refusals[r.cls]++;
  return {
    family: a.family,
    unimpededSends: a.unimpeded.sends,
    unimpededCost: round(a.unimpeded.cost),
    sends: sent.length,
    cost: round(cost),
    spendBlocked: a.unimpeded.cost > 0 ? round(1 - cost / a.unimpeded.cost, 6) : 1,
    requestsBlocked: a.unimpeded.sends > 0 ? round(1 - sent.length / a.unimpeded.sends, 6) : 1,
    lossBeforeDetection: round(lossBefore),
    lossTotal: round(cost),
    leakagePerHourAfterDetection: detection && afterHours > 0 ? round((cost - lossBefore) / afterHours) : null,
    ttdMinutes: detection ? round((detection.t - a.start) / MINUTE, 2) : null,
    ttdSends: detection ? before.length : null,
    detectedBy: detection ? (detection.rules.find((r) => /^(pumping|velocity|reputation)/.test(r)) ?? null) : null,
    staticFirstMinutes: firstStatic === null ? null : round((firstStatic - a.start) / MINUTE, 2),
    refusals,
    containmentMinutes: containment(a.records, a.start, a.end),
    captchaSolves: a.captchaSolves,
    captchaCost: round(a.captchaCost),
    attackerNet: round(a.revenueShare * cost - a.captchaCost),
    billedMinutes: sent.reduce((n, r) => n + r.billedMinutes, 0),
  };
}

/**
 * Minutes from attack start to the first 5-minute window after which every window (by planned
 * time) has ≥95 % of its intended cost blocked; null when the last window still leaks.
 */
export function containment(records: readonly AttemptRecord[], start: number, end: number): number | null {
  const n = Math.max(1, Math.ceil((end - start) / WINDOW));
  const intended = new Array<number>(n).fill(0);
  const leaked = new Array<number>(n).fill(0);
  for (const r of records) {
    if (r.test || r.t < start || r.t >= end) continue;
    const w = Math.floor((r.t - start) / WINDOW);
    intended[w]! += r.intendedCost;
    if (r.sentAt !== null) leaked[w]! += r.cost;
  }
  let first: number | null = null;
  for (let w = n - 1; w >= 0; w--) {
    if (intended[w] === 0) continue;
    if (leaked[w]! > 0.05 * intended[w]!) break;
    first = w;
  }
  return first === null ? null : (first * WINDOW) / MINUTE;
}
