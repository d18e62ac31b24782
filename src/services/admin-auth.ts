// AdminAuth: who may use the admin dashboard and API. Users with scrypt passwords, sign-in sessions
// behind an HttpOnly cookie (CSRF-checked on writes), API tokens for automation, throttled sign-in,
// and an audit entry for every sign-in and every change to users and tokens.
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AdminStore } from '../core/admin/admin-store.ts';
import { AuditLog } from '../core/admin/audit.ts';
import { apiTokenId, isSessionValue, newApiToken, newSessionValue, safeEqual, sha256Hex } from '../core/admin/credentials.ts';
import {
  type AdminRole, type AdminUser, type AdminUserView, type ApiTokenView, isAdminRole, lesserRole, normalizeUsername,
  roleAllows, SESSION_IDLE_MS, SESSION_TOUCH_MS, SESSION_TTL_MS, TOKEN_MAX_TTL_DAYS, tokenView, userView,
} from '../core/admin/model.ts';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from '../core/admin/password.ts';
import { AdminUsers, invalidField as invalid } from '../core/admin/users.ts';
import { MemorySignInThrottle, type SignInThrottle, throttleKeys } from '../core/admin/throttle.ts';
import { TollgateError } from '../core/errors.ts';
import { csrfToken, verifyCsrfToken } from '../pages/csrf.ts';
import type { Clock } from '../ports.ts';

export { canSeeFullNumbers } from '../core/admin/model.ts';

export const ADMIN_SESSION_COOKIE = 'tg_admin';
/** Scripts send the `<meta name="csrf">` value in this header; forms send it as the `csrf` field. */
export const ADMIN_CSRF_HEADER = 'x-csrf-token';
const CSRF_SCOPE = 'admin-session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BAD_CREDENTIALS = 'Wrong username or password.';

export interface AdminAuthDeps {
  store: AdminStore;
  clock: Clock;
  /** HMAC key of the CSRF tokens (derived from the master secret). */
  csrfKey: Uint8Array;
  throttle?: SignInThrottle;
  newId?: () => string;
  sessionTtlMs?: number;
  sessionIdleMs?: number;
}

/** Who is calling, as routes see it. `role` is the effective one (a token never outranks its owner). */
export interface AdminPrincipal {
  /** For the audit trail: `user:alice` or `user:alice/token:<id>`. */
  actor: string;
  role: AdminRole;
  user: AdminUserView;
  via: 'session' | 'token';
  tokenId: string | null;
  /** CSRF token of the session (for forms and the `<meta name="csrf">`); null for tokens. */
  csrf: string | null;
  /** Absolute end of the session or token. */
  expiresAt: number;
}

export type AdminRequest = Pick<FastifyRequest, 'method' | 'headers' | 'body'> & { cookies?: Record<string, string | undefined> };

export interface SignInResult {
  /** The `tg_admin` cookie value (shown to nobody else; stored only hashed). */
  cookieValue: string;
  principal: AdminPrincipal;
}

export class AdminAuth {
  readonly audit: AuditLog;
  readonly users: AdminUsers;
  private readonly store: AdminStore;
  private readonly clock: Clock;
  private readonly throttle: SignInThrottle;
  private readonly newId: () => string;

  constructor(private readonly deps: AdminAuthDeps) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.throttle = deps.throttle ?? new MemorySignInThrottle();
    this.newId = deps.newId ?? randomUUID;
    this.audit = new AuditLog(deps.store, deps.clock, this.newId);
    this.users = new AdminUsers(deps.store, deps.clock, this.audit, this.newId);
    // Made now, so the first unknown-user sign-in does not take longer than the others.
    dummyPasswordHash().catch(() => {});
  }

  // ---- users (see core/admin/users.ts) ---------------------------------------------------------

  createUser(input: { username: string; password: string; role: AdminRole }, actor: string): Promise<AdminUserView> {
    return this.users.create(input, actor);
  }

  setPassword(username: string, password: string, actor: string): Promise<void> {
    return this.users.setPassword(username, password, actor);
  }

  disableUser(username: string, actor: string): Promise<void> {
    return this.users.disable(username, actor);
  }

  listUsers(): Promise<AdminUserView[]> {
    return this.users.list();
  }

  // ---- sign-in sessions ------------------------------------------------------------------------

  /** Unknown user, wrong password and disabled user all give the same 401 after the same scrypt work. */
  async signIn(username: string, password: string, ip: string | null, userAgent: string | null): Promise<SignInResult> {
    const now = this.clock.now();
    const keys = throttleKeys(typeof username === 'string' ? username : '', ip);
    const wait = this.throttle.begin(keys, now); // counts as failed until it succeeds
    if (wait > 0) throw new TollgateError('rate_limited', 'Too many failed sign-ins. Try again later.', { retryAfter: wait });
    const name = normalizeUsername(username);
    const user = name ? await this.store.getUserByUsername(name) : null;
    const given = typeof password === 'string' ? password : '';
    const matches = await verifyPassword(given, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !matches || user.disabledAt !== null) {
      const reason = !user ? 'unknown_user' : !matches ? 'wrong_password' : 'disabled';
      // An unknown "username" may be a password typed in the wrong field: it is not recorded.
      await this.audit.record({ actor: 'anonymous', action: 'sign_in_failed', target: user?.username ?? '', details: { reason, ip } });
      throw new TollgateError('unauthorized', BAD_CREDENTIALS);
    }
    this.throttle.succeeded(keys, now, keys.slice(0, 1));
    const changes: Partial<AdminUser> = { lastSignInAt: now };
    if (needsRehash(user.passwordHash)) changes.passwordHash = await hashPassword(given);
    await this.store.updateUser(user.id, changes);
    const cookieValue = newSessionValue();
    const expiresAt = now + (this.deps.sessionTtlMs ?? SESSION_TTL_MS);
    const session = { idHash: sha256Hex(cookieValue), userId: user.id, createdAt: now, expiresAt, lastSeenAt: now, ip, userAgent: userAgent?.slice(0, 512) ?? null };
    await this.store.createSession(session);
    await this.store.deleteExpiredSessions(now); // housekeeping, on the rare occasion of a sign-in
    await this.audit.record({ actor: `user:${user.username}`, action: 'sign_in', target: user.username, details: { ip } });
    return { cookieValue, principal: this.sessionPrincipal({ ...user, lastSignInAt: now }, cookieValue, expiresAt) };
  }

  /** The signed-in user behind a cookie value; null when unknown, expired (12 h, or 1 h idle) or disabled. */
  async session(cookieValue: unknown): Promise<AdminPrincipal | null> {
    if (!isSessionValue(cookieValue)) return null;
    const record = await this.store.getSession(sha256Hex(cookieValue));
    if (!record) return null;
    const now = this.clock.now();
    const user = await this.store.getUserById(record.userId);
    const idle = now - record.lastSeenAt >= (this.deps.sessionIdleMs ?? SESSION_IDLE_MS);
    if (now >= record.expiresAt || idle || !user || user.disabledAt !== null) {
      await this.store.deleteSession(record.idHash);
      return null;
    }
    if (now - record.lastSeenAt >= SESSION_TOUCH_MS) await this.store.touchSession(record.idHash, now);
    return this.sessionPrincipal(user, cookieValue, record.expiresAt);
  }

  async signOut(cookieValue: unknown): Promise<void> {
    const principal = await this.session(cookieValue);
    if (!principal || !isSessionValue(cookieValue)) return;
    await this.store.deleteSession(sha256Hex(cookieValue));
    await this.audit.record({ actor: principal.actor, action: 'sign_out', target: principal.user.username });
  }

  /** The CSRF token that goes with a session cookie (HMAC of it: it reveals nothing about the cookie). */
  csrfTokenFor(cookieValue: string): string {
    return csrfToken(this.deps.csrfKey, CSRF_SCOPE, cookieValue);
  }

  // ---- API tokens ------------------------------------------------------------------------------

  /** Returns the token text once; only its sha256 is kept. */
  async createApiToken(
    username: string,
    input: { name: string; role: AdminRole; ttlDays: number },
    actor: string,
  ): Promise<{ token: string; record: ApiTokenView }> {
    const user = await this.users.require(username);
    if (user.disabledAt !== null) throw invalid('username', `The user "${user.username}" is disabled.`);
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!/^[\p{L}\p{N} ._:@/-]{1,64}$/u.test(name)) throw invalid('name', 'A token name is 1–64 letters, digits, spaces or . _ : @ / -.');
    if (!isAdminRole(input.role)) throw invalid('role', 'The role is viewer or admin.');
    if (!roleAllows(user.role, input.role)) throw new TollgateError('forbidden', `A token cannot have more rights than its user (${user.role}).`);
    if (!Number.isInteger(input.ttlDays) || input.ttlDays < 1 || input.ttlDays > TOKEN_MAX_TTL_DAYS) {
      throw invalid('ttlDays', `ttlDays is a whole number of days, 1–${TOKEN_MAX_TTL_DAYS}.`);
    }
    const now = this.clock.now();
    const { id, token, tokenHash } = newApiToken();
    const record = { id, name, userId: user.id, tokenHash, role: input.role, createdAt: now, expiresAt: now + input.ttlDays * 86_400_000, lastUsedAt: null };
    await this.store.createApiToken(record);
    await this.audit.record({ actor, action: 'token_create', target: id, details: { name, role: record.role, user: user.username, expiresAt: record.expiresAt } });
    return { token, record: tokenView(record) };
  }

  async revokeApiToken(id: string, actor: string): Promise<boolean> {
    if (!/^[0-9a-f]{16}$/.test(id)) return false;
    const deleted = await this.store.deleteApiToken(id);
    if (deleted) await this.audit.record({ actor, action: 'token_revoke', target: id });
    return deleted;
  }

  async listApiTokens(userId?: string): Promise<ApiTokenView[]> {
    return (await this.store.listApiTokens(userId)).map(tokenView);
  }

  /** The caller behind `Authorization: Bearer tg_…`; null when unknown, revoked, expired or its user is disabled. */
  async authenticateToken(bearer: string): Promise<AdminPrincipal | null> {
    const id = apiTokenId(bearer);
    const record = id ? await this.store.getApiToken(id) : null;
    if (!record || !safeEqual(sha256Hex(bearer), record.tokenHash)) return null;
    const now = this.clock.now();
    if (now >= record.expiresAt) return null;
    const user = await this.store.getUserById(record.userId);
    if (!user || user.disabledAt !== null) return null;
    if (record.lastUsedAt === null || now - record.lastUsedAt >= SESSION_TOUCH_MS) await this.store.touchApiToken(record.id, now);
    return {
      actor: `user:${user.username}/token:${record.id}`, role: lesserRole(record.role, user.role), user: userView(user),
      via: 'token', tokenId: record.id, csrf: null, expiresAt: record.expiresAt,
    };
  }

  // ---- requests --------------------------------------------------------------------------------

  /** The caller of a request (Bearer token first, else the session cookie), without CSRF or role checks. */
  async principal(request: AdminRequest): Promise<AdminPrincipal | null> {
    const header = request.headers.authorization;
    if (typeof header === 'string' && header.trim() !== '') {
      const m = /^Bearer\s+(\S{1,512})$/i.exec(header.trim());
      return m ? this.authenticateToken(m[1]!) : null;
    }
    return this.session(request.cookies?.[ADMIN_SESSION_COOKIE]);
  }

  /**
   * For routes: the caller, or a thrown 401 (no or bad credentials), 403 `csrf_failed` (cookie
   * without a valid CSRF token on a state-changing method), 403 `forbidden` (role too low).
   */
  async requireRole(request: AdminRequest, role: AdminRole): Promise<AdminPrincipal> {
    const principal = await this.principal(request);
    if (!principal) throw new TollgateError('unauthorized', 'Sign in, or send an admin API token as `Authorization: Bearer tg_…`.');
    if (principal.via === 'session' && !SAFE_METHODS.has(request.method.toUpperCase())) {
      const header = request.headers[ADMIN_CSRF_HEADER];
      const body = request.body as Record<string, unknown> | null | undefined;
      const submitted = typeof header === 'string' ? header : body && typeof body === 'object' ? body.csrf : undefined;
      if (!verifyCsrfToken(this.deps.csrfKey, CSRF_SCOPE, request.cookies?.[ADMIN_SESSION_COOKIE], submitted)) {
        throw new TollgateError('csrf_failed', 'Missing or wrong CSRF token: reload the page and try again.');
      }
    }
    if (!roleAllows(principal.role, role)) throw new TollgateError('forbidden', `This needs the ${role} role.`);
    return principal;
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private sessionPrincipal(user: AdminUser, cookieValue: string, expiresAt: number): AdminPrincipal {
    return {
      actor: `user:${user.username}`, role: user.role, user: userView(user), via: 'session', tokenId: null,
      csrf: this.csrfTokenFor(cookieValue), expiresAt,
    };
  }
}
