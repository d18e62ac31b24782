// The demo app (development only): GET / explains Tollgate and starts a verification through
// POST /demo/start; GET /demo/callback?result=JWT checks the result token and shows its claims.
import type {} from '@fastify/cookie';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TollgateError } from '../../core/errors.ts';
import { checkCsrf, csrfToken, ensureCsrfCookie } from '../../pages/csrf.ts';
import { renderDemoError, renderDemoHome, renderDemoResult, type DemoFormValues } from '../../pages/demo-page.ts';
import { safeUrl } from '../../pages/html.ts';
import { applyPageHeaders } from '../../pages/security-headers.ts';

export interface DemoPagesDeps {
  profiles: { name: string; description: string }[];
  startSession(input: { profile: string; userId: string; phoneNumbers: string[]; locale?: string }): Promise<{ url: string }>;
  verifyResult(token: string): Promise<Record<string, unknown>>;
  /** CSRF key; a random per-process key when absent. */
  csrfKey?: Uint8Array;
  /** Secure attribute on the CSRF cookie. */
  secureCookies?: boolean;
}

export const DEMO_CSRF_COOKIE = 'tg_demo_csrf';
const SCOPE = 'demo';
const locales = ['', 'en', 'fr', 'it'];

function field(request: FastifyRequest, name: string): string {
  const body = request.body as Record<string, unknown> | null | undefined;
  const value = body && typeof body === 'object' ? body[name] : undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim().slice(0, 200) : '';
}

function randomUserId(): string {
  return `demo-user-${randomBytes(6).toString('hex')}`;
}

export async function registerDemoPages(app: FastifyInstance, deps: DemoPagesDeps): Promise<void> {
  const key = deps.csrfKey ?? randomBytes(32);
  const cookieOpts = { name: DEMO_CSRF_COOKIE, path: '/demo', secure: deps.secureCookies ?? false };

  function home(request: FastifyRequest, reply: FastifyReply, values: DemoFormValues, error: string | null, status: number) {
    const cookie = ensureCsrfCookie(request, reply, cookieOpts);
    const doc = renderDemoHome({ profiles: deps.profiles, csrf: csrfToken(key, SCOPE, cookie), values, error });
    return applyPageHeaders(reply).code(status).send(doc);
  }

  app.get('/', async (request, reply) =>
    home(request, reply, { profile: deps.profiles[0]?.name ?? '', userId: randomUserId(), phoneNumbers: [], locale: '' }, null, 200),
  );

  app.post('/demo/start', async (request, reply) => {
    const values: DemoFormValues = {
      profile: field(request, 'profile'),
      userId: field(request, 'userId'),
      phoneNumbers: [field(request, 'phone1'), field(request, 'phone2')].filter((p) => p.length > 0),
      locale: field(request, 'locale'),
    };
    if (!checkCsrf(request, key, SCOPE, DEMO_CSRF_COOKIE)) {
      return home(request, reply, values, 'This form has expired or was not sent from this page. Please send it again.', 403);
    }
    if (!deps.profiles.some((p) => p.name === values.profile)) {
      return home(request, reply, values, 'Choose one of the listed profiles.', 400);
    }
    if (!values.userId || values.userId.length > 128) return home(request, reply, values, 'Enter a user id (at most 128 characters).', 400);
    if (!locales.includes(values.locale)) values.locale = '';
    let url: string;
    try {
      ({ url } = await deps.startSession({
        profile: values.profile,
        userId: values.userId,
        phoneNumbers: values.phoneNumbers,
        ...(values.locale ? { locale: values.locale } : {}),
      }));
    } catch (err) {
      if (err instanceof TollgateError) return home(request, reply, values, `${err.message} (${err.code})`, err.status < 500 ? err.status : 502);
      request.log.error({ err }, 'demo: starting a session failed');
      return home(request, reply, values, 'The verification could not be started. See the server log.', 500);
    }
    const target = safeUrl(url, '');
    if (!target) return home(request, reply, values, 'Tollgate returned an unusable page address.', 500);
    return reply.code(303).redirect(target);
  });

  app.get<{ Querystring: { result?: unknown; error?: unknown } }>('/demo/callback', async (request, reply) => {
    applyPageHeaders(reply);
    const token = request.query.result;
    if (typeof token !== 'string' || token.length === 0 || token.length > 8192) {
      return reply.code(400).send(renderDemoError('The callback has no result token (expected ?result=…).'));
    }
    try {
      return reply.code(200).send(renderDemoResult(await deps.verifyResult(token)));
    } catch (err) {
      const reason = err instanceof Error && err.message ? err.message.slice(0, 300) : 'unknown error';
      request.log.warn({ err }, 'demo: result token rejected');
      return reply.code(400).send(renderDemoError(`The result token was rejected: ${reason}`));
    }
  });
}
