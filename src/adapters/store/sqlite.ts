// The embedded default Store: one SQLite file (better-sqlite3) in WAL mode. The port is async so a
// PostgreSQL adapter can implement it too; here every call runs synchronously inside the promise.
import { StatementCache } from './sqlite-statements.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { TollgateEvent } from '../../core/events/event.ts';
import type { PhoneFactorSession } from '../../core/flows/session.ts';
import type { EventQuery, OutboxMessage, ReputationEntry, SigningKeyRecord, Store } from '../../ports.ts';
import { runSqliteMigrations } from './sqlite-migrations.ts';
import {
  eventColumns,
  eventFromRow,
  type EventRow,
  eventToRow,
  outboxFromRow,
  type OutboxRow,
  outboxToRow,
  reputationFromRow,
  type ReputationRow,
  reputationToRow,
  type SessionRow,
  sessionFromRow,
  sessionParams,
  signingKeyFromRow,
  type SigningKeyRow,
  signingKeyToRow,
} from './sqlite-rows.ts';

export const EVENTS_DEFAULT_LIMIT = 1000;
export const EVENTS_MAX_LIMIT = 10000;
export const OUTBOX_DEFAULT_LIMIT = 100;
export const OUTBOX_MAX_LIMIT = 10000;
/** Event inserts committed together at most, when batched (see batchEventCommits). */
const EVENT_BATCH_MAX = 256;

/** listEvents filters: the query field and the fixed SQL it adds (the value is bound as @field). */
const eventFilters = [
  ['sessionId', 'session_id = @sessionId'],
  ['phoneNumber', 'phone_number = @phoneNumber'],
  ['type', 'type = @type'],
  ['since', 'time >= @since'],
  ['until', 'time < @until'],
] as const satisfies readonly (readonly [keyof EventQuery, string])[];

function clampLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(Math.max(Math.trunc(limit), 0), max);
}

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements: StatementCache;
  private insertEvent: Database.Statement | undefined;
  /** Event rows inserted in the open transaction, not committed yet (null: none open). */
  private eventBatch: EventRow[] | null = null;
  /** batchEventCommits: 0 commits every append. */
  private eventCommitMs = 0;
  private eventTimer: ReturnType<typeof setTimeout> | undefined;
  /** A failed commit of events that could not be repaired: thrown by the next appendEvent. */
  private eventError: unknown = null;

  /** `path` is a file (its directory is created if missing) or `':memory:'`. */
  constructor(readonly path: string) {
    const inMemory = path === ':memory:' || path === '';
    if (!inMemory) mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 5000');
    if (!inMemory) this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.statements = new StatementCache(this.db);
  }

  /** The connection, shared by the feature stores (factors, admin, workbook) of the same file. */
  get connection(): Database.Database {
    return this.db;
  }

  /** Prepared once per SQL text and reused (statements are only prepared after migrate()). */
  private stmt<R = unknown>(sql: string): Database.Statement<unknown[], R> {
    return this.statements.get<R>(sql);
  }

  async migrate(): Promise<void> {
    runSqliteMigrations(this.db, `SQLite database ${this.path}`);
  }

  async close(): Promise<void> {
    this.commitEvents();
    this.insertEvent = undefined;
    this.statements.clear();
    if (this.db.open) this.db.close();
  }

  // ---- sessions --------------------------------------------------------------------------------

  async createSession(session: PhoneFactorSession): Promise<void> {
    this.stmt(
      `INSERT INTO sessions (id, app_id, kind, status, selected_number, expires_at, created_at, updated_at, version, body)
       VALUES (@id, @app_id, @kind, @status, @selected_number, @expires_at, @created_at, @updated_at, @version, @body)`,
    ).run({ ...sessionParams(session), version: session.version });
  }

  async getSession(id: string): Promise<PhoneFactorSession | null> {
    const row = this.stmt<SessionRow>('SELECT version, body FROM sessions WHERE id = ?').get(id);
    return row ? sessionFromRow(row) : null;
  }

  async updateSession(session: PhoneFactorSession): Promise<PhoneFactorSession | null> {
    const saved: PhoneFactorSession = { ...session, version: session.version + 1 };
    const { created_at: _createdAt, ...params } = sessionParams(saved);
    const result = this.stmt(
      `UPDATE sessions SET app_id = @app_id, kind = @kind, status = @status, selected_number = @selected_number,
         expires_at = @expires_at, updated_at = @updated_at, version = @version, body = @body
       WHERE id = @id AND version = @expected`,
    ).run({ ...params, version: saved.version, expected: session.version });
    if (result.changes === 0) return null;
    return sessionFromRow({ version: saved.version, body: params.body });
  }

  async findActiveVerification(appId: string, phoneNumber: string, now: number): Promise<PhoneFactorSession | null> {
    // kind and the terminal statuses are literals so the partial index sessions_active_verification applies.
    const row = this.stmt<SessionRow>(
      `SELECT version, body FROM sessions
       WHERE kind = 'verification' AND app_id = ? AND selected_number = ?
         AND status NOT IN ('verified', 'failed', 'expired') AND expires_at > ?
       ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    ).get(appId, phoneNumber, now);
    return row ? sessionFromRow(row) : null;
  }

  // ---- events ----------------------------------------------------------------------------------

  /**
   * Inserts one event: one prepared statement, committed at once (the default). With
   * batchEventCommits(ms), appends share one transaction instead (see there).
   */
  async appendEvent(event: TollgateEvent): Promise<void> {
    if (this.eventError !== null) {
      const err = this.eventError;
      this.eventError = null;
      throw err;
    }
    const row = eventToRow(event);
    this.insertEvent ??= this.db.prepare(`INSERT INTO events (${eventColumns.join(', ')}) VALUES (${eventColumns.map((c) => `@${c}`).join(', ')})`);
    if (this.eventCommitMs > 0 && this.eventBatch === null && !this.db.inTransaction) {
      this.db.exec('BEGIN');
      this.eventBatch = [];
      this.eventTimer = setTimeout(() => this.commitEvents(), this.eventCommitMs);
    }
    this.insertEvent.run(row);
    if (this.eventBatch !== null) {
      this.eventBatch.push(row);
      if (this.eventBatch.length >= EVENT_BATCH_MAX) this.commitEvents();
    }
  }

  /**
   * Lets event appends share one transaction, committed `maxDelayMs` after the first (or after
   * EVENT_BATCH_MAX appends, or at close); 0 (the default) commits every append. Every request
   * writes an event or two, and each commit writes the table page and every index page the insert
   * touched to the WAL again: batched, an append costs about a third. This connection reads its
   * own uncommitted rows, and its other writes meanwhile join the transaction (better-sqlite3
   * nests transactions as savepoints). But the write lock is held until the commit, so only turn
   * this on where no other process writes to the file and this one never blocks its event loop
   * (the simulator; a CLI command run against a live server would wait), and where losing the
   * last moment of events in a crash does not matter. A commit that fails is rolled back and its
   * events inserted one by one; if that fails too, the next append throws the error.
   */
  batchEventCommits(maxDelayMs: number): void {
    this.commitEvents();
    this.eventCommitMs = Math.max(0, maxDelayMs);
  }

  /** Commits the open batch of event inserts, if any (also called by close). */
  private commitEvents(): void {
    const batch = this.eventBatch;
    if (batch === null) return;
    this.eventBatch = null;
    clearTimeout(this.eventTimer);
    if (!this.db.open || !this.db.inTransaction) return;
    try {
      this.db.exec('COMMIT');
    } catch (err) {
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        for (const row of batch) this.insertEvent!.run(row);
      } catch {
        this.eventError = err;
      }
    }
  }

  async listEvents(query: EventQuery): Promise<TollgateEvent[]> {
    // Only fixed fragments are joined into the SQL; every value is a bound parameter.
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    for (const [key, clause] of eventFilters) {
      if (query[key] !== undefined) {
        where.push(clause);
        params[key] = query[key];
      }
    }
    params.limit = clampLimit(query.limit, EVENTS_DEFAULT_LIMIT, EVENTS_MAX_LIMIT);
    const sql =
      `SELECT ${eventColumns.join(', ')} FROM events` +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ' ORDER BY time ASC, rowid ASC LIMIT @limit';
    return this.stmt<EventRow>(sql).all(params).map(eventFromRow);
  }

  // ---- outbox ----------------------------------------------------------------------------------

  async appendOutbox(message: OutboxMessage): Promise<void> {
    this.stmt(
      `INSERT INTO outbox (id, time, channel, to_number, body, code, session_id, locale)
       VALUES (@id, @time, @channel, @to_number, @body, @code, @session_id, @locale)`,
    ).run(outboxToRow(message));
  }

  async listOutbox(query: { to?: string; limit?: number }): Promise<OutboxMessage[]> {
    const limit = clampLimit(query.limit, OUTBOX_DEFAULT_LIMIT, OUTBOX_MAX_LIMIT);
    const columns = 'id, time, channel, to_number, body, code, session_id, locale';
    const rows =
      query.to === undefined
        ? this.stmt<OutboxRow>(`SELECT ${columns} FROM outbox ORDER BY time DESC, rowid DESC LIMIT ?`).all(limit)
        : this.stmt<OutboxRow>(
            `SELECT ${columns} FROM outbox WHERE to_number = ? ORDER BY time DESC, rowid DESC LIMIT ?`,
          ).all(query.to, limit);
    return rows.map(outboxFromRow);
  }

  // ---- signing keys ----------------------------------------------------------------------------

  async listSigningKeys(): Promise<SigningKeyRecord[]> {
    return this.stmt<SigningKeyRow>(
      `SELECT kid, private_jwk, public_jwk, created_at, rotated_at, retired_at
       FROM signing_keys ORDER BY created_at ASC, kid ASC`,
    )
      .all()
      .map(signingKeyFromRow);
  }

  /** Inserts the key, or replaces the stored one with the same kid (rotation, retirement). */
  async putSigningKey(key: SigningKeyRecord): Promise<void> {
    this.stmt(
      `INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at, rotated_at, retired_at)
       VALUES (@kid, @private_jwk, @public_jwk, @created_at, @rotated_at, @retired_at)
       ON CONFLICT (kid) DO UPDATE SET private_jwk = excluded.private_jwk, public_jwk = excluded.public_jwk,
         created_at = excluded.created_at, rotated_at = excluded.rotated_at, retired_at = excluded.retired_at`,
    ).run(signingKeyToRow(key));
  }

  // ---- reputation ------------------------------------------------------------------------------

  async listReputation(): Promise<ReputationEntry[]> {
    return this.stmt<ReputationRow>(
      `SELECT id, kind, value, list, created_at, expires_at, note, created_by
       FROM reputation_entries ORDER BY created_at ASC, rowid ASC`,
    )
      .all()
      .map(reputationFromRow);
  }

  /** Inserts the entry, or replaces the stored one with the same id (extending a block, editing a note). */
  async putReputation(entry: ReputationEntry): Promise<void> {
    this.stmt(
      `INSERT INTO reputation_entries (id, kind, value, list, created_at, expires_at, note, created_by)
       VALUES (@id, @kind, @value, @list, @created_at, @expires_at, @note, @created_by)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, value = excluded.value, list = excluded.list,
         created_at = excluded.created_at, expires_at = excluded.expires_at, note = excluded.note,
         created_by = excluded.created_by`,
    ).run(reputationToRow(entry));
  }

  async deleteReputation(id: string): Promise<boolean> {
    return this.stmt('DELETE FROM reputation_entries WHERE id = ?').run(id).changes > 0;
  }

  async phoneVerifiedBefore(phoneNumber: string): Promise<boolean> {
    // Runs before every send: INDEXED BY pins the (phone_number, time) index, since without ANALYZE
    // statistics the planner may pick events_type_time and scan every verification ever made.
    const row = this.stmt(
      `SELECT 1 FROM events INDEXED BY events_phone_time
       WHERE phone_number = ? AND type = 'session.verified' LIMIT 1`,
    ).get(phoneNumber);
    return row !== undefined;
  }

  // ---- settings --------------------------------------------------------------------------------

  async getSetting(key: string): Promise<string | null> {
    const row = this.stmt<{ value: string }>('SELECT value FROM settings WHERE key = ?').get(key);
    return row ? row.value : null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.stmt(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  }
}
