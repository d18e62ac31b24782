// Double-submit CSRF protection shared by the hosted page and the demo pages: a random cookie plus
// a hidden form field holding HMAC-SHA256(key, scope "." cookie). A POST is accepted only when both match.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const CSRF_FIELD = 'csrf';

export interface CsrfCookieOptions {
  /** Cookie name, e.g. `tg_csrf`. */
  name: string;
  /** Cookie path: only the routes under it receive the cookie, e.g. `/pf`. */
  path: string;
  /** Adds the Secure attribute (HTTPS deployments). */
  secure: boolean;
}

const cookieValuePattern = /^[A-Za-z0-9_-]{43}$/;

/** 32 random bytes, base64url (43 characters). */
export function newCsrfCookieValue(): string {
  return randomBytes(32).toString('base64url');
}

/** The hidden-field value bound to `scope` (the session id, or "demo") and the browser's cookie. */
export function csrfToken(key: Uint8Array, scope: string, cookieValue: string): string {
  return createHmac('sha256', key).update(`${scope}.${cookieValue}`).digest('base64url');
}

/** True when `submitted` is the token for this scope and cookie. Constant-time comparison. */
export function verifyCsrfToken(key: Uint8Array, scope: string, cookieValue: unknown, submitted: unknown): boolean {
  if (typeof cookieValue !== 'string' || !cookieValuePattern.test(cookieValue)) return false;
  if (typeof submitted !== 'string' || submitted.length === 0 || submitted.length > 100) return false;
  const expected = Buffer.from(csrfToken(key, scope, cookieValue));
  const given = Buffer.from(submitted);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The browser's CSRF cookie, set (HttpOnly; SameSite=Lax) when it is missing or malformed. */
export function ensureCsrfCookie(request: FastifyRequest, reply: FastifyReply, opts: CsrfCookieOptions): string {
  const existing = request.cookies?.[opts.name];
  if (typeof existing === 'string' && cookieValuePattern.test(existing)) return existing;
  const value = newCsrfCookieValue();
  reply.setCookie(opts.name, value, {
    path: opts.path,
    httpOnly: true,
    sameSite: 'lax',
    secure: opts.secure,
  });
  return value;
}

/** Checks a POST: the cookie from the request and the `csrf` field from the parsed form body. */
export function checkCsrf(request: FastifyRequest, key: Uint8Array, scope: string, cookieName: string): boolean {
  const body = request.body as Record<string, unknown> | null | undefined;
  const submitted = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
  return verifyCsrfToken(key, scope, request.cookies?.[cookieName], submitted);
}
