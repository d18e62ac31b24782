// The Twilio-Verify-style pair for apps that only need a code check: POST /v1/verifications starts
// (or re-sends) a verification for a number, POST /v1/verification-checks checks a code. Each is a
// phone-factor session of kind `verification` under the hood, so every rule and event applies.
import type { Channel } from '../core/events/event.ts';
import { TollgateError } from '../core/errors.ts';
import type { ClientInfo } from '../core/flows/session.ts';
import { parsePhoneNumber } from '../core/phone/phone-number.ts';
import type { Clock, Store } from '../ports.ts';
import type { RegisteredApp } from './apps.ts';
import type { PhoneFactorService } from './phone-factor-service.ts';

export class Verifications {
  constructor(
    private readonly service: PhoneFactorService,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly profileName: string,
  ) {}

  async start(app: RegisteredApp, input: { to: string; channel: Channel; locale?: string; userId?: string; client: ClientInfo }) {
    const to = normalise(input.to);
    let session = await this.store.findActiveVerification(app.id, to, this.clock.now());
    if (!session) {
      ({ session } = await this.service.start(app, {
        profile: this.profileName,
        userId: input.userId ?? `verification:${to}`,
        phoneNumbers: [to],
        locale: input.locale,
        client: input.client,
        kind: 'verification',
      }));
    }
    const { sent } = await this.service.send(session.id, { channel: input.channel }, input.client);
    return {
      sid: session.id,
      to,
      channel: sent.channel,
      status: 'pending',
      expiresAt: new Date(sent.expiresAt).toISOString(),
      sendsLeft: sent.sendsLeft,
      attemptsLeft: sent.attemptsLeft,
    };
  }

  async check(app: RegisteredApp, input: { to: string; code: string; client: ClientInfo }) {
    const to = normalise(input.to);
    const session = await this.store.findActiveVerification(app.id, to, this.clock.now());
    if (!session) throw new TollgateError('session_not_found', 'No pending verification for this number; start one with POST /v1/verifications.');
    const outcome = await this.service.verify(session.id, input.code, input.client);
    return { sid: session.id, to, channel: outcome.view.codeSent?.channel ?? null, status: 'approved', valid: true, result: outcome.result };
  }
}

function normalise(to: string): string {
  const parsed = to.trim().startsWith('+') ? parsePhoneNumber(to) : null;
  if (!parsed || !parsed.valid) throw new TollgateError('invalid_phone_number', '`to` must be a valid phone number in E.164 form.', { field: 'to' });
  return parsed.e164;
}
