// The audit trail page (admins only): newest first, filtered by action and actor, a page at a time,
// with a CSV export of the same filter. Details are facts recorded by the service, but they hold
// values typed by people (usernames, notes, list values), so every one goes through the escaping template.
import type { AdminRole } from '../../core/admin/model.ts';
import type { AuditEntry } from '../../core/admin/audit.ts';
import { assetUrl } from '../asset-urls.ts';
import { html, type SafeHtml } from '../html.ts';
import { renderAdminLayout } from './admin-layout.ts';
import { formatTime, timeTag } from './mitigations-page.ts';

export interface AuditFilters {
  action?: string;
  actor?: string;
}

export interface AuditPageInput {
  user: { username: string; role: AdminRole };
  csrf: string;
  entries: AuditEntry[];
  filters: AuditFilters;
  /** Choices for the filters (known actions and the distinct values in the trail). */
  actions: string[];
  actors: string[];
  /** Link to the next (older) page; null on the last one. */
  olderHref: string | null;
  /** Link back to the newest entries; null on the first page. */
  newestHref: string | null;
  csvHref: string;
  error?: { code: string; message: string; field?: string } | null;
}

const MAX_DETAIL_CHARS = 300;

/** Epoch-ms fields (`expiresAt`, …) read as times; objects as JSON; everything clipped. */
export function detailText(key: string, value: unknown): string {
  let text: string;
  if (typeof value === 'number' && /At$/.test(key) && Number.isFinite(value) && value > 0) text = formatTime(value);
  else if (typeof value === 'string') text = value;
  else text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS - 1)}…` : text;
}

function details(d: Record<string, unknown>): SafeHtml | string {
  const keys = Object.keys(d);
  if (keys.length === 0) return '';
  return html`<dl class="tg-audit-details">${keys.map((k) => html`<div><dt>${k}</dt><dd>${detailText(k, d[k])}</dd></div>`)}</dl>`;
}

function filterForm(input: AuditPageInput): SafeHtml {
  const f = input.filters;
  const actions = [...new Set([...input.actions, ...(f.action ? [f.action] : [])])];
  const invalid = (name: string) => (input.error?.field === name ? html` aria-invalid="true" aria-describedby="tg-error"` : '');
  return html`<form method="get" action="/admin/audit" class="tg-audit-filters" role="search" aria-label="Filter the audit trail">
<div class="tg-field">
<label for="tg-audit-action">Action</label>
<select id="tg-audit-action" name="action"${invalid('action')}><option value="">All actions</option>${actions.map(
    (a) => html`<option value="${a}"${a === f.action ? html` selected` : ''}>${a}</option>`,
  )}</select>
</div>
<div class="tg-field">
<label for="tg-audit-actor">Actor</label>
<input type="text" id="tg-audit-actor" name="actor" value="${f.actor ?? ''}" list="tg-audit-actors" maxlength="200" autocomplete="off" spellcheck="false" placeholder="user:alice, cli, …"${invalid('actor')}>
<datalist id="tg-audit-actors">${input.actors.map((a) => html`<option value="${a}"></option>`)}</datalist>
</div>
<div class="tg-audit-filter-actions">
<button type="submit" class="tg-button tg-primary">Filter</button>
${f.action || f.actor ? html`<a href="/admin/audit">Clear</a>` : ''}
</div>
</form>
`;
}

function table(input: AuditPageInput): SafeHtml {
  if (input.entries.length === 0) return html`<p class="tg-hint" id="tg-audit-empty">No audit entries${input.filters.action || input.filters.actor ? ' match this filter' : ''}.</p>\n`;
  const rows = input.entries.map(
    (e) => html`<tr>
<td>${timeTag(e.time)}</td>
<td>${e.actor}</td>
<td><code>${e.action}</code></td>
<td class="tg-audit-target">${e.target}</td>
<td>${details(e.details)}</td>
</tr>
`,
  );
  return html`<div class="tg-table-wrap"><table class="tg-table tg-audit-table" id="tg-audit">
<caption class="tg-visually-hidden">Audit entries, newest first</caption>
<thead><tr><th scope="col">Time</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Details</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>
`;
}

export function renderAuditPage(input: AuditPageInput): string {
  const pager = input.olderHref || input.newestHref
    ? html`<nav class="tg-audit-pager" aria-label="Pages">${input.newestHref ? html`<a href="${input.newestHref}">← Newest</a>` : ''}${
        input.olderHref ? html`<a href="${input.olderHref}" rel="next">Older →</a>` : ''
      }</nav>\n`
    : '';
  const body = html`${
    input.error ? html`<div id="tg-error" class="tg-alert" role="alert" tabindex="-1" data-code="${input.error.code}"><p>${input.error.message}</p></div>\n` : ''
  }<p class="tg-intro">Who did what, newest first: sign-ins, users and API tokens, and every change to the allow and block lists (dashboard, admin API and CLI).</p>
${filterForm(input)}<p class="tg-audit-export"><a href="${input.csvHref}" download>Export CSV</a> <span class="tg-hint">(this filter, every page)</span></p>
${table(input)}${pager}`;
  return renderAdminLayout({
    title: 'Audit trail',
    user: input.user,
    active: 'audit',
    body,
    csrf: input.csrf,
    styles: [assetUrl('admin-mitigate.css')],
  });
}
