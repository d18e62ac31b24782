// The storage port of the admin sign-in: users, sign-in sessions, API tokens and the audit trail.
// SqliteAdminStore implements it; the service and the dashboard only see this interface.
import type { AdminSessionRecord, AdminUser, ApiTokenRecord } from './model.ts';

export interface AuditEntry {
  id: string;
  /** Epoch ms. */
  time: number;
  /** Who did it: `user:<name>`, `user:<name>/token:<id>`, `cli`, `system`, … */
  actor: string;
  /** What was done, e.g. `sign_in`, `user_create`, `token_revoke`, `reputation_add`. */
  action: string;
  /** What it was done to (a username, a token id, a list entry); empty when nothing. */
  target: string;
  /** Extra facts (JSON object). Never secrets. */
  details: Record<string, unknown>;
}

export interface AuditQuery {
  actor?: string;
  /** An actor and the API tokens acting for it: `user:alice` also matches `user:alice/token:<id>`. */
  actorWithTokens?: string;
  action?: string;
  target?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  /** Cursor: only entries older than the entry with this id (the last one of the previous page). */
  before?: string;
  /** Newest first; default 100, at most 1000. */
  limit?: number;
}

/** The distinct values of the filterable columns, for the audit page's filter choices. */
export interface AuditFacets {
  actions: string[];
  actors: string[];
}

export interface AuditStore {
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;
  /** Sorted distinct actions and actors. */
  auditFacets(): Promise<AuditFacets>;
}

export interface AdminStore extends AuditStore {
  /** Returns false when the username is taken. */
  createUser(user: AdminUser): Promise<boolean>;
  getUserById(id: string): Promise<AdminUser | null>;
  getUserByUsername(username: string): Promise<AdminUser | null>;
  listUsers(): Promise<AdminUser[]>;
  updateUser(id: string, changes: Partial<Pick<AdminUser, 'passwordHash' | 'role' | 'disabledAt' | 'lastSignInAt'>>): Promise<void>;

  createSession(session: AdminSessionRecord): Promise<void>;
  getSession(idHash: string): Promise<AdminSessionRecord | null>;
  touchSession(idHash: string, lastSeenAt: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of a user (password change, disabling); returns how many. */
  deleteSessionsOfUser(userId: string): Promise<number>;
  /** Housekeeping: drops sessions past their absolute end. */
  deleteExpiredSessions(now: number): Promise<number>;

  createApiToken(token: ApiTokenRecord): Promise<void>;
  getApiToken(id: string): Promise<ApiTokenRecord | null>;
  /** All tokens, or a user's; newest first. */
  listApiTokens(userId?: string): Promise<ApiTokenRecord[]>;
  touchApiToken(id: string, lastUsedAt: number): Promise<void>;
  /** Returns false when there was no such token. */
  deleteApiToken(id: string): Promise<boolean>;
}
