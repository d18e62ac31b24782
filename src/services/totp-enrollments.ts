// The authenticator-app API outside sessions (`/v1/factors/totp`): an app enrolls its user's
// authenticator (QR code, otpauth:// URI and key, then a first code), or removes it. Each change
// is an event (`factor.enrolled`, `factor.disabled`) with the hashed user id, never the secret.
import { TollgateError } from '../core/errors.ts';
import type { RegisteredApp } from './apps.ts';
import type { EventRecorder } from './event-recorder.ts';
import type { BeganEnrollment, TotpService } from './totp-service.ts';

export class TotpEnrollments {
  constructor(
    private readonly d: {
      totp: TotpService;
      events: EventRecorder;
      /** `factors.totp.issuer`; default: the app's name. */
      issuer?: string;
    },
  ) {}

  async begin(app: RegisteredApp, input: { userId: string; label?: string }): Promise<BeganEnrollment> {
    return this.d.totp.beginEnrollment({
      appId: app.id,
      userIdHash: this.d.events.hashUserId(input.userId),
      label: input.label ?? 'account',
      issuer: this.d.issuer ?? app.name,
    });
  }

  async confirm(app: RegisteredApp, enrollmentId: string, code: string): Promise<{ recoveryCodes: string[] }> {
    const { recoveryCodes, userIdHash } = await this.d.totp.confirmEnrollment({ enrollmentId, token: code, appId: app.id });
    await this.d.events.record({
      type: 'factor.enrolled', outcome: 'success', reason: 'ok', appId: app.id, userIdHash, method: 'totp',
      details: { method: 'totp', recoveryCodes: recoveryCodes.length },
    });
    return { recoveryCodes };
  }

  async disable(app: RegisteredApp, userId: string): Promise<void> {
    const removed = await this.d.totp.disable({ appId: app.id, userIdHash: this.d.events.hashUserId(userId) });
    if (!removed) throw new TollgateError('not_found', 'No authenticator app is set up for this user.');
    await this.d.events.record({ type: 'factor.disabled', outcome: 'success', reason: 'ok', appId: app.id, userId, method: 'totp', details: { method: 'totp' } });
  }
}
