// The authenticator-app API (app API key): enroll a user's app (QR code, otpauth:// URI and key),
// confirm it with a first code (→ recovery codes, shown once), remove it. Answers that carry a
// secret are `Cache-Control: no-store`. Sign-in with the app happens inside a session
// (`POST /v1/phone-factor/sessions/{id}/totp`, phone-factor-api.ts).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { TollgateError } from '../../core/errors.ts';
import type { AppRegistry } from '../../services/apps.ts';
import type { TotpEnrollments } from '../../services/totp-enrollments.ts';
import { requireApp } from '../auth.ts';
import { parseBody } from '../errors.ts';
import { totpConfirmBody, totpEnrollmentBody } from '../schemas.ts';

export interface FactorsApiDeps {
  apps: AppRegistry;
  /** null when `factors.totp.enabled` is false: every route answers 404. */
  enrollments: TotpEnrollments | null;
}

const idPattern = /^[A-Za-z0-9_-]{10,64}$/;

function noStore(reply: FastifyReply): void {
  reply.header('Cache-Control', 'no-store');
}

export async function registerFactorsApi(app: FastifyInstance, d: FactorsApiDeps): Promise<void> {
  const enrollments = (): TotpEnrollments => {
    if (!d.enrollments) throw new TollgateError('not_found', 'Authenticator apps are switched off (factors.totp.enabled).');
    return d.enrollments;
  };

  app.post('/v1/factors/totp/enrollments', async (request, reply) => {
    const caller = requireApp(request, d.apps);
    const body = parseBody(totpEnrollmentBody, request.body);
    const began = await enrollments().begin(caller, body);
    noStore(reply);
    reply.code(201);
    return { enrollmentId: began.enrollmentId, uri: began.uri, qrSvgDataUrl: began.qrSvgDataUrl, secret: began.secret };
  });

  app.post<{ Params: { id: string } }>('/v1/factors/totp/enrollments/:id/confirm', async (request, reply) => {
    const caller = requireApp(request, d.apps);
    const body = parseBody(totpConfirmBody, request.body);
    if (!idPattern.test(request.params.id)) throw new TollgateError('not_found', 'This enrollment does not exist or has expired; start again.');
    const { recoveryCodes } = await enrollments().confirm(caller, request.params.id, body.code);
    noStore(reply);
    return { status: 'active', recoveryCodes };
  });

  app.delete<{ Querystring: { userId?: string } }>('/v1/factors/totp', async (request) => {
    const caller = requireApp(request, d.apps);
    const userId = request.query.userId;
    if (typeof userId !== 'string' || userId.length === 0 || userId.length > 256) {
      throw new TollgateError('invalid_request', 'userId (the UserId claim) is required.', { field: 'userId' });
    }
    await enrollments().disable(caller, userId);
    return { status: 'disabled' };
  });
}
