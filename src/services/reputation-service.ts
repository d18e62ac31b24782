// The reputation lists as a service: validated adds and removals (admin API, CLI, detectors) over
// the Store, and the matcher the defense engine reads before every send, cached so a send costs no
// database query. The cache is rebuilt after a change made here, when an entry expires, and at
// least every 10 s so entries added by another process (the CLI, a second instance) take effect.
import { randomUUID } from 'node:crypto';
import { TollgateError } from '../core/errors.ts';
import { ReputationLists } from '../core/defense/reputation.ts';
import { parseTtl, validateEntry } from '../core/defense/reputation-values.ts';
import type { Clock, ReputationEntry, ReputationKind, Store } from '../ports.ts';

export const REPUTATION_REFRESH_MS = 10_000;
export const MAX_NOTE_LENGTH = 500;

export interface AddReputationInput {
  kind: ReputationKind | string;
  value: string;
  list: 'block' | 'allow' | string;
  /** How long from now; omit both this and expiresAt to list until removed. */
  ttlSeconds?: number;
  /** Epoch ms. */
  expiresAt?: number;
  note?: string;
  /** `cli`, `api:<admin>`, `detector:<id>`, … */
  createdBy: string;
}

export function isActive(entry: ReputationEntry, now: number): boolean {
  return entry.expiresAt === null || entry.expiresAt > now;
}

export class ReputationService {
  private cached: ReputationLists | null = null;
  private loadedAt = 0;
  private pending: Promise<ReputationLists> | null = null;
  /** Bumped by every local change, so a load that raced with one is not kept. */
  private generation = 0;

  constructor(
    private readonly store: Store,
    readonly clock: Clock,
    private readonly newId: () => string = randomUUID,
  ) {}

  /**
   * Lists a value. Adding what is already actively listed (same kind, value and list) updates that
   * entry instead of adding a twin; it never shortens it (the later expiry wins, none beats any).
   */
  async add(input: AddReputationInput): Promise<ReputationEntry> {
    const now = this.clock.now();
    if (input.list !== 'block' && input.list !== 'allow') throw new TollgateError('invalid_request', 'list must be block or allow', { field: 'list' });
    const value = validateEntry(input.kind, input.value);
    const kind = input.kind as ReputationKind;
    if (input.ttlSeconds !== undefined && input.expiresAt !== undefined) {
      throw new TollgateError('invalid_request', 'give a ttl or an expiry time, not both', { field: 'ttl' });
    }
    let expiresAt: number | null = null;
    if (input.ttlSeconds !== undefined) expiresAt = now + parseTtl(input.ttlSeconds) * 1000;
    else if (input.expiresAt !== undefined) {
      if (!Number.isFinite(input.expiresAt) || input.expiresAt <= now) throw new TollgateError('invalid_request', 'expiresAt must be in the future', { field: 'expiresAt' });
      expiresAt = Math.trunc(input.expiresAt);
    }
    const note = (input.note ?? '').trim();
    if (note.length > MAX_NOTE_LENGTH) throw new TollgateError('invalid_request', `note is longer than ${MAX_NOTE_LENGTH} characters`, { field: 'note' });
    const createdBy = input.createdBy.trim();
    if (createdBy === '' || createdBy.length > 200) throw new TollgateError('invalid_request', 'createdBy must be 1–200 characters', { field: 'createdBy' });

    const existing = (await this.store.listReputation()).find(
      (e) => e.kind === kind && e.value === value && e.list === input.list && isActive(e, now),
    );
    const entry: ReputationEntry = existing
      ? {
          ...existing,
          expiresAt: existing.expiresAt === null || expiresAt === null ? null : Math.max(existing.expiresAt, expiresAt),
          note: note || existing.note,
          createdBy,
        }
      : { id: this.newId(), kind, value, list: input.list, createdAt: now, expiresAt, note, createdBy };
    await this.store.putReputation(entry);
    this.invalidate();
    return entry;
  }

  /** False when there was no such entry. */
  async remove(id: string): Promise<boolean> {
    const removed = await this.store.deleteReputation(id);
    if (removed) this.invalidate();
    return removed;
  }

  /** Oldest first; expired entries only when asked for (they stay stored as a record of past blocks). */
  async list(options: { includeExpired?: boolean } = {}): Promise<ReputationEntry[]> {
    const entries = await this.store.listReputation();
    if (options.includeExpired) return entries;
    const now = this.clock.now();
    return entries.filter((e) => isActive(e, now));
  }

  /** The active lists for the defense engine: cached, at most REPUTATION_REFRESH_MS old. */
  async lists(): Promise<ReputationLists> {
    const now = this.clock.now();
    const c = this.cached;
    const fresh = c !== null && now >= this.loadedAt && now - this.loadedAt < REPUTATION_REFRESH_MS && (c.nextExpiry === null || now < c.nextExpiry);
    if (fresh) return c;
    // Concurrent callers share one load; a change made meanwhile (invalidate) starts a new one.
    if (!this.pending) {
      const load: Promise<ReputationLists> = this.reload().finally(() => {
        if (this.pending === load) this.pending = null;
      });
      this.pending = load;
    }
    return this.pending;
  }

  /** Forget the cached lists (after a change made through another path). */
  invalidate(): void {
    this.generation++;
    this.cached = null;
    this.pending = null;
  }

  private async reload(): Promise<ReputationLists> {
    const generation = this.generation;
    const now = this.clock.now();
    const lists = new ReputationLists(await this.store.listReputation(), now);
    if (generation === this.generation) {
      this.cached = lists;
      this.loadedAt = now;
    }
    return lists;
  }
}
