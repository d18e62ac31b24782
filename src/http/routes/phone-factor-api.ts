// The phone-factor JSON API: create/read sessions (app API key) and the headless steps (session id
// as capability). Thin: parse → service → answer.
import type { FastifyInstance } from 'fastify';
import { TollgateError } from '../../core/errors.ts';
import type { Clock } from '../../ports.ts';
import { parsePhoneNumber } from '../../core/phone/phone-number.ts';
import type { AppRegistry } from '../../services/apps.ts';
import type { PhoneFactorService } from '../../services/phone-factor-service.ts';
import type { ProfileResolver } from '../../services/profile-resolver.ts';
import type { AnySendRequest, SessionFlows } from '../../services/session-flows.ts';
import { optionalApp, requireApp } from '../auth.ts';
import { clientInfoFrom } from '../client-info.ts';
import { parseBody } from '../errors.ts';
import { createSessionBody, sendBody, totpSessionBody, verifyBody } from '../schemas.ts';

export interface PhoneFactorApiDeps {
  service: PhoneFactorService;
  /** The headless steps of every method (phone, email, authenticator app). */
  flows: SessionFlows;
  apps: AppRegistry;
  profiles: ProfileResolver;
  clock: Clock;
}

export async function registerPhoneFactorApi(app: FastifyInstance, d: PhoneFactorApiDeps): Promise<void> {
  app.post('/v1/phone-factor/sessions', async (request, reply) => {
    const caller = requireApp(request, d.apps);
    const body = parseBody(createSessionBody, request.body);
    const profile = d.profiles.resolve(body.profile);
    let userId = body.userId;
    let phoneNumbers = body.phoneNumbers ?? [];
    if (body.inputClaims) {
      const claims = body.inputClaims;
      const pick = (c: { claimType: string; partnerClaimType: string }) => claims[c.claimType] ?? claims[c.partnerClaimType];
      userId ??= pick(profile.inputClaims.userId);
      if (!body.phoneNumbers) phoneNumbers = profile.inputClaims.phoneNumbers.map(pick).filter((v): v is string => !!v);
    }
    if (!userId) throw new TollgateError('invalid_request', 'userId (the UserId claim) is required.', { field: 'userId' });
    const normalised = phoneNumbers.map((n, i) => normaliseRegistered(n, i));
    const { session, url } = await d.service.start(caller, {
      profile: body.profile,
      userId,
      phoneNumbers: normalised,
      returnUrl: body.returnUrl,
      locale: body.locale,
      nonce: body.nonce,
      client: clientInfoFrom(request, body.client),
      correlationId: headerCorrelation(request.headers['x-correlation-id']),
    });
    reply.code(201).header('Location', `/v1/phone-factor/sessions/${session.id}`);
    return { id: session.id, url, status: session.status, expiresAt: new Date(session.expiresAt).toISOString() };
  });

  app.get<{ Params: { id: string } }>('/v1/phone-factor/sessions/:id', async (request) => {
    const caller = requireApp(request, d.apps);
    return d.service.status(caller, request.params.id);
  });

  app.post<{ Params: { id: string } }>('/v1/phone-factor/sessions/:id/send', async (request) => {
    const body = parseBody(sendBody, request.body);
    const caller = optionalApp(request, d.apps);
    const client = clientInfoFrom(request, caller ? body.client : null);
    const { client: _client, channel, email, ...phone } = body;
    const req: AnySendRequest = channel === 'email' ? { channel, email, captcha: body.captcha } : { ...phone, channel };
    const { sent } = await d.flows.send(request.params.id, req, client);
    return {
      status: 'code_sent',
      channel: sent.channel,
      to: sent.maskedTo,
      expiresAt: new Date(sent.expiresAt).toISOString(),
      attemptsLeft: sent.attemptsLeft,
      sendsLeft: sent.sendsLeft,
      resendAvailableAt: new Date(sent.resendAvailableAt).toISOString(),
      retryAfter: Math.max(0, Math.ceil((sent.resendAvailableAt - d.clock.now()) / 1000)),
    };
  });

  app.post<{ Params: { id: string } }>('/v1/phone-factor/sessions/:id/verify', async (request) => {
    const body = parseBody(verifyBody, request.body);
    const caller = optionalApp(request, d.apps);
    const outcome = await d.flows.verify(request.params.id, body.code, clientInfoFrom(request, caller ? body.client : null));
    return { status: 'verified', result: outcome.result, redirectTo: outcome.redirectTo };
  });

  // Sign in with the authenticator app: a current code, or one of the recovery codes.
  app.post<{ Params: { id: string } }>('/v1/phone-factor/sessions/:id/totp', async (request) => {
    const body = parseBody(totpSessionBody, request.body);
    const caller = optionalApp(request, d.apps);
    const submission = body.code !== undefined ? { code: body.code } : { recoveryCode: body.recoveryCode };
    const outcome = await d.flows.totp(request.params.id, submission, clientInfoFrom(request, caller ? body.client : null));
    return { status: 'verified', result: outcome.result, redirectTo: outcome.redirectTo };
  });

  app.post<{ Params: { id: string } }>('/v1/phone-factor/sessions/:id/cancel', async (request) => {
    const outcome = await d.service.cancel(request.params.id, clientInfoFrom(request));
    return { status: 'failed', reason: 'user_cancelled', redirectTo: outcome.redirectTo };
  });
}

/** Numbers on file must be valid international numbers; they are stored in E.164. */
function normaliseRegistered(n: string, index: number): string {
  const parsed = n.trim().startsWith('+') ? parsePhoneNumber(n) : null;
  if (!parsed || !parsed.valid) {
    throw new TollgateError('invalid_phone_number', `phoneNumbers[${index}] is not a valid phone number in international (E.164) form.`, { field: `phoneNumbers.${index}` });
  }
  return parsed.e164;
}

export function headerCorrelation(h: string | string[] | undefined): string | undefined {
  return typeof h === 'string' && /^[A-Za-z0-9._:-]{1,100}$/.test(h) ? h : undefined;
}
