// Response headers for every server-rendered page: a strict CSP (self only, no inline script),
// no referrer, no framing, no caching. Exported so other HTML routes (e.g. /dev/outbox) reuse it.
import type { FastifyReply } from 'fastify';

export interface PageHeaderOptions {
  /** Extra https origins allowed to serve stylesheets (operator content-definition CSS). */
  styleOrigins?: string[];
  /** Extra origins a form may post to or be redirected to (the app's returnUrl origin). */
  formActionOrigins?: string[];
}

function unique(list: string[]): string[] {
  return [...new Set(list.filter((s) => /^https?:\/\/[^\s;,'"]+$/.test(s)))];
}

export function contentSecurityPolicy(opts: PageHeaderOptions = {}): string {
  const styles = ["'self'", ...unique(opts.styleOrigins ?? [])].join(' ');
  const forms = ["'self'", ...unique(opts.formActionOrigins ?? [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src ${styles}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    `form-action ${forms}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function pageSecurityHeaders(opts: PageHeaderOptions = {}): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': contentSecurityPolicy(opts),
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}

/** Sets the page headers on a reply (content type included). */
export function applyPageHeaders(reply: FastifyReply, opts: PageHeaderOptions = {}): FastifyReply {
  return reply.headers(pageSecurityHeaders(opts));
}
