// Authenticator-app (TOTP) factor: enrollment with a QR code, confirmation by a first code,
// verification with replay protection and an attempt limit, and recovery codes. The HTTP API and
// hosted page call this; it never logs, and the base32 secret leaves it only once, at enrollment.
import { TollgateError } from '../core/errors.ts';
import { generateRecoveryCodes, hashRecoveryCode, normaliseRecoveryCode } from '../core/totp/recovery-codes.ts';
import { openSecret, sealSecret } from '../core/totp/secret-box.ts';
import {
  defaultTotpParameters,
  generateTotpSecret,
  normaliseTotpToken,
  type TotpParameters,
  totpUri,
  verifyTotp,
} from '../core/totp/totp.ts';
import type { SqliteFactorStore, TotpEnrollment } from '../adapters/store/sqlite-factors.ts';
import type { Clock, Random } from '../ports.ts';
import { qrSvgDataUrl } from './totp-qr.ts';

export interface TotpServiceOptions {
  store: SqliteFactorStore;
  clock: Clock;
  random: Random;
  /** 32-byte AES key for secrets at rest (`factors.totpKey`, HKDF from the master secret). */
  secretKey: Uint8Array;
  /** 32-byte HMAC key for recovery-code hashes (a separate HKDF output). */
  recoveryKey: Uint8Array;
  /** Shown in the authenticator app ("Example Shop"). */
  issuer: string;
  parameters?: Partial<TotpParameters>;
  /** Steps accepted either side of now (default 1). */
  window?: number;
  /** Wrong codes (TOTP and recovery together) allowed per enrollment per `attemptWindowMs` (default 5). */
  maxWrongAttempts?: number;
  /** Default 5 minutes. */
  attemptWindowMs?: number;
  /** How long an enrollment may wait for its first code (default 15 minutes). */
  pendingTtlMs?: number;
  recoveryCodeCount?: number;
  newId?: () => string;
}

export interface BeganEnrollment {
  enrollmentId: string;
  /** Base32, for typing into the app by hand. Shown once; never stored in clear or logged. */
  secret: string;
  uri: string;
  qrSvgDataUrl: string;
}

export interface TotpVerified {
  ok: true;
  enrollmentId: string;
  method: 'totp' | 'recovery_code';
  /** Recovery codes still unused (after a recovery code: prompt for new ones when low). */
  recoveryCodesLeft?: number;
}

const MINUTE = 60_000;

export class TotpService {
  private readonly params: TotpParameters;
  private readonly maxWrong: number;
  private readonly attemptWindowMs: number;
  private readonly pendingTtlMs: number;
  private readonly newId: () => string;

  constructor(private readonly o: TotpServiceOptions) {
    if (o.secretKey.length !== 32 || o.recoveryKey.length !== 32) throw new RangeError('TOTP keys must be 32 bytes');
    this.params = { ...defaultTotpParameters, ...o.parameters };
    this.maxWrong = o.maxWrongAttempts ?? 5;
    this.attemptWindowMs = o.attemptWindowMs ?? 5 * MINUTE;
    this.pendingTtlMs = o.pendingTtlMs ?? 15 * MINUTE;
    this.newId = o.newId ?? (() => Buffer.from(o.random.bytes(16)).toString('base64url'));
  }

  /** Digits of the codes new enrollments use (for the page's input). */
  get digits(): number {
    return this.params.digits;
  }

  /** Whether the user has an active authenticator app. */
  async isEnrolled(appId: string, userIdHash: string): Promise<boolean> {
    return (await this.o.store.getActiveTotp(appId, userIdHash)) !== null;
  }

  /**
   * A pending enrollment's QR code and key again, for the hosted page that started it in the same
   * session (a reload must not strand the user half-way); null once confirmed, expired or unknown.
   */
  async pendingEnrollment(input: { enrollmentId: string; appId: string; userIdHash: string; label: string; issuer?: string }): Promise<BeganEnrollment | null> {
    const e = await this.o.store.getTotpEnrollment(input.enrollmentId);
    if (!e || e.status !== 'pending' || e.appId !== input.appId || e.userIdHash !== input.userIdHash) return null;
    if (this.o.clock.now() - e.createdAt > this.pendingTtlMs) return null;
    let secret: string;
    try {
      secret = openSecret(this.o.secretKey, e.id, e.secretBox);
    } catch {
      return null;
    }
    const uri = totpUri({ issuer: input.issuer ?? this.o.issuer, label: input.label, secret, algorithm: e.algorithm, digits: e.digits, period: e.period });
    return { enrollmentId: e.id, secret, uri, qrSvgDataUrl: await qrSvgDataUrl(uri) };
  }

  /** A new pending enrollment. The user's active one (if any) keeps working until this is confirmed. */
  async beginEnrollment(input: { appId: string; userIdHash: string; label: string; issuer?: string }): Promise<BeganEnrollment> {
    const now = this.o.clock.now();
    // Abandoned enrollments hold encrypted secrets for nothing; sweep them on the way in.
    await this.o.store.purgePendingTotp(now - this.pendingTtlMs);
    const enrollmentId = this.newId();
    const secret = generateTotpSecret(this.o.random);
    await this.o.store.createTotpEnrollment({
      id: enrollmentId,
      appId: input.appId,
      userIdHash: input.userIdHash,
      secretBox: sealSecret(this.o.secretKey, enrollmentId, secret, this.o.random),
      ...this.params,
      createdAt: now,
    });
    const uri = totpUri({ issuer: input.issuer ?? this.o.issuer, label: input.label, secret, ...this.params });
    return { enrollmentId, secret, uri, qrSvgDataUrl: await qrSvgDataUrl(uri) };
  }

  /**
   * Activates a pending enrollment once the user proves the app has the secret; replaces the
   * user's previous active enrollment. Returns the recovery codes: shown once, stored hashed.
   */
  async confirmEnrollment(input: { enrollmentId: string; token: unknown; appId?: string }): Promise<{ recoveryCodes: string[]; userIdHash: string }> {
    const now = this.o.clock.now();
    const enrollment = await this.o.store.getTotpEnrollment(input.enrollmentId);
    if (
      !enrollment ||
      enrollment.status !== 'pending' ||
      (input.appId !== undefined && enrollment.appId !== input.appId) ||
      now - enrollment.createdAt > this.pendingTtlMs
    ) {
      throw new TollgateError('not_found', 'This enrollment does not exist or has expired; start again.');
    }
    const { step } = await this.checkToken(enrollment, input.token, now);
    const recoveryCodes = generateRecoveryCodes(this.o.random, this.o.recoveryCodeCount);
    const hashes = recoveryCodes.map((c) => hashRecoveryCode(this.o.recoveryKey, enrollment.id, c)!);
    if (!(await this.o.store.confirmTotp(enrollment.id, step, now, hashes))) {
      throw new TollgateError('not_found', 'This enrollment has already been confirmed.');
    }
    await this.o.store.clearTotpAttempts(enrollment.id);
    return { recoveryCodes, userIdHash: enrollment.userIdHash };
  }

  /** Checks a code from the user's active authenticator. Throws TollgateError when refused. */
  async verify(input: { appId: string; userIdHash: string; token: unknown }): Promise<TotpVerified> {
    const now = this.o.clock.now();
    const enrollment = await this.activeOrThrow(input.appId, input.userIdHash);
    const { step, used } = await this.checkToken(enrollment, input.token, now);
    // Compare-and-set: of two parallel submissions of one code, only one moves the step on; the
    // other is a replay and is answered like a wrong code.
    if (!(await this.o.store.updateLastUsedStep(enrollment.id, enrollment.lastUsedStep, step))) {
      throw this.wrongCode(used);
    }
    await this.o.store.clearTotpAttempts(enrollment.id);
    return { ok: true, enrollmentId: enrollment.id, method: 'totp' };
  }

  /** Signs in with a recovery code instead (each works once). Shares the wrong-attempt budget. */
  async useRecoveryCode(input: { appId: string; userIdHash: string; code: unknown }): Promise<TotpVerified> {
    const now = this.o.clock.now();
    const enrollment = await this.activeOrThrow(input.appId, input.userIdHash);
    const chars = normaliseRecoveryCode(input.code);
    if (chars === null) {
      throw new TollgateError('invalid_request', 'Enter a recovery code like abcd-efgh-jk.', { field: 'code' });
    }
    const used = await this.takeAttempt(enrollment.id, now);
    const hash = hashRecoveryCode(this.o.recoveryKey, enrollment.id, chars)!;
    if (!(await this.o.store.useRecoveryCode(enrollment.id, hash, now))) throw this.wrongCode(used, 'The recovery code is incorrect or was already used.');
    await this.o.store.clearTotpAttempts(enrollment.id);
    const recoveryCodesLeft = await this.o.store.countUnusedRecoveryCodes(enrollment.id);
    return { ok: true, enrollmentId: enrollment.id, method: 'recovery_code', recoveryCodesLeft };
  }

  /** A fresh set of recovery codes (the old set stops working). Call only right after a verification. */
  async regenerateRecoveryCodes(input: { appId: string; userIdHash: string }): Promise<{ recoveryCodes: string[] }> {
    const enrollment = await this.activeOrThrow(input.appId, input.userIdHash);
    const recoveryCodes = generateRecoveryCodes(this.o.random, this.o.recoveryCodeCount);
    await this.o.store.putRecoveryCodes(
      enrollment.id,
      recoveryCodes.map((c) => hashRecoveryCode(this.o.recoveryKey, enrollment.id, c)!),
    );
    return { recoveryCodes };
  }

  /** Turns the factor off (secret and recovery codes wiped). False when there was none. */
  async disable(input: { appId: string; userIdHash: string }): Promise<boolean> {
    const enrollment = await this.o.store.getActiveTotp(input.appId, input.userIdHash);
    return enrollment ? this.o.store.disableTotp(enrollment.id, this.o.clock.now()) : false;
  }

  private async activeOrThrow(appId: string, userIdHash: string): Promise<TotpEnrollment> {
    const enrollment = await this.o.store.getActiveTotp(appId, userIdHash);
    if (!enrollment) throw new TollgateError('not_found', 'No authenticator app is set up for this user.');
    return enrollment;
  }

  /** Budget, then the code; returns the accepted step (and attempts used) or throws. */
  private async checkToken(
    enrollment: TotpEnrollment,
    token: unknown,
    now: number,
  ): Promise<{ step: number; used: number }> {
    if (normaliseTotpToken(token, enrollment.digits) === null) {
      // Not a guess (it cannot match), so it costs no attempt.
      throw new TollgateError('invalid_request', `Enter the ${enrollment.digits}-digit code from your authenticator app.`, {
        field: 'token',
      });
    }
    const used = await this.takeAttempt(enrollment.id, now);
    let secret: string;
    try {
      secret = openSecret(this.o.secretKey, enrollment.id, enrollment.secretBox);
    } catch {
      // Wrong factors.totpKey or a tampered row: an operator problem, not the user's.
      throw new TollgateError('internal_error', 'The authenticator secret could not be read.');
    }
    const check = verifyTotp({
      secret,
      token,
      now,
      algorithm: enrollment.algorithm,
      digits: enrollment.digits,
      period: enrollment.period,
      window: this.o.window ?? 1,
      lastUsedStep: enrollment.lastUsedStep,
    });
    // A replayed code gets the same answer as a wrong one: telling them apart would confirm a
    // stolen code was right.
    if (!check.ok) throw this.wrongCode(used);
    return { step: check.step, used };
  }

  private async takeAttempt(enrollmentId: string, now: number): Promise<number> {
    const budget = await this.o.store.takeTotpAttempt(enrollmentId, now, this.attemptWindowMs, this.maxWrong);
    if (!budget.allowed) {
      throw new TollgateError('too_many_attempts', 'Too many wrong codes. Wait a few minutes and try again.', {
        attemptsLeft: 0,
        retryAfter: Math.max(1, Math.ceil(((budget.retryAt ?? now + this.attemptWindowMs) - now) / 1000)),
      });
    }
    return budget.used;
  }

  private wrongCode(used: number, message = 'The authenticator code is incorrect.'): TollgateError {
    const attemptsLeft = Math.max(0, this.maxWrong - used);
    if (attemptsLeft === 0) {
      return new TollgateError('too_many_attempts', 'Too many wrong codes. Wait a few minutes and try again.', {
        attemptsLeft: 0,
        retryAfter: Math.ceil(this.attemptWindowMs / 1000),
      });
    }
    return new TollgateError('invalid_code', message, { attemptsLeft });
  }
}
