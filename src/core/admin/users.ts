// Managing admin users: create (password policy checked, scrypt-hashed), change password, disable.
// Every change is audited, and ends the user's sign-in sessions where the change calls for it.
import { TollgateError } from '../errors.ts';
import type { Clock } from '../../ports.ts';
import type { AdminStore } from './admin-store.ts';
import type { AuditLog } from './audit.ts';
import { type AdminRole, type AdminUser, type AdminUserView, isAdminRole, normalizeUsername, userView } from './model.ts';
import { hashPassword } from './password.ts';
import { passwordProblem, passwordProblemMessages } from './password-policy.ts';

export function invalidField(field: string, message: string): TollgateError {
  return new TollgateError('invalid_request', message, { field });
}

/** Throws `invalid_request` (field `password`) with the policy's reason when the password is weak. */
export function checkPasswordPolicy(password: unknown, username: string): void {
  const problem = typeof password === 'string' ? passwordProblem(password, username) : 'too_short';
  if (problem) throw invalidField('password', passwordProblemMessages[problem]);
}

export class AdminUsers {
  constructor(
    private readonly store: AdminStore,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly newId: () => string,
  ) {}

  async create(input: { username: string; password: string; role: AdminRole }, actor: string): Promise<AdminUserView> {
    const username = normalizeUsername(input.username);
    if (!username) {
      throw invalidField('username', 'A username is 3–64 characters: letters, digits, . _ @ - (starting with a letter or digit).');
    }
    if (!isAdminRole(input.role)) throw invalidField('role', 'The role is viewer or admin.');
    checkPasswordPolicy(input.password, username);
    const user: AdminUser = {
      id: this.newId(),
      username,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      createdAt: this.clock.now(),
      disabledAt: null,
      lastSignInAt: null,
    };
    if (!(await this.store.createUser(user))) throw invalidField('username', `The username "${username}" is taken.`);
    await this.audit.record({ actor, action: 'user_create', target: username, details: { role: user.role } });
    return userView(user);
  }

  async setPassword(username: string, password: string, actor: string): Promise<void> {
    const user = await this.require(username);
    checkPasswordPolicy(password, user.username);
    await this.store.updateUser(user.id, { passwordHash: await hashPassword(password) });
    // Whoever knew the old password must not stay signed in.
    const ended = await this.store.deleteSessionsOfUser(user.id);
    await this.audit.record({ actor, action: 'user_password', target: user.username, details: { sessionsEnded: ended } });
  }

  /** Ends the user's sessions; their API tokens stop working while the user is disabled. */
  async disable(username: string, actor: string): Promise<void> {
    const user = await this.require(username);
    if (user.disabledAt !== null) return;
    await this.store.updateUser(user.id, { disabledAt: this.clock.now() });
    const ended = await this.store.deleteSessionsOfUser(user.id);
    await this.audit.record({ actor, action: 'user_disable', target: user.username, details: { sessionsEnded: ended } });
  }

  async list(): Promise<AdminUserView[]> {
    return (await this.store.listUsers()).map(userView);
  }

  /** The user, or 404 `not_found`. */
  async require(username: string): Promise<AdminUser> {
    const name = normalizeUsername(username);
    const user = name ? await this.store.getUserByUsername(name) : null;
    if (!user) throw new TollgateError('not_found', `No admin user "${String(username).slice(0, 64)}".`);
    return user;
  }
}
