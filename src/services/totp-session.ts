// The authenticator app inside a phone-factor session: sign in with a current code or a recovery
// code, or (hosted page) enroll one when the user has none. A success verifies the session like a
// phone code does (same events, same signed result, `amr: ["otp"]`). Wrong codes count against the
// enrollment's budget (TotpService) and the session's own, after which the session fails.
import { maskEmail } from '../core/email/address.ts';
import { TollgateError } from '../core/errors.ts';
import type { ClientInfo, PhoneFactorSession } from '../core/flows/session.ts';
import * as flow from '../core/flows/transitions.ts';
import { maskPhoneNumber } from '../core/phone/phone-number.ts';
import type { AppRegistry } from './apps.ts';
import type { EventRecorder } from './event-recorder.ts';
import type { TotpSubmission, TotpView, VerifyOutcome } from './phone-factor-view.ts';
import type { PhoneFactorService } from './phone-factor-service.ts';
import type { ProfileResolver } from './profile-resolver.ts';
import { assertMethodOffered, offeredMethods } from './session-methods.ts';
import type { TotpService, TotpVerified } from './totp-service.ts';

export interface TotpSessionDeps {
  sessions: PhoneFactorService;
  totp: TotpService;
  events: EventRecorder;
  profiles: ProfileResolver;
  apps: AppRegistry;
  /** Wrong authenticator or recovery codes a session allows before it fails. */
  maxSessionFailures: number;
  /** `factors.totp.issuer`, else the app's name. */
  issuer?: string;
}

const method = 'totp' as const;

export class TotpSessionService {
  constructor(private readonly d: TotpSessionDeps) {}

  /** What the page needs: enrolled or not, and a pending enrollment's QR code; null when the session does not offer TOTP. */
  async view(s: PhoneFactorSession): Promise<TotpView | null> {
    if (flow.isTerminal(s) || !offeredMethods(this.d.profiles.resolveSession(s), s, this.d.sessions.factors).includes(method)) return null;
    const userIdHash = this.d.events.hashUserId(s.userId);
    const enrolled = await this.d.totp.isEnrolled(s.appId, userIdHash);
    const pending = !enrolled && s.totpEnrollmentId
      ? await this.d.totp.pendingEnrollment({ enrollmentId: s.totpEnrollmentId, appId: s.appId, userIdHash, label: labelOf(s), issuer: this.issuer(s) })
      : null;
    return { enrolled, pending: pending ? { uri: pending.uri, qrSvgDataUrl: pending.qrSvgDataUrl, secret: pending.secret } : null, digits: this.d.totp.digits };
  }

  /** Sign-in with the authenticator app (`code`) or a recovery code (`recoveryCode`). */
  async verify(id: string, submission: TotpSubmission, client: ClientInfo): Promise<VerifyOutcome> {
    const s = await this.open(id);
    const userIdHash = this.d.events.hashUserId(s.userId);
    if ((submission.code === undefined) === (submission.recoveryCode === undefined)) {
      throw new TollgateError('invalid_request', 'Give either code or recoveryCode.', { field: 'code' });
    }
    let verified: TotpVerified;
    try {
      verified = submission.code !== undefined
        ? await this.d.totp.verify({ appId: s.appId, userIdHash, token: submission.code })
        : await this.d.totp.useRecoveryCode({ appId: s.appId, userIdHash, code: submission.recoveryCode });
    } catch (err) {
      throw await this.refused(s, err, client, { recoveryCode: submission.recoveryCode !== undefined });
    }
    const details = { method, recoveryCode: verified.method === 'recovery_code', ...(verified.recoveryCodesLeft !== undefined ? { recoveryCodesLeft: verified.recoveryCodesLeft } : {}) };
    return this.verified(id, client, details);
  }

  /** Hosted page: starts (or keeps) a pending enrollment for a user who has no authenticator app yet. */
  async beginEnrollment(id: string): Promise<void> {
    const s = await this.open(id);
    const userIdHash = this.d.events.hashUserId(s.userId);
    // Replacing an active factor from a session would let whoever holds the session take the account.
    if (await this.d.totp.isEnrolled(s.appId, userIdHash)) throw new TollgateError('forbidden', 'An authenticator app is already set up for this user.');
    if (s.totpEnrollmentId && (await this.view(s))?.pending) return;
    const began = await this.d.totp.beginEnrollment({ appId: s.appId, userIdHash, label: labelOf(s), issuer: this.issuer(s) });
    await this.d.sessions.mutate(id, (cur, _p, now) => {
      flow.assertOpen(cur);
      return { next: { ...cur, totpEnrollmentId: began.enrollmentId, updatedAt: now }, extra: null };
    });
  }

  /** Hosted page: the first code from the app confirms the enrollment and verifies the session. Recovery codes are shown once. */
  async confirmEnrollment(id: string, code: string, client: ClientInfo): Promise<{ outcome: VerifyOutcome; recoveryCodes: string[] }> {
    const s = await this.open(id);
    if (!s.totpEnrollmentId) throw new TollgateError('totp_not_enrolled', 'Start setting up the authenticator app first.');
    let confirmed: { recoveryCodes: string[] };
    try {
      confirmed = await this.d.totp.confirmEnrollment({ enrollmentId: s.totpEnrollmentId, token: code, appId: s.appId });
    } catch (err) {
      throw await this.refused(s, err, client, { enrollment: true }, false);
    }
    await this.d.events.record({ type: 'factor.enrolled', outcome: 'success', reason: 'ok', session: s, method, client, details: { method, recoveryCodes: confirmed.recoveryCodes.length } });
    const outcome = await this.verified(id, client, { method, enrollment: true });
    return { outcome, recoveryCodes: confirmed.recoveryCodes };
  }

  private async open(id: string): Promise<PhoneFactorSession> {
    const s = await this.d.sessions.load(id);
    flow.assertOpen(s);
    assertMethodOffered(this.d.profiles.resolveSession(s), s, this.d.sessions.factors, method);
    return s;
  }

  private async verified(id: string, client: ClientInfo, details: Record<string, unknown>): Promise<VerifyOutcome> {
    const { session } = await this.d.sessions.mutate(id, (cur, _p, now) => {
      flow.assertOpen(cur);
      return { next: { ...cur, status: 'verified', verifiedAt: now, updatedAt: now, method, code: null, totpEnrollmentId: null }, extra: null };
    });
    await this.d.events.record({ type: 'code.verified', outcome: 'success', reason: 'ok', session, channel: null, method, client, details });
    return this.d.sessions.completeVerified(session, client);
  }

  /**
   * Records a refused code and returns the error to throw. A wrong code also counts against the
   * session (`countsAgainstSession`); the last one allowed fails it, as a phone session fails.
   */
  private async refused(s: PhoneFactorSession, err: unknown, client: ClientInfo, extra: Record<string, unknown>, countsAgainstSession = true): Promise<unknown> {
    if (!(err instanceof TollgateError)) return err;
    const error = err.code === 'not_found' && !extra.enrollment ? new TollgateError('totp_not_enrolled') : err;
    let session = s;
    let left: number | null = null;
    if (countsAgainstSession && (error.code === 'invalid_code' || error.code === 'too_many_attempts')) {
      const saved = await this.d.sessions.mutate(s.id, (cur, _p, now) => {
        const failures = (cur.totpFailures ?? 0) + 1;
        const next = { ...cur, totpFailures: failures, updatedAt: now };
        return { next: failures >= this.d.maxSessionFailures && !flow.isTerminal(cur) ? flow.markFailed(next, 'too_many_attempts', now) : next, extra: failures };
      }).catch(() => null);
      if (saved) {
        session = saved.session;
        left = Math.max(0, this.d.maxSessionFailures - saved.extra);
      }
    }
    const outcome = error.code === 'invalid_request' ? 'client_error' : 'failure';
    const steering = { ...error.steering, ...(left !== null && typeof error.steering.attemptsLeft === 'number' ? { attemptsLeft: Math.min(left, error.steering.attemptsLeft) } : {}) };
    await this.d.events.record({ type: 'code.rejected', outcome, reason: error.code, session, channel: null, method, client, details: { method, ...extra, ...steering } });
    if (session.status === 'failed' && s.status !== 'failed') {
      await this.d.events.record({ type: 'session.failed', outcome: 'failure', reason: 'too_many_attempts', session, channel: null, method, client, details: { method } });
      return new TollgateError('too_many_attempts', undefined, { attemptsLeft: 0 });
    }
    return left !== null ? new TollgateError(error.code, error.message, steering) : error;
  }

  private issuer(s: PhoneFactorSession): string {
    return this.d.issuer ?? this.d.apps.byId(s.appId)?.name ?? 'Tollgate';
  }
}

/** The account name shown in the app: a masked address or number, never the internal user id. */
function labelOf(s: PhoneFactorSession): string {
  if (s.selectedEmail) return maskEmail(s.selectedEmail);
  const number = s.selectedNumber ?? s.registeredNumbers[0];
  return number ? maskPhoneNumber(number) : 'account';
}
