// Pure arithmetic over sliding-window counts: the Auth0-style backoff schedule and the
// "how long until this window lets a send through" answer clients get as retryAfter.
import type { Counters } from '../../../ports.ts';

export interface BackoffSettings {
  /** Sends inside the backoff window that need no wait. */
  grace: number;
  baseSeconds: number;
  maxSeconds: number;
}

/**
 * The gap the next send must keep from the previous one, given the sends already made inside the
 * backoff window: 0 within the grace, then base, 2·base, 4·base… up to max (1→2→4…→32 min by
 * default). Decay comes from the window: as old sends slide out, the wait falls back.
 */
export function backoffWaitSeconds(sendsInWindow: number, s: BackoffSettings): number {
  if (sendsInWindow < s.grace) return 0;
  const doublings = Math.min(sendsInWindow - s.grace, 40);
  return Math.min(s.maxSeconds, s.baseSeconds * 2 ** doublings);
}

/**
 * Whole seconds until the total of `key` over `windowMs` is at most `allowed`, assuming nothing
 * else is counted meanwhile. Counters only give totals, so this bisects on counts at later
 * instants (the total can only fall as hits slide out) to a resolution of windowMs/64, at least
 * 1 s: at most ~7 reads, and only on the refusal path.
 */
export async function secondsUntilAtMost(
  counters: Counters,
  key: string,
  now: number,
  windowMs: number,
  allowed: number,
): Promise<number> {
  const step = Math.max(1000, windowMs / 64);
  let lo = 0;
  let hi = windowMs;
  while (hi - lo > step) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await counters.count(key, now + mid, windowMs)) <= allowed) hi = mid;
    else lo = mid;
  }
  return Math.max(1, Math.ceil(hi / 1000));
}
