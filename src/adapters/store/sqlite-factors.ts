// Storage for the stronger factors (TOTP enrollments, recovery codes, wrong-attempt log) on
// SQLite. Async like the Store port so a PostgreSQL twin can follow; every check-then-write that
// guards a secret (confirm, last used step, recovery code, attempt budget) is one statement or
// one IMMEDIATE transaction, so two parallel requests can never both pass.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { TotpAlgorithm, TotpDigits } from '../../core/totp/totp.ts';

export type TotpStatus = 'pending' | 'active' | 'disabled';

export interface TotpEnrollment {
  id: string;
  appId: string;
  userIdHash: string;
  /** AES-GCM box of the secret (core/totp/secret-box.ts); '' once disabled (the secret is wiped). */
  secretBox: string;
  algorithm: TotpAlgorithm;
  digits: TotpDigits;
  period: number;
  status: TotpStatus;
  createdAt: number;
  confirmedAt: number | null;
  disabledAt: number | null;
  /** Last step a code was accepted for (replay protection); null before the first. */
  lastUsedStep: number | null;
}

export type NewTotpEnrollment = Pick<
  TotpEnrollment,
  'id' | 'appId' | 'userIdHash' | 'secretBox' | 'algorithm' | 'digits' | 'period' | 'createdAt'
>;

export interface AttemptBudget {
  /** false: the budget is spent; nothing was recorded and the code must not be checked. */
  allowed: boolean;
  /** Attempts inside the window, this one included when allowed. */
  used: number;
  /** Epoch ms at which the oldest attempt leaves the window (when not allowed). */
  retryAt: number | null;
}

interface EnrollmentRow {
  id: string;
  app_id: string;
  user_id_hash: string;
  secret_box: string;
  algorithm: TotpAlgorithm;
  digits: TotpDigits;
  period: number;
  status: TotpStatus;
  created_at: number;
  confirmed_at: number | null;
  disabled_at: number | null;
  last_used_step: number | null;
}

function fromRow(r: EnrollmentRow): TotpEnrollment {
  return {
    id: r.id,
    appId: r.app_id,
    userIdHash: r.user_id_hash,
    secretBox: r.secret_box,
    algorithm: r.algorithm,
    digits: r.digits,
    period: r.period,
    status: r.status,
    createdAt: r.created_at,
    confirmedAt: r.confirmed_at,
    disabledAt: r.disabled_at,
    lastUsedStep: r.last_used_step,
  };
}

export class SqliteFactorStore {
  private readonly db: Database.Database;
  private readonly ownsDb: boolean;

  /**
   * Share the main store's connection (preferred), or open `path` (its schema is migrated by the
   * main SqliteStore; this class never migrates).
   */
  constructor(db: Database.Database | string) {
    if (typeof db === 'string') {
      const inMemory = db === ':memory:' || db === '';
      if (!inMemory) mkdirSync(dirname(db), { recursive: true });
      this.db = new Database(db);
      this.db.pragma('busy_timeout = 5000');
      if (!inMemory) this.db.pragma('journal_mode = WAL');
      this.db.pragma('foreign_keys = ON');
      this.ownsDb = true;
    } else {
      this.db = db;
      this.ownsDb = false;
    }
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.open) this.db.close();
  }

  async createTotpEnrollment(e: NewTotpEnrollment): Promise<TotpEnrollment> {
    this.db
      .prepare(
        `INSERT INTO totp_enrollments (id, app_id, user_id_hash, secret_box, algorithm, digits, period, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
      )
      .run(e.id, e.appId, e.userIdHash, e.secretBox, e.algorithm, e.digits, e.period, e.createdAt);
    return { ...e, status: 'pending', confirmedAt: null, disabledAt: null, lastUsedStep: null };
  }

  async getTotpEnrollment(id: string): Promise<TotpEnrollment | null> {
    const row = this.db.prepare<[string], EnrollmentRow>('SELECT * FROM totp_enrollments WHERE id = ?').get(id);
    return row ? fromRow(row) : null;
  }

  async getActiveTotp(appId: string, userIdHash: string): Promise<TotpEnrollment | null> {
    const row = this.db
      .prepare<[string, string], EnrollmentRow>(
        "SELECT * FROM totp_enrollments WHERE app_id = ? AND user_id_hash = ? AND status = 'active'",
      )
      .get(appId, userIdHash);
    return row ? fromRow(row) : null;
  }

  /**
   * Activates a pending enrollment with the step of the code that proved it, disabling the user's
   * previous active one and (when given) storing its recovery codes, all in one transaction.
   * False when the enrollment is not pending (unknown, already confirmed by a parallel request).
   */
  async confirmTotp(id: string, step: number, now: number, recoveryCodeHashes?: readonly string[]): Promise<boolean> {
    const run = this.db.transaction((): boolean => {
      const row = this.db
        .prepare<[string], EnrollmentRow>("SELECT * FROM totp_enrollments WHERE id = ? AND status = 'pending'")
        .get(id);
      if (!row) return false;
      const previous = this.db
        .prepare<[string, string], { id: string }>(
          "SELECT id FROM totp_enrollments WHERE app_id = ? AND user_id_hash = ? AND status = 'active'",
        )
        .all(row.app_id, row.user_id_hash);
      for (const p of previous) this.disableNow(p.id, now);
      this.db
        .prepare(
          "UPDATE totp_enrollments SET status = 'active', confirmed_at = ?, last_used_step = ? WHERE id = ? AND status = 'pending'",
        )
        .run(now, step, id);
      if (recoveryCodeHashes) this.replaceRecoveryCodes(id, recoveryCodeHashes);
      return true;
    });
    return run.immediate();
  }

  /**
   * Compare-and-set of the last used step: succeeds only if it still equals `expectedPrevious`
   * and `step` is later, so of two parallel submissions of one code exactly one passes.
   */
  async updateLastUsedStep(id: string, expectedPrevious: number | null, step: number): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE totp_enrollments SET last_used_step = ?
         WHERE id = ? AND status = 'active' AND last_used_step IS ? AND ? > COALESCE(last_used_step, -1)`,
      )
      .run(step, id, expectedPrevious, step);
    return result.changes === 1;
  }

  /** Disables an enrollment, wiping its secret and recovery codes. False when already disabled or unknown. */
  async disableTotp(id: string, now: number): Promise<boolean> {
    return this.db.transaction(() => this.disableNow(id, now)).immediate();
  }

  private disableNow(id: string, now: number): boolean {
    // A disabled factor can never verify again, so its secret has no reason to stay at rest.
    const result = this.db
      .prepare(
        "UPDATE totp_enrollments SET status = 'disabled', disabled_at = ?, secret_box = '' WHERE id = ? AND status != 'disabled'",
      )
      .run(now, id);
    this.db.prepare('DELETE FROM recovery_codes WHERE enrollment_id = ?').run(id);
    this.db.prepare('DELETE FROM totp_attempts WHERE enrollment_id = ?').run(id);
    return result.changes === 1;
  }

  /** Replaces every recovery code of an enrollment (a new set invalidates the old one). */
  async putRecoveryCodes(enrollmentId: string, hashes: readonly string[]): Promise<void> {
    this.db.transaction(() => this.replaceRecoveryCodes(enrollmentId, hashes)).immediate();
  }

  private replaceRecoveryCodes(enrollmentId: string, hashes: readonly string[]): void {
    this.db.prepare('DELETE FROM recovery_codes WHERE enrollment_id = ?').run(enrollmentId);
    const insert = this.db.prepare('INSERT INTO recovery_codes (enrollment_id, code_hash, used_at) VALUES (?, ?, NULL)');
    for (const hash of hashes) insert.run(enrollmentId, hash);
  }

  /** Marks a recovery code used, once: true only for the one caller that flipped it, on an active enrollment. */
  async useRecoveryCode(enrollmentId: string, hash: string, now: number): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE recovery_codes SET used_at = ?
         WHERE enrollment_id = ? AND code_hash = ? AND used_at IS NULL
           AND EXISTS (SELECT 1 FROM totp_enrollments WHERE id = ? AND status = 'active')`,
      )
      .run(now, enrollmentId, hash, enrollmentId);
    return result.changes === 1;
  }

  async countUnusedRecoveryCodes(enrollmentId: string): Promise<number> {
    const row = this.db
      .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM recovery_codes WHERE enrollment_id = ? AND used_at IS NULL')
      .get(enrollmentId);
    return row?.n ?? 0;
  }

  /**
   * Takes one attempt from the enrollment's budget of `max` per `windowMs`, before the code is
   * checked: taking first (atomically) means parallel guesses cannot all slip in under the limit.
   * A success should clear the log (clearTotpAttempts); a failure leaves its attempt counted.
   */
  async takeTotpAttempt(enrollmentId: string, now: number, windowMs: number, max: number): Promise<AttemptBudget> {
    const run = this.db.transaction((): AttemptBudget => {
      const since = now - windowMs;
      this.db.prepare('DELETE FROM totp_attempts WHERE enrollment_id = ? AND time <= ?').run(enrollmentId, since);
      const row = this.db
        .prepare<[string], { n: number; oldest: number | null }>(
          'SELECT COUNT(*) AS n, MIN(time) AS oldest FROM totp_attempts WHERE enrollment_id = ?',
        )
        .get(enrollmentId)!;
      if (row.n >= max) return { allowed: false, used: row.n, retryAt: (row.oldest ?? now) + windowMs };
      this.db.prepare('INSERT INTO totp_attempts (enrollment_id, time) VALUES (?, ?)').run(enrollmentId, now);
      return { allowed: true, used: row.n + 1, retryAt: null };
    });
    return run.immediate();
  }

  async clearTotpAttempts(enrollmentId: string): Promise<void> {
    this.db.prepare('DELETE FROM totp_attempts WHERE enrollment_id = ?').run(enrollmentId);
  }

  /** Deletes pending enrollments never confirmed (their secrets included); returns how many. */
  async purgePendingTotp(createdBefore: number): Promise<number> {
    return this.db
      .prepare("DELETE FROM totp_enrollments WHERE status = 'pending' AND created_at < ?")
      .run(createdBefore).changes;
  }
}
