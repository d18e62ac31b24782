// Response headers for every server-rendered page: a strict CSP (self only, no inline script),
// no referrer, no framing, no caching. Exported so other HTML routes (e.g. /dev/outbox) reuse it.
import type { FastifyReply } from 'fastify';
import type { CaptchaProvider } from '../ports.ts';
import { captchaCspSources } from './captcha-widget.ts';

export interface PageHeaderOptions {
  /** Extra https origins allowed to serve stylesheets (operator content-definition CSS). */
  styleOrigins?: string[];
  /** Extra origins a form may post to or be redirected to (the app's returnUrl origin). */
  formActionOrigins?: string[];
  /** The CAPTCHA provider whose widget the page shows (adds its script, frame, style and worker sources). */
  captcha?: CaptchaProvider;
}

function unique(list: string[]): string[] {
  return [...new Set(list.filter((s) => /^https?:\/\/[^\s;,'"]+$/.test(s)))];
}

/** CAPTCHA sources come from our own table (origins, `blob:`, style hashes), not from user input. */
function trusted(list: string[]): string[] {
  return [...new Set(list.filter((s) => /^(https:\/\/[^\s;,'"]+|blob:|'sha256-[A-Za-z0-9+/=]+')$/.test(s)))];
}

export function contentSecurityPolicy(opts: PageHeaderOptions = {}): string {
  const c = opts.captcha ? captchaCspSources(opts.captcha) : { scriptSrc: [], frameSrc: [], styleSrc: [], connectSrc: [], workerSrc: [] };
  const styles = ["'self'", ...unique(opts.styleOrigins ?? []), ...trusted(c.styleSrc)].join(' ');
  const forms = ["'self'", ...unique(opts.formActionOrigins ?? [])].join(' ');
  const directives = [
    "default-src 'none'",
    ["script-src 'self'", ...trusted(c.scriptSrc)].join(' '),
    `style-src ${styles}`,
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...trusted(c.connectSrc)].join(' '),
    `form-action ${forms}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ];
  if (c.workerSrc.length) directives.push(['worker-src', ...trusted(c.workerSrc)].join(' '));
  if (c.frameSrc.length) directives.push(['frame-src', ...trusted(c.frameSrc)].join(' '));
  return directives.join('; ');
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
