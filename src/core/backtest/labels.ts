// What happened after an attempt, as a label: legitimate-looking when its session verified (by
// any method) or when the same number or the same user verified within the label window of it;
// suspicious when none of that happened; pending when its session could still be open at the
// end of the data, so the answer is not known yet.
import type { TollgateEvent } from '../events/event.ts';

export type Label = 'legit' | 'suspicious' | 'pending';

export const labels: readonly Label[] = ['legit', 'suspicious', 'pending'];

export interface LabelRules {
  /** A verification of the same number or user this close to the attempt (before or after) makes it legitimate-looking. */
  windowMs: number;
  /** Sessions live this long (session.ttlSeconds): an unverified attempt younger than this at `dataEnd` is pending. */
  sessionTtlMs: number;
  /** The last instant the data covers. */
  dataEnd: number;
}

export interface Labelled {
  time: number;
  sessionId: string | null;
  e164: string;
  userIdHash: string | null;
}

/** Every verification seen, by session, number and user. Fed in time order. */
export class VerificationBook {
  private readonly sessions = new Set<string>();
  private readonly numbers = new Map<string, number[]>();
  private readonly users = new Map<string, number[]>();

  record(event: TollgateEvent): void {
    if (event.type !== 'session.verified') return;
    if (event.sessionId) this.sessions.add(event.sessionId);
    if (event.phoneNumber) push(this.numbers, event.phoneNumber, event.time);
    if (event.userIdHash) push(this.users, event.userIdHash, event.time);
  }

  label(a: Labelled, rules: LabelRules): Label {
    if (a.sessionId && this.sessions.has(a.sessionId)) return 'legit';
    if (near(this.numbers.get(a.e164), a.time, rules.windowMs)) return 'legit';
    if (a.userIdHash && near(this.users.get(a.userIdHash), a.time, rules.windowMs)) return 'legit';
    return a.time + rules.sessionTtlMs > rules.dataEnd ? 'pending' : 'suspicious';
  }
}

function push(map: Map<string, number[]>, key: string, time: number): void {
  const list = map.get(key);
  if (list) list.push(time);
  else map.set(key, [time]);
}

/** Some time in the ascending `times` within `windowMs` of `t`. */
function near(times: number[] | undefined, t: number, windowMs: number): boolean {
  if (!times) return false;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t - windowMs) lo = mid + 1;
    else hi = mid;
  }
  return lo < times.length && times[lo]! <= t + windowMs;
}
