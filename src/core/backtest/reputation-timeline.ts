// The reputation lists a replayed send is judged against. `recorded`: the entries that existed at
// the send's time (created before it, not yet expired) — entries removed since are gone from the
// store and cannot be replayed. `now`: the lists in force today, applied to the whole range.
import { ReputationLists } from '../defense/reputation.ts';
import type { ReputationEntry } from '../../ports.ts';

export type ReputationMode = 'recorded' | 'now';

export class ReputationTimeline {
  private readonly entries: ReputationEntry[];
  /** Creation times, ascending: where the recorded lists change (expiries come from the lists). */
  private readonly changes: number[];
  private current: ReputationLists | null = null;
  private validUntil = -Infinity;
  private validFrom = Infinity;

  constructor(entries: readonly ReputationEntry[], readonly mode: ReputationMode, now: number) {
    this.entries = [...entries].sort((a, b) => a.createdAt - b.createdAt);
    this.changes = this.entries.map((e) => e.createdAt);
    if (mode === 'now') {
      // Today's lists at every instant: entries active now, with their expiry ignored for the past.
      const active = this.entries.filter((e) => e.expiresAt === null || e.expiresAt > now).map((e) => ({ ...e, expiresAt: null }));
      this.current = new ReputationLists(active, now);
      this.validFrom = -Infinity;
      this.validUntil = Infinity;
    }
  }

  /** The lists in force at `t` (rebuilt only when an entry was created or expired since the last call). */
  at(t: number): ReputationLists {
    if (this.current && t >= this.validFrom && t < this.validUntil) return this.current;
    const created = upperBound(this.changes, t);
    const lists = new ReputationLists(this.entries.slice(0, created), t);
    const nextCreated = created < this.changes.length ? this.changes[created]! : Infinity;
    this.current = lists;
    this.validFrom = t;
    this.validUntil = Math.min(nextCreated, lists.nextExpiry ?? Infinity);
    return lists;
  }
}

/** Number of values ≤ t in the ascending `values`. */
function upperBound(values: number[], t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
