// The "Blocks & allows" admin page: what was just done (with Undo and a way back to the dashboard
// row it came from), the active reputation entries (Remove), the recently expired or removed ones
// (collapsed, with one-click block/allow again) and a form to add an entry by hand. Viewers see
// the same lists read-only, with phone numbers masked.
import { canSeeFullNumbers } from '../../core/admin/model.ts';
import type { AdminRole } from '../../core/admin/model.ts';
import { maskPhoneNumber } from '../../core/phone/phone-number.ts';
import type { ReputationEntry, ReputationKind } from '../../ports.ts';
import { assetUrl } from '../asset-urls.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { html, type SafeHtml } from '../html.ts';
import { renderAdminLayout } from './admin-layout.ts';
import { MITIGATION_TTLS, type MitigationKind, mitigationControls } from './mitigation-controls.ts';

export const MITIGATIONS_PATH = '/admin/mitigations';

/** A value as the page shows it to the role: viewers never see a whole phone number. */
export function shownValue(kind: string, value: string, role: AdminRole): string {
  return kind === 'number' && !canSeeFullNumbers(role) ? maskPhoneNumber(value) : value;
}

const kindLabels: Record<ReputationKind, string> = {
  number: 'number', prefix: 'prefix', ip: 'IP', cidr: 'range', asn: 'network (ASN)', country: 'country',
};
export const kindLabel = (kind: string): string => kindLabels[kind as ReputationKind] ?? kind;

const iso = (ms: number) => new Date(ms).toISOString();
/** `2026-03-01 13:00 UTC`: one zone for everyone reading the same list. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : `${iso(ms).slice(0, 16).replace('T', ' ')} UTC`;
}

export function timeTag(ms: number): SafeHtml {
  return html`<time datetime="${iso(ms)}">${formatTime(ms)}</time>`;
}

/** `1 hour`, `15 minutes`, `7 days`, `90 seconds`. */
export function formatDuration(seconds: number): string {
  const units: [number, string][] = [[86_400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

/** `in 45 min`, `in 3 h`, `in 2 d`. */
function fromNow(ms: number, now: number): string {
  const s = Math.max(0, Math.round((ms - now) / 1000));
  if (s < 60) return `in ${s} s`;
  if (s < 3600) return `in ${Math.round(s / 60)} min`;
  if (s < 172_800) return `in ${Math.round(s / 3600)} h`;
  return `in ${Math.round(s / 86_400)} d`;
}

const verb = (list: string) => (list === 'allow' ? 'Allowed' : 'Blocked');

export interface EndedEntry {
  id: string;
  kind: ReputationKind;
  value: string;
  list: 'block' | 'allow';
  note: string;
  createdBy: string;
  /** When it expired or was removed. */
  endedAt: number;
  how: 'expired' | 'removed';
  /** Who removed it (audit actor); null for an expiry. */
  by: string | null;
}

/** What the page says at the top after an action (from the query: done, undone or removed). */
export interface MitigationNotice {
  action: 'done' | 'undone' | 'removed';
  entry: { id: string; kind: string; value: string; list: string; expiresAt: number | null };
  /** done: the entry is still listed and active (so it can be undone). */
  active: boolean;
  /** done: the duration asked for. */
  ttlSeconds: number | null;
  /** done: the value was already listed, and that entry was updated. */
  extended: boolean;
  /** undone: the entry was put back as it was before the add, not removed. */
  restored: boolean;
  /** done, block: an allow entry of the same value is active, and it wins. */
  allowWins: boolean;
  /** Where the action started (a dashboard page), already checked to be a same-origin /admin path. */
  returnTo: string | null;
}

export interface MitigationFormValues {
  kind?: string;
  value?: string;
  list?: string;
  ttl?: string;
  note?: string;
}

export interface MitigationsPageInput {
  user: { username: string; role: AdminRole };
  csrf: string;
  now: number;
  /** Active entries, newest first. */
  active: ReputationEntry[];
  /** Recently expired or removed, newest first. */
  ended: EndedEntry[];
  notice?: MitigationNotice | null;
  error?: { code: string; message: string; field?: string } | null;
  /** What the add form held when it was refused. */
  form?: MitigationFormValues;
}

const MAX_ROWS = 500;

function csrfField(csrf: string): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;
}

function noticeBlock(n: MitigationNotice, input: MitigationsPageInput): SafeHtml {
  const what = html`${kindLabel(n.entry.kind)} <span dir="ltr">${shownValue(n.entry.kind, n.entry.value, input.user.role)}</span>`;
  const back = n.returnTo && n.returnTo.split('?')[0] !== MITIGATIONS_PATH ? html` <a href="${n.returnTo}" class="tg-mitigate-back">Back</a>` : '';
  if (n.action !== 'done') {
    const text = n.action === 'undone'
      ? n.restored
        ? html`Undone: the ${n.entry.list === 'allow' ? 'allow' : 'block'} of ${what} is back as it was${n.entry.expiresAt === null ? '' : html` (until ${timeTag(n.entry.expiresAt)})`}.`
        : html`Undone: ${what} is no longer ${n.entry.list === 'allow' ? 'allowed' : 'blocked'}.`
      : html`Removed: ${what} is no longer ${n.entry.list === 'allow' ? 'allowed' : 'blocked'}.`;
    return html`<div class="tg-mitigate-notice" role="status"><p>${text}${back}</p></div>\n`;
  }
  if (!n.active) {
    return html`<div class="tg-mitigate-notice" role="status"><p>The ${n.entry.list === 'allow' ? 'allow' : 'block'} of ${what} is no longer active.${back}</p></div>\n`;
  }
  const duration = n.ttlSeconds !== null ? html` for ${formatDuration(n.ttlSeconds)}` : '';
  const until = n.entry.expiresAt === null ? html` (until removed)` : html` (until ${timeTag(n.entry.expiresAt)})`;
  const undo = input.user.role === 'admin'
    ? html` — <form method="post" action="${MITIGATIONS_PATH}/${n.entry.id}/undo" class="tg-inline-form">${csrfField(input.csrf)}${
        n.returnTo ? html`<input type="hidden" name="returnTo" value="${n.returnTo}">` : ''
      }<button type="submit" class="tg-link tg-mitigate-undo">Undo</button></form>`
    : '';
  return html`<div class="tg-mitigate-notice" role="status">
<div class="tg-mitigate-notice-line"><strong>${verb(n.entry.list)} ${what}${duration}</strong>${until}${undo}${back}</div>
${n.extended ? html`<p class="tg-hint">It was already ${n.entry.list === 'allow' ? 'allowed' : 'blocked'}: that entry was updated (an add never shortens an entry; the later expiry wins).</p>\n` : ''}${
    n.allowWins ? html`<p class="tg-mitigate-warning">The same ${kindLabel(n.entry.kind)} is on the allow list, and an allow wins over a block of the same kind: remove the allow entry below for this block to take effect.</p>\n` : ''
  }</div>
`;
}

function expiresCell(e: { expiresAt: number | null }, now: number): SafeHtml {
  return e.expiresAt === null ? html`until removed` : html`${timeTag(e.expiresAt)}<br><span class="tg-hint">${fromNow(e.expiresAt, now)}</span>`;
}

function listBadge(list: string): SafeHtml {
  return html`<span class="tg-mitigate-list tg-mitigate-list-${list === 'allow' ? 'allow' : 'block'}">${list}</span>`;
}

function activeTable(input: MitigationsPageInput): SafeHtml {
  const admin = input.user.role === 'admin';
  if (input.active.length === 0) return html`<p class="tg-hint" id="tg-active-empty">Nothing is blocked or allowed right now.</p>\n`;
  const rows = input.active.slice(0, MAX_ROWS).map(
    (e) => html`<tr id="entry-${e.id}">
<td>${kindLabel(e.kind)}</td>
<td dir="ltr" class="tg-mitigate-value">${shownValue(e.kind, e.value, input.user.role)}</td>
<td>${listBadge(e.list)}</td>
<td>${expiresCell(e, input.now)}</td>
<td>${e.note}</td>
<td>${e.createdBy}</td>
<td>${timeTag(e.createdAt)}</td>
${admin ? html`<td><form method="post" action="${MITIGATIONS_PATH}/${e.id}/remove" class="tg-inline-form">${csrfField(input.csrf)}<button type="submit" class="tg-link" aria-label="Remove the ${e.list} of ${kindLabel(e.kind)} ${e.value}">Remove</button></form></td>\n` : ''}</tr>
`,
  );
  return html`<div class="tg-table-wrap"><table class="tg-table tg-mitigate-table" id="tg-active">
<caption class="tg-visually-hidden">Active entries, newest first</caption>
<thead><tr><th scope="col">Kind</th><th scope="col">Value</th><th scope="col">List</th><th scope="col">Expires</th><th scope="col">Note</th><th scope="col">Created by</th><th scope="col">Created at</th>${admin ? html`<th scope="col"><span class="tg-visually-hidden">Actions</span></th>` : ''}</tr></thead>
<tbody>
${rows}</tbody>
</table></div>
${input.active.length > MAX_ROWS ? html`<p class="tg-hint">Showing the newest ${MAX_ROWS} of ${input.active.length} entries; <code>tollgate block list</code> prints them all.</p>\n` : ''}`;
}

const oneClickKinds = new Set<string>(['number', 'prefix', 'ip', 'cidr', 'country']);

function endedList(input: MitigationsPageInput): SafeHtml {
  const admin = input.user.role === 'admin';
  const rows = input.ended.map(
    (e) => html`<tr>
<td>${kindLabel(e.kind)}</td>
<td dir="ltr" class="tg-mitigate-value">${shownValue(e.kind, e.value, input.user.role)}</td>
<td>${listBadge(e.list)}</td>
<td>${timeTag(e.endedAt)}</td>
<td>${e.how === 'expired' ? 'expired' : html`removed by ${e.by ?? 'someone'}`}</td>
<td>${e.note}</td>
${admin ? html`<td>${oneClickKinds.has(e.kind) ? mitigationControls({ kind: e.kind as MitigationKind, value: e.value }, { role: input.user.role, csrf: input.csrf, returnTo: MITIGATIONS_PATH }) : ''}</td>\n` : ''}</tr>
`,
  );
  return html`<details class="tg-mitigate-ended" id="tg-ended">
<summary>Recently expired or removed (${input.ended.length})</summary>
${
    input.ended.length === 0
      ? html`<p class="tg-hint">Nothing expired or was removed in the last 7 days.</p>\n`
      : html`<div class="tg-table-wrap"><table class="tg-table tg-mitigate-table">
<caption class="tg-visually-hidden">Entries that expired or were removed in the last 7 days, newest first</caption>
<thead><tr><th scope="col">Kind</th><th scope="col">Value</th><th scope="col">List</th><th scope="col">Ended</th><th scope="col">How</th><th scope="col">Note</th>${admin ? html`<th scope="col">Again</th>` : ''}</tr></thead>
<tbody>
${rows}</tbody>
</table></div>
`
  }</details>
`;
}

const formKinds: ReputationKind[] = ['number', 'prefix', 'ip', 'cidr', 'asn', 'country'];

function addForm(input: MitigationsPageInput): SafeHtml {
  const f = input.form ?? {};
  const field = input.error?.field;
  const invalid = (name: string) => (field === name ? html` aria-invalid="true" aria-describedby="tg-error"` : '');
  const list = f.list === 'allow' ? 'allow' : 'block';
  const ttl = f.ttl ?? MITIGATION_TTLS[0]!.ttl;
  const ttlOptions = MITIGATION_TTLS.some((t) => t.ttl === ttl) ? MITIGATION_TTLS : [...MITIGATION_TTLS, { ttl, label: ttl }];
  return html`<h2 id="tg-add-heading">Add an entry</h2>
<form method="post" action="${MITIGATIONS_PATH}" class="tg-form tg-mitigate-add" aria-labelledby="tg-add-heading" novalidate>
${csrfField(input.csrf)}
<input type="hidden" name="returnTo" value="${MITIGATIONS_PATH}">
<div class="tg-mitigate-add-grid">
<div class="tg-field">
<label for="tg-add-kind">Kind</label>
<select id="tg-add-kind" name="kind"${invalid('kind')}>${formKinds.map((k) => html`<option value="${k}"${(f.kind ?? 'number') === k ? html` selected` : ''}>${kindLabel(k)}</option>`)}</select>
</div>
<div class="tg-field">
<label for="tg-add-value">Value</label>
<input type="text" id="tg-add-value" name="value" value="${f.value ?? ''}" required maxlength="100" autocomplete="off" spellcheck="false" dir="ltr" placeholder="+447400123456, +4474001, 203.0.113.0/24, GB"${invalid('value')}>
</div>
<div class="tg-field">
<label for="tg-add-ttl">For</label>
<select id="tg-add-ttl" name="ttl"${invalid('ttl')}>${ttlOptions.map((t) => html`<option value="${t.ttl}"${t.ttl === ttl ? html` selected` : ''}>${t.label}</option>`)}</select>
</div>
<div class="tg-field">
<label for="tg-add-note">Note <span class="tg-hint">(optional)</span></label>
<input type="text" id="tg-add-note" name="note" value="${f.note ?? ''}" maxlength="400" autocomplete="off"${invalid('note')}>
</div>
</div>
<fieldset class="tg-mitigate-add-list"${field === 'list' ? html` aria-invalid="true" aria-describedby="tg-error"` : ''}>
<legend>List</legend>
<label class="tg-radio"><input type="radio" name="list" value="block"${list === 'block' ? html` checked` : ''}> Block (numbers, prefixes and countries are refused; IPs, ranges and networks get a challenge)</label>
<label class="tg-radio"><input type="radio" name="list" value="allow"${list === 'allow' ? html` checked` : ''}> Allow (lifts blocks of the same or a broader scope)</label>
</fieldset>
<div class="tg-actions"><button type="submit" class="tg-button tg-primary">Add</button></div>
</form>
`;
}

export function renderMitigationsPage(input: MitigationsPageInput): string {
  const admin = input.user.role === 'admin';
  const body = html`${
    input.error
      ? html`<div id="tg-error" class="tg-alert" role="alert" tabindex="-1" data-code="${input.error.code}"${input.error.field ? html` data-field="${input.error.field}"` : ''}><p>${input.error.message}</p></div>\n`
      : ''
  }${input.notice ? noticeBlock(input.notice, input) : ''}<p class="tg-intro">The allow and block lists the defense checks before every send. A block of a number, prefix or country refuses the send; a block of an IP, range or network asks for a challenge. The most specific entry wins, and an allow wins over a block of the same kind.${
    admin ? '' : ' You can view these lists; blocking and allowing need the admin role.'
  }</p>
<h2 id="tg-active-heading">Active (${input.active.length})</h2>
${activeTable(input)}${endedList(input)}${admin ? addForm(input) : ''}`;
  return renderAdminLayout({
    title: 'Blocks & allows',
    user: input.user,
    active: 'mitigations',
    body,
    csrf: input.csrf,
    styles: [assetUrl('admin-mitigate.css')],
    scripts: [assetUrl('admin-mitigate.js')],
  });
}

/** A page of the admin app that only says why the request was refused (e.g. 403 for a viewer). */
export function renderAdminProblemPage(input: {
  user: { username: string; role: AdminRole };
  csrf: string;
  title: string;
  active: 'mitigations' | 'audit';
  code: string;
  message: string;
}): string {
  return renderAdminLayout({
    title: input.title,
    user: input.user,
    active: input.active,
    csrf: input.csrf,
    styles: [assetUrl('admin-mitigate.css')],
    body: html`<div id="tg-error" class="tg-alert" role="alert" tabindex="-1" data-code="${input.code}"><p>${input.message}</p></div>
<p><a href="/admin">Back to the overview</a></p>
`,
  });
}
