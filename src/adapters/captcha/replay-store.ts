// Single-use memory for CAPTCHA solutions: a solved challenge (or a provider token) may pass once.
// ALTCHA has no replay protection of its own (CVE-2025-68113), so this store is what makes its
// payloads single-use. The interface is tiny so a SQLite or Redis store can replace the in-memory
// one when Tollgate runs as several processes.
import type { Clock } from '../../ports.ts';

export interface ReplayStore {
  /**
   * Records `key` as used until `expiresAt` (epoch ms). Returns true the first time, false when the
   * key is already recorded and not yet expired. Must be atomic: of two concurrent claims of the
   * same key, exactly one may win.
   */
  claim(key: string, expiresAt: number): Promise<boolean>;
}

export interface MemoryReplayStoreOptions {
  clock: Clock;
  /** Upper bound on remembered keys (default 100 000, a few MB). */
  maxEntries?: number;
}

/**
 * One process's replay memory: a Map in insertion order with an expiry per key.
 *
 * When full it first drops expired keys and then the oldest ones. Forgetting a still-valid key
 * lets that one solution be replayed, but only after the attacker has pushed `maxEntries` fresh,
 * verified solutions through (keys are claimed only after a solution verifies), which costs more
 * work than the replay saves. Refusing new claims instead would let the same flood lock every
 * honest user out.
 */
export class MemoryReplayStore implements ReplayStore {
  private readonly clock: Clock;
  private readonly maxEntries: number;
  private readonly entries = new Map<string, number>();

  constructor(opts: MemoryReplayStoreOptions) {
    this.clock = opts.clock;
    this.maxEntries = Math.max(1, Math.floor(opts.maxEntries ?? 100_000));
  }

  // Synchronous body inside an async function: no await between the check and the set, so two
  // claims in the same process cannot interleave.
  async claim(key: string, expiresAt: number): Promise<boolean> {
    const now = this.clock.now();
    const until = this.entries.get(key);
    if (until !== undefined && until > now) return false;
    if (until !== undefined) this.entries.delete(key);
    if (expiresAt <= now) return true; // already expired: nothing left to protect
    if (this.entries.size >= this.maxEntries) this.makeRoom(now);
    this.entries.set(key, expiresAt);
    return true;
  }

  /** Number of remembered keys (tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  // Each user of a store gives its keys one lifetime, so insertion order is (nearly) expiry order:
  // expired keys sit at the front, and the sweep stops at the first live one instead of scanning
  // the whole map on every claim during a flood.
  private makeRoom(now: number): void {
    for (const [k, until] of this.entries) {
      if (this.entries.size < this.maxEntries) return;
      if (until > now) break;
      this.entries.delete(k);
    }
    // Still full: evict the oldest.
    for (const k of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) return;
      this.entries.delete(k);
    }
  }
}
