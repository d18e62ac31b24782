// The hosted phone-factor page: GET /pf/:id renders the session's state; POST send / verify /
// resend / cancel act through the phone-factor service and Post/Redirect/Get back to the page.
// Every POST is CSRF-checked before the service is touched.
import { captchaTokenFields } from '../../pages/captcha-slot.ts';
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TollgateError } from '../../core/errors.ts';
import type { Channel } from '../../core/events/event.ts';
import type { ClientInfo } from '../../core/flows/session.ts';
import { fieldError, pageErrorFrom } from '../../pages/page-errors.ts';
import { checkCsrf, csrfToken, ensureCsrfCookie } from '../../pages/csrf.ts';
import { safeUrl } from '../../pages/html.ts';
import type { PageError } from '../../pages/page-context.ts';
import type { SendOutcome, SendRequest, SessionView, VerifyOutcome } from '../../services/phone-factor-view.ts';
import {
  cancelledPage,
  messagePage,
  pageTranslator,
  sendViewPage,
  type PageRequestInfo,
} from '../../pages/hosted-page-render.ts';

export interface HostedPageDeps {
  service: {
    view(id: string): Promise<SessionView>;
    send(id: string, req: Partial<SendRequest> & { channel: Channel }, client: ClientInfo): Promise<SendOutcome>;
    verify(id: string, code: string, client: ClientInfo): Promise<VerifyOutcome>;
    cancel(id: string, client: ClientInfo): Promise<{ redirectTo: string | null }>;
  };
  csrfKey: Uint8Array;
  secureCookies: boolean;
  clientInfo(request: FastifyRequest): ClientInfo;
  now(): number;
}

export const CSRF_COOKIE = 'tg_csrf';
const idPattern = /^[A-Za-z0-9_-]{1,128}$/;

type IdRequest = FastifyRequest<{ Params: { id: string }; Querystring: Record<string, unknown> }>;

function field(request: FastifyRequest, name: string): string | undefined {
  const body = request.body as Record<string, unknown> | null | undefined;
  const value = body && typeof body === 'object' ? body[name] : undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, 200) : undefined;
}

function requestInfo(request: IdRequest): PageRequestInfo {
  const raw = request.query?.ui_locales;
  const ui = typeof raw === 'string' && /^[A-Za-z0-9_\- ]{1,100}$/.test(raw) ? raw : null;
  const accept = request.headers['accept-language'];
  return {
    id: request.params.id,
    uiLocales: ui,
    acceptLanguage: typeof accept === 'string' ? accept : null,
    query: ui ? `?ui_locales=${encodeURIComponent(ui)}` : '',
  };
}

function pageUrl(info: PageRequestInfo): string {
  return `/pf/${encodeURIComponent(info.id)}${info.query}`;
}

/** The CAPTCHA solution the widget posted, if any. */
function captchaToken(request: FastifyRequest): { captcha?: string } {
  const body = request.body as Record<string, unknown> | null | undefined;
  for (const name of captchaTokenFields) {
    const value = body && typeof body === 'object' ? body[name] : undefined;
    if (typeof value === 'string' && value) return { captcha: value.slice(0, 8192) };
  }
  return {};
}

function asChannel(value: string | undefined): Channel | null {
  return value === 'sms' || value === 'voice' ? value : null;
}

export async function registerHostedPage(app: FastifyInstance, deps: HostedPageDeps): Promise<void> {
  const { service } = deps;
  const cookieOpts = { name: CSRF_COOKIE, path: '/pf', secure: deps.secureCookies };

  /** Renders the page for `view` (or a bare message when the view cannot be loaded). */
  async function show(request: IdRequest, reply: FastifyReply, view: SessionView, error: PageError | null) {
    const info = requestInfo(request);
    const cookie = ensureCsrfCookie(request, reply, cookieOpts);
    const csrf = csrfToken(deps.csrfKey, view.id, cookie);
    return sendViewPage(request, reply, { info, view, error, csrf, now: deps.now() });
  }

  /** After a failed action: reload the view and show it with the error. */
  async function showError(request: IdRequest, reply: FastifyReply, fallback: SessionView, err: unknown, channel?: Channel | null) {
    if (!(err instanceof TollgateError)) request.log.error({ err }, 'hosted page action failed');
    let view = fallback;
    try {
      view = await service.view(fallback.id);
      // The defense asked for a CAPTCHA: show the widget with the challenge it issued.
      const captcha = err instanceof TollgateError ? err.steering.captcha : undefined;
      if (captcha && typeof captcha === 'object') view = { ...view, captcha: captcha as Record<string, unknown> };
    } catch (reloadErr) {
      const tr = pageTranslator(requestInfo(request), null);
      return messagePage(reply, tr, pageErrorFrom(reloadErr, tr));
    }
    const tr = pageTranslator(requestInfo(request), view);
    return show(request, reply, view, pageErrorFrom(err, tr, { channel, codeLength: view.codeLength }));
  }

  /** Common start of every route: id shape, CSRF (POST), the view. Returns null once it has replied. */
  async function begin(request: IdRequest, reply: FastifyReply, post: boolean): Promise<SessionView | null> {
    const info = requestInfo(request);
    const tr = pageTranslator(info, null);
    if (!idPattern.test(info.id)) {
      await messagePage(reply, tr, pageErrorFrom(new TollgateError('session_not_found'), tr));
      return null;
    }
    if (post && !checkCsrf(request, deps.csrfKey, info.id, CSRF_COOKIE)) {
      await messagePage(reply, tr, pageErrorFrom(new TollgateError('csrf_failed'), tr), pageUrl(info));
      return null;
    }
    try {
      return await service.view(info.id);
    } catch (err) {
      if (!(err instanceof TollgateError)) request.log.error({ err }, 'hosted page: view failed');
      await messagePage(reply, tr, pageErrorFrom(err, tr));
      return null;
    }
  }

  app.get('/pf/:id', async (request: IdRequest, reply) => {
    let view = await begin(request, reply, false);
    if (!view) return reply;
    const single = view.registeredNumbers.length === 1 ? view.registeredNumbers[0] : undefined;
    if (view.autodial && view.status === 'created' && single && view.authenticationMode !== 'mixed') {
      const channel: Channel = view.authenticationMode === 'sms' ? 'sms' : 'voice';
      try {
        view = (await service.send(view.id, { phoneIndex: single.index, channel }, deps.clientInfo(request))).view;
      } catch (err) {
        return showError(request, reply, view, err, channel);
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
    const req: Partial<SendRequest> & { channel: Channel } = { channel, ...captchaToken(request) };
    const index = field(request, 'phoneIndex');
    const number = field(request, 'phoneNumber');
    if (index !== undefined && /^\d{1,3}$/.test(index)) {
      req.phoneIndex = Number(index);
    } else if (number !== undefined) {
      const phoneNumber = number.trim();
      const country = (field(request, 'country') ?? '').trim().toUpperCase();
      if (!phoneNumber) return show(request, reply, view, fieldError(tr, 'requiredField_number', 'phoneNumber'));
      if (country && !/^[A-Z]{2}$/.test(country)) return show(request, reply, view, fieldError(tr, 'requiredField_countryCode', 'country'));
      if (!country && !phoneNumber.startsWith('+')) {
        return show(request, reply, view, fieldError(tr, 'requiredField_countryCode', 'country'));
      }
      req.phoneNumber = phoneNumber;
      if (country) req.country = country;
    }
    try {
      await service.send(view.id, req, deps.clientInfo(request));
    } catch (err) {
      return showError(request, reply, view, err, channel);
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
      return showError(request, reply, view, err, channel);
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
}
