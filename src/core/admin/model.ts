// The admin sign-in model: users, roles, sign-in sessions and API tokens, plus the rules that do
// not need storage (username shape, role order, lifetimes). The dashboard builds on these types.

export type AdminRole = 'viewer' | 'admin';
export const adminRoles: readonly AdminRole[] = ['viewer', 'admin'];

export interface AdminUser {
  id: string;
  /** Lower-cased, 3–64 characters of [a-z0-9._@-]. */
  username: string;
  /** `scrypt$N$r$p$salt$hash` (see password.ts). Never leaves the service. */
  passwordHash: string;
  role: AdminRole;
  createdAt: number;
  disabledAt: number | null;
  lastSignInAt: number | null;
}

/** A user as shown to operators: everything but the password hash. */
export type AdminUserView = Omit<AdminUser, 'passwordHash'>;

export interface AdminSessionRecord {
  /** sha256 (hex) of the cookie value: a stolen database does not yield usable cookies. */
  idHash: string;
  userId: string;
  createdAt: number;
  /** Absolute end (createdAt + 12 h). */
  expiresAt: number;
  /** Last request seen; idle for more than 1 h ends the session. */
  lastSeenAt: number;
  ip: string | null;
  userAgent: string | null;
}

export interface ApiTokenRecord {
  /** 16 hex characters; public (it is in the token text and in audit entries). */
  id: string;
  name: string;
  userId: string;
  /** sha256 (hex) of the whole token text. */
  tokenHash: string;
  /** Never more than the owner's role (checked at creation and at every use). */
  role: AdminRole;
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number | null;
}

export type ApiTokenView = Omit<ApiTokenRecord, 'tokenHash'>;

export const SESSION_TTL_MS = 12 * 3600_000;
export const SESSION_IDLE_MS = 3600_000;
/** Writing lastSeenAt on every request would turn every dashboard poll into a write. */
export const SESSION_TOUCH_MS = 60_000;
export const TOKEN_MAX_TTL_DAYS = 365;
export const TOKEN_DEFAULT_TTL_DAYS = 90;

const usernamePattern = /^[a-z0-9][a-z0-9._@-]{2,63}$/;

/** Trims and lower-cases; null when the result is not a valid username. */
export function normalizeUsername(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const name = input.trim().toLowerCase();
  return usernamePattern.test(name) ? name : null;
}

export function isAdminRole(value: unknown): value is AdminRole {
  return value === 'viewer' || value === 'admin';
}

/** True when `held` includes what `needed` allows (admin ⊇ viewer). */
export function roleAllows(held: AdminRole, needed: AdminRole): boolean {
  return adminRoles.indexOf(held) >= adminRoles.indexOf(needed);
}

/** The lesser of two roles (a token never outranks its owner). */
export function lesserRole(a: AdminRole, b: AdminRole): AdminRole {
  return roleAllows(a, b) ? b : a;
}

/** Viewers see masked phone numbers; admins see them in full (and can block and edit). */
export function canSeeFullNumbers(role: AdminRole): boolean {
  return role === 'admin';
}

export function userView(user: AdminUser): AdminUserView {
  const { passwordHash: _hash, ...view } = user;
  return view;
}

export function tokenView(token: ApiTokenRecord): ApiTokenView {
  const { tokenHash: _hash, ...view } = token;
  return view;
}
