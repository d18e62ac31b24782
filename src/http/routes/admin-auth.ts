// Admin sign-in routes: the sign-in page and form, sign-out, `GET /v1/admin/me`, and API token
// management. Also the cookie helpers and `next=` check the dashboard routes reuse.
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type ApiTokenView, TOKEN_DEFAULT_TTL_DAYS, TOKEN_MAX_TTL_DAYS } from '../../core/admin/model.ts';
import { TollgateError } from '../../core/errors.ts';
import { renderSignInPage } from '../../pages/admin/sign-in-page.ts';
import { checkCsrf, csrfToken, ensureCsrfCookie } from '../../pages/csrf.ts';
import { applyPageHeaders } from '../../pages/security-headers.ts';
import { ADMIN_SESSION_COOKIE, type AdminAuth, canSeeFullNumbers } from '../../services/admin-auth.ts';
import { clientInfoFrom } from '../client-info.ts';
import { parseBody } from '../errors.ts';

export interface AdminAuthRouteDeps {
  auth: AdminAuth;
  /** HMAC key of the sign-in form's CSRF token (the same derived key as the hosted page). */
  csrfKey: Uint8Array;
  /** Secure attribute on the cookies: true when the public URL is https. */
  secureCookies: boolean;
}

/** The session cookie is set once per path, so only the admin pages and the admin API receive it. */
export const ADMIN_COOKIE_PATHS = ['/admin', '/v1/admin'] as const;
export const ADMIN_SIGN_IN_CSRF_COOKIE = 'tg_admin_csrf';
const SIGN_IN_SCOPE = 'admin-sign-in';
const SESSION_COOKIE_MAX_AGE_S = 12 * 3600;

// Not strict: a form or script may send its `csrf` field along.
export const tokenBody = z.object({
  name: z.string().trim().min(1).max(64),
  role: z.enum(['viewer', 'admin']).default('viewer'),
  ttlDays: z.number().int().min(1).max(TOKEN_MAX_TTL_DAYS).default(TOKEN_DEFAULT_TTL_DAYS),
});

/**
 * A `next=` target is followed only when it is a same-origin path under /admin. Anything that a
 * browser could read as another origin (`//evil.com`, `/\evil.com`, `https://…`) is refused.
 */
export function safeAdminNext(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 512) return null;
  if (!/^\/admin(?:[/?#]|$)/.test(value) || /[\\\s\x00-\x1f\x7f]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, 'http://tollgate.invalid');
  } catch {
    return null;
  }
  if (url.origin !== 'http://tollgate.invalid' || !/^\/admin(?:\/|$)/.test(url.pathname)) return null;
  if (url.pathname.startsWith('/admin/sign-')) return null;
  return url.pathname + url.search;
}

export function setAdminSessionCookie(reply: FastifyReply, value: string, secure: boolean): void {
  for (const path of ADMIN_COOKIE_PATHS) {
    reply.setCookie(ADMIN_SESSION_COOKIE, value, { path, httpOnly: true, sameSite: 'strict', secure, maxAge: SESSION_COOKIE_MAX_AGE_S });
  }
}

export function clearAdminSessionCookie(reply: FastifyReply, secure: boolean): void {
  for (const path of ADMIN_COOKIE_PATHS) {
    reply.clearCookie(ADMIN_SESSION_COOKIE, { path, httpOnly: true, sameSite: 'strict', secure });
  }
}

/** For dashboard pages: send a signed-out browser to the sign-in page, coming back here afterwards. */
export function signInRedirect(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const next = safeAdminNext(request.url);
  return reply.code(303).redirect(`/admin/sign-in${next && next !== '/admin' ? `?next=${encodeURIComponent(next)}` : ''}`);
}

function field(request: FastifyRequest, name: string, max = 1024): string {
  const body = request.body as Record<string, unknown> | null | undefined;
  const value = body && typeof body === 'object' ? body[name] : undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, max) : '';
}

/** Scripts asking for JSON get the API error shape; browsers get the page. */
function wantsJson(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** Token metadata for the API, times as ISO 8601. */
function tokenJson(t: ApiTokenView, username?: string | null) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return { ...t, ...(username !== undefined ? { username } : {}), createdAt: iso(t.createdAt), expiresAt: iso(t.expiresAt), lastUsedAt: iso(t.lastUsedAt) };
}

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('Cache-Control', 'no-store');
}

export async function registerAdminAuth(app: FastifyInstance, deps: AdminAuthRouteDeps): Promise<void> {
  const { auth } = deps;
  const csrfCookie = { name: ADMIN_SIGN_IN_CSRF_COOKIE, path: '/admin/sign-in', secure: deps.secureCookies };

  function signInPage(request: FastifyRequest, reply: FastifyReply, status: number, opts: { next: string | null; username?: string; error?: string; notice?: string }) {
    const cookie = ensureCsrfCookie(request, reply, csrfCookie);
    const page = renderSignInPage({ csrf: csrfToken(deps.csrfKey, SIGN_IN_SCOPE, cookie), ...opts });
    return applyPageHeaders(reply).code(status).send(page);
  }

  app.get('/admin/sign-in', async (request: FastifyRequest<{ Querystring: Record<string, unknown> }>, reply) => {
    const next = safeAdminNext(request.query?.next);
    if (await auth.session(request.cookies?.[ADMIN_SESSION_COOKIE])) return reply.code(303).redirect(next ?? '/admin');
    const notice = request.query?.signed_out === '1' ? 'You are signed out.' : undefined;
    return signInPage(request, reply, 200, { next, notice });
  });

  app.post('/admin/sign-in', async (request, reply) => {
    const next = safeAdminNext(field(request, 'next', 512));
    const username = field(request, 'username', 64).trim();
    if (!checkCsrf(request, deps.csrfKey, SIGN_IN_SCOPE, ADMIN_SIGN_IN_CSRF_COOKIE)) {
      if (wantsJson(request)) throw new TollgateError('csrf_failed');
      return signInPage(request, reply, 403, { next, username, error: 'This form has expired or was not sent from this page. Please sign in again.' });
    }
    const { ip, userAgent } = clientInfoFrom(request);
    try {
      const { cookieValue } = await auth.signIn(username, field(request, 'password'), ip, userAgent);
      setAdminSessionCookie(reply, cookieValue, deps.secureCookies);
    } catch (err) {
      if (!(err instanceof TollgateError) || wantsJson(request)) throw err;
      const retryAfter = err.steering.retryAfter;
      if (retryAfter !== undefined) reply.header('Retry-After', String(retryAfter));
      const error = err.code === 'rate_limited'
        ? `Too many failed sign-ins. Try again in ${Math.ceil((retryAfter ?? 60) / 60)} minute(s).`
        : err.message;
      return signInPage(request, reply, err.status, { next, username, error });
    }
    return reply.code(303).redirect(next ?? '/admin');
  });

  app.post('/admin/sign-out', async (request, reply) => {
    try {
      await auth.requireRole(request, 'viewer'); // CSRF-checked: another site cannot sign you out
    } catch (err) {
      if (!(err instanceof TollgateError) || err.code !== 'unauthorized') throw err;
    }
    await auth.signOut(request.cookies?.[ADMIN_SESSION_COOKIE]);
    clearAdminSessionCookie(reply, deps.secureCookies);
    return reply.code(303).redirect('/admin/sign-in?signed_out=1');
  });

  app.get('/v1/admin/me', async (request, reply) => {
    const me = await auth.requireRole(request, 'viewer');
    noStore(reply);
    return {
      username: me.user.username,
      role: me.role,
      via: me.via,
      canSeeFullNumbers: canSeeFullNumbers(me.role),
      expiresAt: new Date(me.expiresAt).toISOString(),
      ...(me.csrf ? { csrf: me.csrf } : {}),
    };
  });

  app.get('/v1/admin/tokens', async (request, reply) => {
    await auth.requireRole(request, 'admin');
    const names = new Map((await auth.listUsers()).map((u) => [u.id, u.username]));
    const tokens = (await auth.listApiTokens()).map((t) => tokenJson(t, names.get(t.userId) ?? null));
    return noStore(reply).send({ tokens });
  });

  app.post('/v1/admin/tokens', async (request, reply) => {
    const me = await auth.requireRole(request, 'admin');
    // A leaked token must not be able to mint itself successors: only a signed-in person can.
    if (me.via === 'token') throw new TollgateError('forbidden', 'API tokens are created by a signed-in user, not by another token.');
    const input = parseBody(tokenBody, request.body);
    const { token, record } = await auth.createApiToken(me.user.username, input, me.actor);
    return noStore(reply).code(201).send({ token, ...tokenJson(record) });
  });

  app.delete('/v1/admin/tokens/:id', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const me = await auth.requireRole(request, 'admin');
    if (!(await auth.revokeApiToken(request.params.id, me.actor))) throw new TollgateError('not_found', 'No such API token.');
    return noStore(reply).code(204).send();
  });
}
