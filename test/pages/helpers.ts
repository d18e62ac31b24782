// Test helpers for the page tests: a session view builder, an in-test stand-in for the
// phone-factor service (records calls, returns crafted views or throws TollgateErrors), and an
// app with the hosted page registered plus a way to fetch a page's CSRF cookie and token.
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerHostedPage, type HostedPageDeps } from '../../src/http/routes/hosted-page.ts';
import type { CodeSentView, SessionView } from '../../src/services/phone-factor-view.ts';
import type { AnySendRequest } from '../../src/services/session-flows.ts';

export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
export const SESSION_ID = 'sess_AbCdEfGhIjKlMnOpQrStUv';

export function makeView(over: Partial<SessionView> = {}): SessionView {
  return {
    id: SESSION_ID,
    status: 'created',
    profileId: 'PhoneFactor-InputOrVerify',
    policyId: 'B2C_1A_demo',
    appName: 'Contoso',
    locale: null,
    authenticationMode: 'mixed',
    channels: ['sms', 'voice'],
    manualEntryAllowed: true,
    autodial: false,
    autosubmit: true,
    enableCaptchaChallenge: false,
    codeLength: 6,
    registeredNumbers: [],
    countryAllowlist: null,
    countryNames: {},
    stringOverrides: {},
    contentDefinition: { id: 'api.phonefactor', stylesheets: [], defaultLanguage: 'en', supportedLanguages: [] },
    selectedNumberMasked: null,
    codeSent: null,
    expiresAt: NOW + 600_000,
    returnUrl: null,
    ...over,
  };
}

export function codeSent(over: Partial<CodeSentView> = {}): CodeSentView {
  return {
    channel: 'sms',
    maskedTo: '+1 •••••••0123',
    expiresAt: NOW + 300_000,
    attemptsLeft: 3,
    sendsLeft: 2,
    resendAvailableAt: NOW - 1000,
    ...over,
  };
}

export function sentView(over: Partial<SessionView> = {}, sent: Partial<CodeSentView> = {}): SessionView {
  return makeView({ status: 'code_sent', selectedNumberMasked: '+1 •••••••0123', codeSent: codeSent(sent), ...over });
}

type SendArg = AnySendRequest;

export interface FakeService {
  service: HostedPageDeps['service'];
  calls: { view: number; send: SendArg[]; verify: string[]; cancel: number };
  view: SessionView;
  /** When set, the next send/verify/cancel throws it. */
  sendError: unknown;
  verifyError: unknown;
  cancelError: unknown;
  viewError: unknown;
  redirectTo: string | null;
  cancelRedirect: string | null;
  /** Total calls other than view(). */
  actions(): number;
}

export function fakeService(initial: SessionView): FakeService {
  const fake: FakeService = {
    calls: { view: 0, send: [], verify: [], cancel: 0 },
    view: initial,
    sendError: null,
    verifyError: null,
    cancelError: null,
    viewError: null,
    redirectTo: null,
    cancelRedirect: null,
    actions: () => fake.calls.send.length + fake.calls.verify.length + fake.calls.cancel,
    service: {
      async view() {
        fake.calls.view++;
        if (fake.viewError) throw fake.viewError;
        return fake.view;
      },
      async send(_id, req) {
        fake.calls.send.push(req);
        if (fake.sendError) throw fake.sendError;
        const sent = codeSent({ channel: req.channel });
        fake.view = { ...fake.view, status: 'code_sent', codeSent: sent, selectedNumberMasked: sent.maskedTo };
        return { view: fake.view, sent };
      },
      async verify(_id, code) {
        fake.calls.verify.push(code);
        if (fake.verifyError) throw fake.verifyError;
        fake.view = { ...fake.view, status: 'verified' };
        return { view: fake.view, result: 'jwt', redirectTo: fake.redirectTo };
      },
      async cancel() {
        fake.calls.cancel++;
        if (fake.cancelError) throw fake.cancelError;
        fake.view = { ...fake.view, status: 'failed' };
        return { redirectTo: fake.cancelRedirect };
      },
    },
  };
  return fake;
}

export async function buildApp(fake: FakeService, secureCookies = false): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(formbody);
  await app.register(cookie);
  await registerHostedPage(app, {
    service: fake.service,
    csrfKey: new Uint8Array(32).fill(7),
    secureCookies,
    clientInfo: (request) => ({ ip: request.ip, userAgent: request.headers['user-agent'] ?? null }),
    now: () => NOW,
  });
  await app.ready();
  return app;
}

export const pagePath = `/pf/${SESSION_ID}`;

/** GETs the page and returns the CSRF cookie value and hidden-field token it issued. */
export async function csrfPair(app: FastifyInstance, path = pagePath): Promise<{ cookie: string; token: string }> {
  const res = await app.inject({ method: 'GET', url: path });
  const c = res.cookies.find((x) => x.name === 'tg_csrf');
  const m = /name="csrf" value="([^"]+)"/.exec(res.body);
  if (!c || !m?.[1]) throw new Error(`no CSRF pair on ${path} (status ${res.statusCode})`);
  return { cookie: c.value, token: m[1] };
}

/** POSTs a urlencoded form with the CSRF cookie. */
export function postForm(
  app: FastifyInstance,
  url: string,
  fields: Record<string, string>,
  cookieValue: string | null,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(fields).toString(),
    ...(cookieValue ? { cookies: { tg_csrf: cookieValue } } : {}),
  });
}
