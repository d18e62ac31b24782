// The shell of every admin page: document head (shared stylesheet, CSRF meta for scripts, page
// scripts), the admin navigation, who is signed in with which role, and the sign-out form. The
// dashboard pages pass their content as `body`; everything goes through the escaping template.
import type { AdminRole } from '../../core/admin/model.ts';
import { assetUrl } from '../asset-urls.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { html, type SafeHtml } from '../html.ts';

export type AdminSection = 'overview' | 'details' | 'fraud' | 'alerts' | 'mitigations' | 'audit';

export const adminNav: readonly { section: AdminSection; label: string; href: string }[] = [
  { section: 'overview', label: 'Overview', href: '/admin' },
  { section: 'details', label: 'Details', href: '/admin/details' },
  { section: 'fraud', label: 'Fraud', href: '/admin/fraud' },
  { section: 'alerts', label: 'Alerts', href: '/admin/alerts' },
  { section: 'mitigations', label: 'Blocks & allows', href: '/admin/mitigations' },
  { section: 'audit', label: 'Audit', href: '/admin/audit' },
];

export interface AdminDocumentParts {
  title: string;
  body: SafeHtml;
  /** Header above <main> (the admin bar); none on the sign-in page. */
  banner?: SafeHtml;
  /** For scripts: `<meta name="csrf" content="…">`, sent back as the X-CSRF-Token header. */
  csrf?: string | null;
  /** Same-origin script paths (e.g. from assetUrl()), loaded with defer. Anything else is dropped. */
  scripts?: string[];
  /** Extra same-origin stylesheets (after the shared one and admin.css). */
  styles?: string[];
}

export interface AdminLayoutInput {
  title: string;
  user: { username: string; role: AdminRole };
  /** The nav entry marked aria-current; null when the page is none of them. */
  active: AdminSection | null;
  body: SafeHtml;
  csrf: string;
  scripts?: string[];
  styles?: string[];
}

/** Only same-origin absolute paths: the CSP allows 'self' scripts anyway, this keeps the markup honest. */
function sameOriginPaths(paths: string[] | undefined): string[] {
  return (paths ?? []).filter((p) => typeof p === 'string' && /^\/(?![/\\])[^\s"'<>\\]*$/.test(p));
}

/** A full admin HTML document (light and dark through the shared stylesheet). */
export function renderAdminDocument(parts: AdminDocumentParts): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex, nofollow">
${parts.csrf ? html`<meta name="csrf" content="${parts.csrf}">\n` : ''}<link rel="icon" href="data:,">
<title>${parts.title} · Tollgate admin</title>
<link rel="stylesheet" href="${assetUrl('phone-factor.css')}">
<link rel="stylesheet" href="${assetUrl('admin.css')}">
${sameOriginPaths(parts.styles).map((href) => html`<link rel="stylesheet" href="${href}">\n`)}${sameOriginPaths(parts.scripts).map((src) => html`<script src="${src}" defer></script>\n`)}</head>
<body class="tg-wide tg-admin">
<a class="tg-skip" href="#tg-main">Skip to content</a>
${parts.banner ?? ''}<main id="tg-main" class="tg-card" tabindex="-1">
${parts.body}
</main>
</body>
</html>
`.value;
}

function adminBar(input: AdminLayoutInput): SafeHtml {
  return html`<header class="tg-card tg-admin-bar">
<nav aria-label="Admin sections">
<ul class="tg-admin-nav">
${adminNav.map(
  (item) => html`<li><a href="${item.href}"${item.section === input.active ? html` aria-current="page"` : ''}>${item.label}</a></li>\n`,
)}</ul>
</nav>
<div class="tg-admin-user">
<p class="tg-hint">Signed in as <strong>${input.user.username}</strong> (<span class="tg-admin-role">${input.user.role}</span>)</p>
<form method="post" action="/admin/sign-out" class="tg-admin-sign-out">
<input type="hidden" name="${CSRF_FIELD}" value="${input.csrf}">
<button type="submit" class="tg-link">Sign out</button>
</form>
</div>
</header>
`;
}

/** A signed-in admin page: the bar (nav, user, sign out), the title as <h1>, then `body`. */
export function renderAdminLayout(input: AdminLayoutInput): string {
  return renderAdminDocument({
    title: input.title,
    banner: adminBar(input),
    body: html`<h1 id="tg-heading">${input.title}</h1>\n${input.body}`,
    csrf: input.csrf,
    scripts: input.scripts,
    styles: input.styles,
  });
}
