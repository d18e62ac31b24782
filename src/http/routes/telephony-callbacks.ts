// Delivery-status callbacks from the telephony provider, recorded as `delivery.status` events.
// Twilio's are checked with X-Twilio-Signature; the webhook adapter's with X-Tollgate-Signature.
import type { FastifyInstance } from 'fastify';
import { TollgateError } from '../../core/errors.ts';
import { parseTwilioStatusCallback, validateTwilioSignature, verifyWebhookSignature } from '../../adapters/telephony/index.ts';
import type { TelephonyConfig } from '../../adapters/telephony/index.ts';
import type { Clock } from '../../ports.ts';
import type { EventRecorder } from '../../services/event-recorder.ts';

const failed = new Set(['failed', 'undelivered', 'busy', 'no-answer', 'canceled']);

export async function registerTelephonyCallbacks(app: FastifyInstance, d: { config: TelephonyConfig; publicUrl: () => string; events: EventRecorder; clock: Clock }): Promise<void> {
  const config = d.config;
  if (config.adapter === 'twilio') {
    app.post('/v1/telephony/twilio/status', async (request, reply) => {
      const params = (request.body ?? {}) as Record<string, string>;
      const signature = request.headers['x-twilio-signature'];
      const url = `${d.publicUrl()}${request.url}`;
      if (typeof signature !== 'string' || !validateTwilioSignature(config.authToken, url, params, signature)) {
        throw new TollgateError('forbidden', 'Invalid X-Twilio-Signature.');
      }
      const update = parseTwilioStatusCallback(params);
      if (!update) throw new TollgateError('invalid_request', 'Not a Twilio status callback.');
      await d.events.record({
        type: 'delivery.status',
        outcome: failed.has(update.status) ? 'failure' : 'success',
        reason: failed.has(update.status) ? 'delivery_failed' : 'ok',
        phoneNumber: typeof params.To === 'string' ? params.To : null,
        channel: update.channel,
        details: { provider: 'twilio', providerMessageId: update.providerMessageId, providerStatus: update.status, errorCode: update.errorCode ?? null, durationSeconds: update.durationSeconds ?? null },
      });
      reply.code(204);
    });
  }
  if (config.adapter === 'webhook') {
    app.post('/v1/telephony/webhook/status', async (request, reply) => {
      const header = request.headers['x-tollgate-signature'];
      const raw = (request as { rawBody?: string }).rawBody ?? "";
      if (typeof header !== 'string' || !verifyWebhookSignature(config.secret, header, raw, Math.floor(d.clock.now() / 1000))) {
        throw new TollgateError('forbidden', 'Invalid X-Tollgate-Signature.');
      }
      const body = request.body as { id?: unknown; status?: unknown; to?: unknown; channel?: unknown };
      if (typeof body?.id !== 'string' || typeof body.status !== 'string') throw new TollgateError('invalid_request', 'Expected {id, status}.');
      const bad = failed.has(body.status);
      await d.events.record({
        type: 'delivery.status',
        outcome: bad ? 'failure' : 'success',
        reason: bad ? 'delivery_failed' : 'ok',
        phoneNumber: typeof body.to === 'string' ? body.to : null,
        channel: body.channel === 'voice' ? 'voice' : body.channel === 'sms' ? 'sms' : null,
        details: { provider: 'webhook', providerMessageId: body.id, providerStatus: body.status },
      });
      reply.code(204);
    });
  }
}
