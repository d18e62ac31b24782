// POST /v1/verifications and /v1/verification-checks (Twilio-Verify-style, app API key).
import type { FastifyInstance } from 'fastify';
import type { AppRegistry } from '../../services/apps.ts';
import type { Verifications } from '../../services/verifications.ts';
import { requireApp } from '../auth.ts';
import { clientInfoFrom } from '../client-info.ts';
import { parseBody } from '../errors.ts';
import { verificationBody, verificationCheckBody } from '../schemas.ts';

export async function registerVerificationsApi(app: FastifyInstance, d: { verifications: Verifications; apps: AppRegistry }): Promise<void> {
  app.post('/v1/verifications', async (request, reply) => {
    const caller = requireApp(request, d.apps);
    const body = parseBody(verificationBody, request.body);
    const channel = body.channel === 'call' ? 'voice' : body.channel;
    const out = await d.verifications.start(caller, { to: body.to, channel, locale: body.locale, userId: body.userId, client: clientInfoFrom(request, body.client) });
    reply.code(201);
    return out;
  });
  app.post('/v1/verification-checks', async (request) => {
    const caller = requireApp(request, d.apps);
    const body = parseBody(verificationCheckBody, request.body);
    return d.verifications.check(caller, { to: body.to, code: body.code, client: clientInfoFrom(request, body.client) });
  });
}
