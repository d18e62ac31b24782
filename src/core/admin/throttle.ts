// Sign-in throttling: at most 5 failed attempts per username and per IP in 15 minutes. In memory
// (one process) behind a small interface, so a shared store can replace it for several instances.
// An attempt counts as failed from the moment it begins: parallel guesses cannot all slip through
// while the (slow, on purpose) password check runs.

export interface SignInThrottle {
  /** Seconds to wait when a key is over the limit (nothing is counted); else 0, and the attempt counts as a failure. */
  begin(keys: readonly string[], now: number): number;
  /** The attempt begun at `at` succeeded: it stops counting, and the failures of `clear` are forgotten. */
  succeeded(keys: readonly string[], at: number, clear: readonly string[]): void;
}

export interface ThrottleLimits {
  maxFailures: number;
  windowMs: number;
  /** Most keys remembered; the stalest are dropped first, so random usernames cannot fill memory. */
  maxKeys: number;
}

export const defaultThrottleLimits: ThrottleLimits = { maxFailures: 5, windowMs: 15 * 60_000, maxKeys: 50_000 };

/** The keys one attempt counts against. The username is normalised so case does not give extra tries. */
export function throttleKeys(username: string, ip: string | null): string[] {
  const keys = [`user:${username.trim().toLowerCase().slice(0, 64)}`];
  if (ip) keys.push(`ip:${ip}`);
  return keys;
}

export class MemorySignInThrottle implements SignInThrottle {
  /** key → failure times, oldest first. Map order = least recently failed first. */
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: ThrottleLimits = defaultThrottleLimits) {}

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  begin(keys: readonly string[], now: number): number {
    let waitMs = 0;
    for (const key of keys) {
      const times = this.recent(key, now);
      if (times.length < this.limits.maxFailures) continue;
      // Free again when enough of the failures have left the window.
      const freedAt = times[times.length - this.limits.maxFailures]! + this.limits.windowMs;
      waitMs = Math.max(waitMs, freedAt - now);
    }
    if (waitMs > 0) return Math.ceil(waitMs / 1000);
    for (const key of keys) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.delete(key); // re-insert: most recent last
      this.failures.set(key, times.slice(-this.limits.maxFailures));
    }
    while (this.failures.size > this.limits.maxKeys) this.failures.delete(this.failures.keys().next().value!);
    return 0;
  }

  succeeded(keys: readonly string[], at: number, clear: readonly string[]): void {
    for (const key of keys) {
      const times = this.failures.get(key);
      const i = times?.lastIndexOf(at) ?? -1;
      if (i >= 0) times!.splice(i, 1);
    }
    for (const key of clear) this.failures.delete(key);
  }
}
