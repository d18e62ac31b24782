// The admin audit trail: who did what to what, and when. Sign-ins, user and token changes are
// recorded by AdminAuth; the dashboard's block/allow actions record theirs through the same log.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../ports.ts';
import type { AuditEntry, AuditQuery, AuditStore } from './admin-store.ts';

export type { AuditEntry, AuditQuery } from './admin-store.ts';

export interface AuditRecord {
  actor: string;
  action: string;
  target?: string;
  details?: Record<string, unknown>;
}

const MAX_FIELD = 200;
const MAX_DETAILS_JSON = 4000;

function clip(text: string): string {
  return text.length > MAX_FIELD ? `${text.slice(0, MAX_FIELD - 1)}…` : text;
}

export class AuditLog {
  constructor(
    private readonly store: AuditStore,
    private readonly clock: Clock,
    private readonly newId: () => string = randomUUID,
  ) {}

  /** Appends one entry and returns it. Callers pass facts, never secrets (passwords, tokens, cookies). */
  async record(entry: AuditRecord): Promise<AuditEntry> {
    let details = entry.details ?? {};
    // A runaway details object must not bloat the table; keep a marker instead.
    if (JSON.stringify(details).length > MAX_DETAILS_JSON) details = { truncated: true };
    const saved: AuditEntry = {
      id: this.newId(),
      time: this.clock.now(),
      actor: clip(entry.actor),
      action: clip(entry.action),
      target: clip(entry.target ?? ''),
      details,
    };
    await this.store.appendAudit(saved);
    return saved;
  }

  /** Newest first. */
  list(query: AuditQuery = {}): Promise<AuditEntry[]> {
    return this.store.listAudit(query);
  }
}
