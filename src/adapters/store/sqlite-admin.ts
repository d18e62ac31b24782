// SqliteAdminStore: the admin sign-in tables (migration 4) in the same SQLite file as the rest of
// Tollgate. It shares an open better-sqlite3 connection, or opens its own from a path (the CLI).
import { StatementCache } from './sqlite-statements.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AdminStore, AuditEntry, AuditFacets, AuditQuery } from '../../core/admin/admin-store.ts';
import type { AdminRole, AdminSessionRecord, AdminUser, ApiTokenRecord } from '../../core/admin/model.ts';
import { ensureAdminSchema } from './sqlite-migrations-admin.ts';

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 1000;

interface UserRow { id: string; username: string; password_hash: string; role: AdminRole; created_at: number; disabled_at: number | null; last_sign_in_at: number | null }
interface SessionRow { id_hash: string; user_id: string; created_at: number; expires_at: number; last_seen_at: number; ip: string | null; user_agent: string | null }
interface TokenRow { id: string; name: string; user_id: string; token_hash: string; role: AdminRole; created_at: number; expires_at: number; last_used_at: number | null }
interface AuditRow { id: string; time: number; actor: string; action: string; target: string; details: string }

const userFromRow = (r: UserRow): AdminUser => ({
  id: r.id, username: r.username, passwordHash: r.password_hash, role: r.role,
  createdAt: r.created_at, disabledAt: r.disabled_at, lastSignInAt: r.last_sign_in_at,
});
const sessionFromRow = (r: SessionRow): AdminSessionRecord => ({
  idHash: r.id_hash, userId: r.user_id, createdAt: r.created_at, expiresAt: r.expires_at,
  lastSeenAt: r.last_seen_at, ip: r.ip, userAgent: r.user_agent,
});
const tokenFromRow = (r: TokenRow): ApiTokenRecord => ({
  id: r.id, name: r.name, userId: r.user_id, tokenHash: r.token_hash, role: r.role,
  createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at,
});
function auditFromRow(r: AuditRow): AuditEntry {
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(r.details) as Record<string, unknown>;
  } catch {}
  return { id: r.id, time: r.time, actor: r.actor, action: r.action, target: r.target, details };
}

/** Updatable user columns: the field name and its fixed column (values are always bound). */
const userColumns = { passwordHash: 'password_hash', role: 'role', disabledAt: 'disabled_at', lastSignInAt: 'last_sign_in_at' } as const;

/** listAudit filters: the query field and the fixed SQL it adds. */
const auditFilters = [
  ['actor', 'actor = @actor'],
  // substr, not LIKE: an actor name may contain % or _.
  ['actorWithTokens', "(actor = @actorWithTokens OR substr(actor, 1, length(@actorWithTokens) + 1) = @actorWithTokens || '/')"],
  ['action', 'action = @action'],
  ['target', 'target = @target'],
  ['since', 'time >= @since'],
  ['until', 'time < @until'],
  // Same order as the listing (time, then insertion); an unknown id matches nothing.
  ['before', '(time, rowid) < (SELECT time, rowid FROM admin_audit WHERE id = @before)'],
] as const satisfies readonly (readonly [keyof AuditQuery, string])[];

export class SqliteAdminStore implements AdminStore {
  private readonly db: Database.Database;
  private readonly ownsDb: boolean;
  private readonly statements: StatementCache;

  /** An open connection (shared; close() leaves it open) or a file path (opened and owned here). */
  constructor(dbOrPath: Database.Database | string) {
    if (typeof dbOrPath === 'string') {
      const inMemory = dbOrPath === ':memory:' || dbOrPath === '';
      if (!inMemory) mkdirSync(dirname(dbOrPath), { recursive: true });
      this.db = new Database(dbOrPath);
      this.db.pragma('busy_timeout = 5000');
      if (!inMemory) this.db.pragma('journal_mode = WAL');
      this.db.pragma('foreign_keys = ON');
      this.ownsDb = true;
    } else {
      this.db = dbOrPath;
      this.ownsDb = false;
    }
    this.statements = new StatementCache(this.db);
  }

  /** Creates the admin tables if missing; a no-op once migration 4 has run. */
  async migrate(): Promise<void> {
    ensureAdminSchema(this.db);
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.ownsDb && this.db.open) this.db.close();
  }

  private stmt<R = unknown>(sql: string): Database.Statement<unknown[], R> {
    return this.statements.get<R>(sql);
  }

  // ---- users -----------------------------------------------------------------------------------

  async createUser(u: AdminUser): Promise<boolean> {
    const result = this.stmt(
      `INSERT INTO users (id, username, password_hash, role, created_at, disabled_at, last_sign_in_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING`,
    ).run(u.id, u.username, u.passwordHash, u.role, u.createdAt, u.disabledAt, u.lastSignInAt);
    return result.changes === 1;
  }

  async getUserById(id: string): Promise<AdminUser | null> {
    const row = this.stmt<UserRow>('SELECT * FROM users WHERE id = ?').get(id);
    return row ? userFromRow(row) : null;
  }

  async getUserByUsername(username: string): Promise<AdminUser | null> {
    const row = this.stmt<UserRow>('SELECT * FROM users WHERE username = ?').get(username);
    return row ? userFromRow(row) : null;
  }

  async listUsers(): Promise<AdminUser[]> {
    return this.stmt<UserRow>('SELECT * FROM users ORDER BY username').all().map(userFromRow);
  }

  async updateUser(id: string, changes: Partial<Pick<AdminUser, keyof typeof userColumns>>): Promise<void> {
    const keys = (Object.keys(userColumns) as (keyof typeof userColumns)[]).filter((k) => changes[k] !== undefined);
    if (keys.length === 0) return;
    const sql = `UPDATE users SET ${keys.map((k) => `${userColumns[k]} = @${k}`).join(', ')} WHERE id = @id`;
    this.stmt(sql).run({ ...Object.fromEntries(keys.map((k) => [k, changes[k]])), id });
  }

  // ---- sign-in sessions ------------------------------------------------------------------------

  async createSession(s: AdminSessionRecord): Promise<void> {
    this.stmt(
      `INSERT INTO admin_sessions (id_hash, user_id, created_at, expires_at, last_seen_at, ip, user_agent)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(s.idHash, s.userId, s.createdAt, s.expiresAt, s.lastSeenAt, s.ip, s.userAgent);
  }

  async getSession(idHash: string): Promise<AdminSessionRecord | null> {
    const row = this.stmt<SessionRow>('SELECT * FROM admin_sessions WHERE id_hash = ?').get(idHash);
    return row ? sessionFromRow(row) : null;
  }

  async touchSession(idHash: string, lastSeenAt: number): Promise<void> {
    this.stmt('UPDATE admin_sessions SET last_seen_at = ? WHERE id_hash = ?').run(lastSeenAt, idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.stmt('DELETE FROM admin_sessions WHERE id_hash = ?').run(idHash);
  }

  async deleteSessionsOfUser(userId: string): Promise<number> {
    return this.stmt('DELETE FROM admin_sessions WHERE user_id = ?').run(userId).changes;
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return this.stmt('DELETE FROM admin_sessions WHERE expires_at <= ?').run(now).changes;
  }

  // ---- API tokens ------------------------------------------------------------------------------

  async createApiToken(t: ApiTokenRecord): Promise<void> {
    this.stmt(
      `INSERT INTO api_tokens (id, name, user_id, token_hash, role, created_at, expires_at, last_used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(t.id, t.name, t.userId, t.tokenHash, t.role, t.createdAt, t.expiresAt, t.lastUsedAt);
  }

  async getApiToken(id: string): Promise<ApiTokenRecord | null> {
    const row = this.stmt<TokenRow>('SELECT * FROM api_tokens WHERE id = ?').get(id);
    return row ? tokenFromRow(row) : null;
  }

  async listApiTokens(userId?: string): Promise<ApiTokenRecord[]> {
    const rows = userId === undefined
      ? this.stmt<TokenRow>('SELECT * FROM api_tokens ORDER BY created_at DESC, rowid DESC').all()
      : this.stmt<TokenRow>('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, rowid DESC').all(userId);
    return rows.map(tokenFromRow);
  }

  async touchApiToken(id: string, lastUsedAt: number): Promise<void> {
    this.stmt('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(lastUsedAt, id);
  }

  async deleteApiToken(id: string): Promise<boolean> {
    return this.stmt('DELETE FROM api_tokens WHERE id = ?').run(id).changes === 1;
  }

  // ---- audit trail -----------------------------------------------------------------------------

  async appendAudit(e: AuditEntry): Promise<void> {
    this.stmt('INSERT INTO admin_audit (id, time, actor, action, target, details) VALUES (?, ?, ?, ?, ?, ?)').run(
      e.id, e.time, e.actor, e.action, e.target, JSON.stringify(e.details),
    );
  }

  async listAudit(query: AuditQuery): Promise<AuditEntry[]> {
    // Only fixed fragments are joined into the SQL; every value is a bound parameter.
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    for (const [key, clause] of auditFilters) {
      if (query[key] !== undefined) {
        where.push(clause);
        params[key] = query[key];
      }
    }
    const limit = query.limit;
    params.limit = limit === undefined || !Number.isFinite(limit) ? AUDIT_DEFAULT_LIMIT : Math.min(Math.max(Math.trunc(limit), 0), AUDIT_MAX_LIMIT);
    const sql = `SELECT * FROM admin_audit${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY time DESC, rowid DESC LIMIT @limit`;
    return this.stmt<AuditRow>(sql).all(params).map(auditFromRow);
  }

  async auditFacets(): Promise<AuditFacets> {
    const column = (sql: string) => this.stmt<{ v: string }>(sql).all().map((r) => r.v);
    return {
      actions: column('SELECT DISTINCT action AS v FROM admin_audit ORDER BY v'),
      actors: column('SELECT DISTINCT actor AS v FROM admin_audit ORDER BY v'),
    };
  }
}
