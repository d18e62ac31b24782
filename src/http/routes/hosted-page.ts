// The hosted phone-factor page: GET /pf/:id renders the session's state (and, with ?method=, the
// method the user picked); POST send / verify / resend / cancel act through the session flows and
// Post/Redirect/Get back to the page. The authenticator-app routes are in hosted-page-factors.ts;
// the shared pieces (CSRF check, error display) in hosted-page-kit.ts.
import type { FastifyInstance } from 'fastify';
import { TollgateError } from '../../core/errors.ts';
import type { Channel, CodeChannel } from '../../core/events/event.ts';
import { fieldError } from '../../pages/page-errors.ts';
import { safeUrl } from '../../pages/html.ts';
import type { SendRequest, VerifyOutcome } from '../../services/phone-factor-view.ts';
import type { AnySendRequest } from '../../services/session-flows.ts';
import { cancelledPage, pageTranslator } from '../../pages/hosted-page-render.ts';
import { registerHostedFactorRoutes } from './hosted-page-factors.ts';
import { captchaToken, field, hostedPageKit, type HostedPageDeps, type IdRequest, pageUrl, requestInfo } from './hosted-page-kit.ts';

export { CSRF_COOKIE, type HostedPageDeps } from './hosted-page-kit.ts';

function asChannel(value: string | undefined): CodeChannel | null {
  return value === 'sms' || value === 'voice' || value === 'email' ? value : null;
}

export async function registerHostedPage(app: FastifyInstance, deps: HostedPageDeps): Promise<void> {
  const { service } = deps;
  const { show, showError, begin } = hostedPageKit(deps);
  const methodOf = (channel: CodeChannel) => (channel === 'email' ? 'email' : 'phone');

  app.get('/pf/:id', async (request: IdRequest, reply) => {
    let view = await begin(request, reply, false);
    if (!view) return reply;
    const single = view.registeredNumbers.length === 1 ? view.registeredNumbers[0] : undefined;
    if (view.autodial && view.status === 'created' && single && view.authenticationMode !== 'mixed') {
      const channel: Channel = view.authenticationMode === 'sms' ? 'sms' : 'voice';
      try {
        view = (await service.send(view.id, { phoneIndex: single.index, channel }, deps.clientInfo(request))).view;
      } catch (err) {
        return showError(request, reply, view, err, { channel });
      }
    }
    return show(request, reply, view, null);
  });

  app.post('/pf/:id/send', async (request: IdRequest, reply) => {
    const view = await begin(request, reply, true);
    if (!view) return reply;
    const tr = pageTranslator(requestInfo(request), view);
    const channel = asChannel(field(request, 'channel'));
    if (!channel) return show(request, reply, view, fieldError(tr, 'error_invalid_request', null, 400));
    const shown = { channel, method: methodOf(channel) } as const;
    let req: AnySendRequest;
    if (channel === 'email') {
      const email = (field(request, 'email', 320) ?? '').trim();
      if (!email) return show(request, reply, view, fieldError(tr, 'error_invalid_email', 'email'), shown);
      req = { channel, email, ...captchaToken(request) };
    } else {
      const phone: Partial<SendRequest> & { channel: Channel } = { channel, ...captchaToken(request) };
      const index = field(request, 'phoneIndex');
      const number = field(request, 'phoneNumber');
      if (index !== undefined && /^\d{1,3}$/.test(index)) {
        phone.phoneIndex = Number(index);
      } else if (number !== undefined) {
        const phoneNumber = number.trim();
        const country = (field(request, 'country') ?? '').trim().toUpperCase();
        if (!phoneNumber) return show(request, reply, view, fieldError(tr, 'requiredField_number', 'phoneNumber'), shown);
        if (country && !/^[A-Z]{2}$/.test(country)) return show(request, reply, view, fieldError(tr, 'requiredField_countryCode', 'country'), shown);
        if (!country && !phoneNumber.startsWith('+')) {
          return show(request, reply, view, fieldError(tr, 'requiredField_countryCode', 'country'), shown);
        }
        phone.phoneNumber = phoneNumber;
        if (country) phone.country = country;
      }
      req = phone;
    }
    try {
      await service.send(view.id, req, deps.clientInfo(request));
    } catch (err) {
      return showError(request, reply, view, err, shown);
    }
    return reply.code(303).redirect(pageUrl(requestInfo(request)));
  });

  app.post('/pf/:id/resend', async (request: IdRequest, reply) => {
    const view = await begin(request, reply, true);
    if (!view) return reply;
    const channel = asChannel(field(request, 'channel')) ?? view.codeSent?.channel ?? view.channels[0] ?? 'sms';
    try {
      await service.send(view.id, { channel, ...captchaToken(request) }, deps.clientInfo(request));
    } catch (err) {
      // A failed resend shows the code step again (the earlier code may still work).
      return showError(request, reply, view, err, { channel, method: null });
    }
    return reply.code(303).redirect(pageUrl(requestInfo(request)));
  });

  app.post('/pf/:id/verify', async (request: IdRequest, reply) => {
    const view = await begin(request, reply, true);
    if (!view) return reply;
    const tr = pageTranslator(requestInfo(request), view);
    const code = (field(request, 'code') ?? '').replace(/[\s-]/g, '');
    const length = view.codeLength;
    if (!code) return show(request, reply, view, fieldError(tr, 'requiredField_code', 'code'));
    if (!/^\d+$/.test(code) || code.length !== length) {
      return show(request, reply, view, fieldError(tr, 'invalid_code', 'code', 422, { length }));
    }
    let outcome: VerifyOutcome;
    try {
      outcome = await service.verify(view.id, code, deps.clientInfo(request));
    } catch (err) {
      return showError(request, reply, view, err);
    }
    const target = safeUrl(outcome.redirectTo, '') || pageUrl(requestInfo(request));
    return reply.code(303).redirect(target);
  });

  app.post('/pf/:id/cancel', async (request: IdRequest, reply) => {
    const view = await begin(request, reply, true);
    if (!view) return reply;
    const info = requestInfo(request);
    let redirectTo: string | null;
    try {
      redirectTo = (await service.cancel(view.id, deps.clientInfo(request))).redirectTo;
    } catch (err) {
      // Already over: a verified session goes back to its page; a failed one to the app or "cancelled".
      if (err instanceof TollgateError && err.code === 'session_completed') return reply.code(303).redirect(pageUrl(info));
      const ended = err instanceof TollgateError && ['session_failed', 'session_expired', 'user_cancelled'].includes(err.code);
      if (!ended) return showError(request, reply, view, err);
      redirectTo = view.returnUrl;
    }
    const target = safeUrl(redirectTo, '');
    if (target) return reply.code(303).redirect(target);
    return cancelledPage(reply, pageTranslator(info, view));
  });

  await registerHostedFactorRoutes(app, deps, { show, showError, begin });
}
