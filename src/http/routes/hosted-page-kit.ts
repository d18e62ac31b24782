// What every hosted-page route shares: the dependencies, reading form fields and the query, the
// page URL, and the three ways a route answers (show the page, show it with an error, or a bare
// message when there is no session to show). Every POST is CSRF-checked in begin() before the
// service is touched.
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TollgateError } from '../../core/errors.ts';
import type { CodeChannel } from '../../core/events/event.ts';
import type { ClientInfo } from '../../core/flows/session.ts';
import type { FactorMethod } from '../../core/policy/profile.ts';
import { captchaTokenFields } from '../../pages/captcha-slot.ts';
import { checkCsrf, csrfToken, ensureCsrfCookie } from '../../pages/csrf.ts';
import { messagePage, pageTranslator, sendViewPage, type PageRequestInfo } from '../../pages/hosted-page-render.ts';
import type { PageError } from '../../pages/page-context.ts';
import { pageErrorFrom } from '../../pages/page-errors.ts';
import type { SendOutcome, SessionView, TotpSubmission, VerifyOutcome } from '../../services/phone-factor-view.ts';
import type { AnySendRequest } from '../../services/session-flows.ts';

export interface HostedPageDeps {
  service: {
    view(id: string): Promise<SessionView>;
    send(id: string, req: AnySendRequest, client: ClientInfo): Promise<SendOutcome>;
    verify(id: string, code: string, client: ClientInfo): Promise<VerifyOutcome>;
    cancel(id: string, client: ClientInfo): Promise<{ redirectTo: string | null }>;
    /** Authenticator app (absent: the page never offers it). */
    totp?(id: string, submission: TotpSubmission, client: ClientInfo): Promise<VerifyOutcome>;
    beginTotpEnrollment?(id: string): Promise<void>;
    confirmTotpEnrollment?(id: string, code: string, client: ClientInfo): Promise<{ outcome: VerifyOutcome; recoveryCodes: string[] }>;
  };
  csrfKey: Uint8Array;
  secureCookies: boolean;
  clientInfo(request: FastifyRequest): ClientInfo;
  now(): number;
}

export const CSRF_COOKIE = 'tg_csrf';
const idPattern = /^[A-Za-z0-9_-]{1,128}$/;
const methods: readonly string[] = ['phone', 'email', 'totp'];

export type IdRequest = FastifyRequest<{ Params: { id: string }; Querystring: Record<string, unknown> }>;

/** What an error display needs to pick its message and the form to show it on. */
export interface ErrorShown {
  channel?: CodeChannel | null;
  method?: FactorMethod | null;
  recovery?: boolean;
}

export function field(request: FastifyRequest, name: string, max = 200): string | undefined {
  const body = request.body as Record<string, unknown> | null | undefined;
  const value = body && typeof body === 'object' ? body[name] : undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, max) : undefined;
}

export function requestInfo(request: IdRequest): PageRequestInfo {
  const raw = request.query?.ui_locales;
  const ui = typeof raw === 'string' && /^[A-Za-z0-9_\- ]{1,100}$/.test(raw) ? raw : null;
  const accept = request.headers['accept-language'];
  const method = request.query?.method;
  return {
    id: request.params.id,
    uiLocales: ui,
    acceptLanguage: typeof accept === 'string' ? accept : null,
    query: ui ? `?ui_locales=${encodeURIComponent(ui)}` : '',
    method: typeof method === 'string' && methods.includes(method) ? (method as FactorMethod) : null,
    recovery: request.query?.recovery === '1',
  };
}

export function pageUrl(info: PageRequestInfo): string {
  return `/pf/${encodeURIComponent(info.id)}${info.query}`;
}

/** The CAPTCHA solution the widget posted, if any. */
export function captchaToken(request: FastifyRequest): { captcha?: string } {
  const body = request.body as Record<string, unknown> | null | undefined;
  for (const name of captchaTokenFields) {
    const value = body && typeof body === 'object' ? body[name] : undefined;
    if (typeof value === 'string' && value) return { captcha: value.slice(0, 8192) };
  }
  return {};
}

export function hostedPageKit(deps: HostedPageDeps) {
  const cookieOpts = { name: CSRF_COOKIE, path: '/pf', secure: deps.secureCookies };

  /** Renders the page for `view` (or a bare message when the view cannot be loaded). */
  async function show(request: IdRequest, reply: FastifyReply, view: SessionView, error: PageError | null, shown: ErrorShown = {}) {
    const info = requestInfo(request);
    const cookie = ensureCsrfCookie(request, reply, cookieOpts);
    const csrf = csrfToken(deps.csrfKey, view.id, cookie);
    const method = shown.method !== undefined ? shown.method : info.method;
    return sendViewPage(request, reply, { info: { ...info, method, recovery: shown.recovery ?? info.recovery }, view, error, csrf, now: deps.now() });
  }

  /** After a failed action: reload the view and show it with the error. */
  async function showError(request: IdRequest, reply: FastifyReply, fallback: SessionView, err: unknown, shown: ErrorShown = {}) {
    if (!(err instanceof TollgateError)) request.log.error({ err }, 'hosted page action failed');
    let view = fallback;
    try {
      view = await deps.service.view(fallback.id);
      // The defense asked for a CAPTCHA: show the widget with the challenge it issued.
      const captcha = err instanceof TollgateError ? err.steering.captcha : undefined;
      if (captcha && typeof captcha === 'object') view = { ...view, captcha: captcha as Record<string, unknown> };
    } catch (reloadErr) {
      const tr = pageTranslator(requestInfo(request), null);
      return messagePage(reply, tr, pageErrorFrom(reloadErr, tr));
    }
    const tr = pageTranslator(requestInfo(request), view);
    return show(request, reply, view, pageErrorFrom(err, tr, { channel: shown.channel, codeLength: view.codeLength, method: shown.method, recovery: shown.recovery }), shown);
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
      return await deps.service.view(info.id);
    } catch (err) {
      if (!(err instanceof TollgateError)) request.log.error({ err }, 'hosted page: view failed');
      await messagePage(reply, tr, pageErrorFrom(err, tr));
      return null;
    }
  }

  return { show, showError, begin };
}

export type HostedPageKit = ReturnType<typeof hostedPageKit>;
