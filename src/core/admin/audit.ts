// The admin audit trail: who did what to what, and when. Sign-ins, user and token changes are
// recorded by AdminAuth; changes to the reputation lists (dashboard, admin API, CLI) record theirs
// through the same log, with the entry's facts built by reputationAudit().
import { randomUUID } from 'node:crypto';
import type { Clock, ReputationEntry } from '../../ports.ts';
import type { AuditEntry, AuditFacets, AuditQuery, AuditStore } from './admin-store.ts';

export type { AuditEntry, AuditFacets, AuditQuery } from './admin-store.ts';

/** Every action the trail holds, in the order the audit page offers them. */
export const auditActions = [
  'sign_in', 'sign_in_failed', 'sign_out', 'user_create', 'user_password', 'user_disable', 'token_create', 'token_revoke',
  'reputation_add', 'reputation_remove', 'reputation_restore',
  'alert_rule_create', 'alert_rule_update', 'alert_rule_enable', 'alert_rule_disable', 'alert_rule_delete', 'alert_rule_reset', 'alert_evaluate',
] as const;

/** Where a reputation change came from (`alert`: an alert rule's automatic block). */
export type ReputationChangeVia = 'dashboard' | 'api' | 'cli' | 'alert';

/** What an entry was before an add extended it (an add of an already listed value updates that entry). */
export interface ReputationPrevious {
  expiresAt: number | null;
  note: string;
  createdBy: string;
}

/**
 * The audit record of a change to a reputation entry (target: the entry id). `previous` is kept on
 * an add that updated an existing entry, so an undo can put that entry back as it was.
 */
export function reputationAudit(
  actor: string,
  action: 'reputation_add' | 'reputation_remove' | 'reputation_restore',
  entry: ReputationEntry,
  via: ReputationChangeVia,
  extra: { previous?: ReputationPrevious; undo?: boolean; ttlSeconds?: number } = {},
): AuditRecord {
  return {
    actor,
    action,
    target: entry.id,
    details: {
      kind: entry.kind, value: entry.value, list: entry.list, expiresAt: entry.expiresAt, note: entry.note, createdBy: entry.createdBy, via,
      ...(extra.ttlSeconds !== undefined ? { ttl: extra.ttlSeconds } : {}),
      ...(extra.previous ? { previous: extra.previous } : {}),
      ...(extra.undo ? { undo: true } : {}),
    },
  };
}

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

  /** Distinct actions and actors, for filters. */
  facets(): Promise<AuditFacets> {
    return this.store.auditFacets();
  }
}
