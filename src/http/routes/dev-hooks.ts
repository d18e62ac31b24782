// Development and test automation hooks: the outbox (SMS, calls and email codes) and the manual clock. Never
// registered in production mode.
import type { FastifyInstance } from 'fastify';
import { TollgateError } from '../../core/errors.ts';
import { parsePhoneNumber } from '../../core/phone/phone-number.ts';
import { normaliseEmailAddress } from '../../core/email/address.ts';
import type { ManualClock } from '../../adapters/clock/manual-clock.ts';
import type { Clock, Store } from '../../ports.ts';
import { parseBody } from '../errors.ts';
import { clockBody } from '../schemas.ts';
import { renderOutboxPage } from '../../pages/outbox-page.ts';
import { applyPageHeaders } from '../../pages/security-headers.ts';

export async function registerDevHooks(app: FastifyInstance, d: { store: Store; clock: Clock; manualClock: ManualClock | null }): Promise<void> {
  app.get<{ Querystring: { to?: string; limit?: string } }>('/dev/outbox', async (request, reply) => {
    const { to, limit } = request.query;
    let e164: string | undefined;
    if (to !== undefined && to.includes('@')) {
      // Email codes land in the same outbox, under the normalised address.
      const address = normaliseEmailAddress(to);
      if (!address) throw new TollgateError('invalid_email_address', '`to` is not a valid email address.', { field: 'to' });
      e164 = address;
    } else if (to !== undefined) {
      const parsed = parsePhoneNumber(to.replace(/^ /, '+'));
      if (!parsed) throw new TollgateError('invalid_phone_number', '`to` must be a phone number in E.164 form (encode + as %2B), or an email address.', { field: 'to' });
      e164 = parsed.e164;
    }
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new TollgateError('invalid_request', 'limit must be 1–10000.', { field: 'limit' });
    const messages = await d.store.listOutbox({ to: e164, limit: n });
    const accept = request.headers.accept ?? '';
    if (accept.includes('text/html') && !accept.includes('application/json')) {
      applyPageHeaders(reply);
      reply.type('text/html; charset=utf-8');
      return renderOutboxPage(messages, { to: e164 ?? null, now: d.clock.now() });
    }
    return {
      messages: messages.map((m) => ({ id: m.id, channel: m.channel, to: m.to, body: m.body, code: m.code, sessionId: m.sessionId, locale: m.locale, time: new Date(m.time).toISOString() })),
    };
  });

  app.get('/dev/clock', async () => ({ now: new Date(d.clock.now()).toISOString(), nowMs: d.clock.now(), manual: d.manualClock !== null }));

  app.post('/dev/clock', async (request) => {
    if (!d.manualClock) throw new TollgateError('forbidden', 'The clock is the system clock; start with TOLLGATE_CLOCK=manual to drive it.');
    const body = parseBody(clockBody, request.body);
    const now = body.advanceMs !== undefined ? d.manualClock.advance(body.advanceMs) : d.manualClock.set(Date.parse(body.now!));
    return { now: new Date(now).toISOString(), nowMs: now };
  });
}
