// The Alerts admin page (/admin/alerts): what is firing now, the rules (enabled, metric, group,
// window, threshold, actions, last fired) and the alert history, newest first. Admins also get
// plain forms — create, edit, enable/disable, delete or reset, evaluate now — each with its CSRF
// field, so everything works without JavaScript. Viewers read the same tables with phone numbers
// and webhook URLs masked (the route masks them before they get here).
import type { AdminRole } from '../../core/admin/model.ts';
import type { AlertGroupState } from '../../core/alerts/evaluation.ts';
import {
  type AlertAction, alertComparisons, alertCounts, alertGroupings, alertMetrics, type AlertRule, formatShare, formatThreshold,
} from '../../core/alerts/rule.ts';
import type { AlertHistoryEntry } from '../../core/alerts/store.ts';
import type { AlertRuleView } from '../../services/alert-service.ts';
import { assetUrl } from '../asset-urls.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { html, type SafeHtml } from '../html.ts';
import { renderAdminLayout } from './admin-layout.ts';

export const ALERTS_PATH = '/admin/alerts';

/** The create/edit form's fields, as strings (what a browser posts back). */
export type AlertFormValues = Partial<Record<
  'id' | 'name' | 'description' | 'metric' | 'counts' | 'groupBy' | 'windowMinutes' | 'settleMinutes' | 'comparison' | 'threshold'
  | 'relativeTo' | 'minVolume' | 'cooldownMinutes' | 'webhookUrl' | 'webhookFormat' | 'emailTo' | 'blockMinutes',
  string
>> & { enabled?: boolean; revealPhoneNumbers?: boolean };

export interface AlertsPageInput {
  user: { username: string; role: AdminRole };
  csrf: string;
  rules: AlertRuleView[];
  /** Groups firing now, group keys already as the role may see them. */
  firing: (AlertGroupState & { ruleName: string; shownGroup: string })[];
  /** Newest first, group keys and targets already as the role may see them. */
  history: AlertHistoryEntry[];
  now: number;
  notice?: string;
  /** A refused form: the message, the field at fault, and which form (`new` or a rule id) to show again with its values. */
  error?: { message: string; field?: string; form?: string; values?: AlertFormValues };
}

const iso = (ms: number) => new Date(ms).toISOString();
function timeTag(ms: number | null): SafeHtml | string {
  if (ms === null) return '—';
  return html`<time datetime="${iso(ms)}">${iso(ms).slice(0, 16).replace('T', ' ')} UTC</time>`;
}

const groupLabels: Record<AlertRule['groupBy'], string> = { none: 'all', ip: 'IP', phone: 'number', prefix: 'prefix', country: 'country', policy: 'policy' };

function metricLabel(rule: Pick<AlertRule, 'metric' | 'counts'>): string {
  return rule.metric === 'count' || rule.metric === 'rate' ? `${rule.metric} of ${rule.counts}` : rule.metric;
}

function thresholdLabel(rule: AlertRule): string {
  const op = rule.comparison === 'above' ? '≥' : '<';
  if (rule.relativeTo === 'spendCap') return `${op} ${formatShare(rule.threshold)} of the spend cap`;
  return `${op} ${formatThreshold(rule, rule.threshold)}${rule.minVolume > 0 ? ` (min. volume ${rule.minVolume})` : ''}`;
}

function actionLabel(a: AlertAction): string {
  if (a.type === 'webhook') return `webhook (${a.format}) ${a.url}`;
  if (a.type === 'email') return `email ${a.to.join(', ')}`;
  return `block ${a.minutes} min`;
}

function sourceLabel(v: AlertRuleView): string {
  const from = v.source === 'app' ? 'created in the app' : v.source === 'default' ? 'default rule' : 'configuration';
  return v.overridden ? `${from}, edited in the app` : from;
}

const hidden = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;

function ruleRow(v: AlertRuleView, input: AlertsPageInput): SafeHtml {
  const r = v.rule;
  const admin = input.user.role === 'admin';
  const controls = admin
    ? html`<div class="tg-alerts-controls">
<form method="post" action="${ALERTS_PATH}/rules/${v.id}/enabled">${hidden(input.csrf)}<input type="hidden" name="enabled" value="${r.enabled ? 'false' : 'true'}"><button type="submit" class="tg-link">${r.enabled ? 'Disable' : 'Enable'}</button></form>
<a href="#edit-${v.id}">Edit</a>
${v.source === 'app' || v.overridden
  ? html`<form method="post" action="${ALERTS_PATH}/rules/${v.id}/delete">${hidden(input.csrf)}<button type="submit" class="tg-link">${v.source === 'app' ? 'Delete' : 'Reset to declared'}</button></form>`
  : ''}
</div>`
    : '';
  return html`<tr id="rule-${v.id}" class="${r.enabled ? '' : 'tg-alerts-disabled'}">
<td><strong>${r.name}</strong><br><code>${v.id}</code> <span class="tg-alerts-source">${sourceLabel(v)}</span>${r.description ? html`<br><span class="tg-hint">${r.description}</span>` : ''}${controls}</td>
<td>${r.enabled ? 'on' : 'off'}</td>
<td>${metricLabel(r)}</td>
<td>${groupLabels[r.groupBy]}</td>
<td>${r.windowMinutes} min${r.settleMinutes ? html`<br><span class="tg-hint">ends ${r.settleMinutes} min ago</span>` : ''}</td>
<td>${thresholdLabel(r)}</td>
<td>${r.actions.length ? html`<ul class="tg-alerts-actions">${r.actions.map((a) => html`<li>${actionLabel(a)}</li>`)}</ul>` : html`<span class="tg-hint">history only</span>`}</td>
<td>${timeTag(v.lastFiredAt)}${v.firing ? html`<br><strong class="tg-alerts-firing">firing: ${v.firing}</strong>` : ''}</td>
</tr>
`;
}

function option(value: string, current: string | undefined, label = value): SafeHtml {
  return html`<option value="${value}"${value === current ? html` selected` : ''}>${label}</option>`;
}

/** Form values of an existing rule (the form holds one webhook, one email action and one block). */
export function formValuesOf(rule: AlertRule): AlertFormValues {
  const webhook = rule.actions.find((a) => a.type === 'webhook');
  const email = rule.actions.find((a) => a.type === 'email');
  const block = rule.actions.find((a) => a.type === 'block');
  return {
    id: rule.id, name: rule.name, description: rule.description ?? '', enabled: rule.enabled, metric: rule.metric, counts: rule.counts ?? '',
    groupBy: rule.groupBy, windowMinutes: String(rule.windowMinutes), settleMinutes: String(rule.settleMinutes), comparison: rule.comparison,
    threshold: String(rule.threshold), relativeTo: rule.relativeTo ?? '', minVolume: String(rule.minVolume), cooldownMinutes: String(rule.cooldownMinutes),
    revealPhoneNumbers: rule.revealPhoneNumbers, webhookUrl: webhook?.url ?? '', webhookFormat: webhook?.format ?? 'json',
    emailTo: email?.to.join(', ') ?? '', blockMinutes: block ? String(block.minutes) : '',
  };
}

/** True when the form can hold every action of the rule (at most one of each type). */
export function fitsForm(rule: AlertRule): boolean {
  return ['webhook', 'email', 'block'].every((t) => rule.actions.filter((a) => a.type === t).length <= 1);
}

function ruleForm(action: string, key: string, v: AlertFormValues, csrf: string, error: AlertsPageInput['error'], isNew: boolean): SafeHtml {
  const mine = error && error.form === key ? error : undefined;
  const bad = (field: string) => (mine?.field === field || mine?.field?.startsWith(`${field}.`) ? html` aria-invalid="true"` : '');
  const f = (name: string) => `${key}-${name}`;
  const text = (name: keyof AlertFormValues, label: string, attrs: SafeHtml | string = '', hint = '') => html`<div class="tg-field">
<label for="${f(name)}">${label}</label>
<input type="text" id="${f(name)}" name="${name}" value="${(v[name] as string | undefined) ?? ''}"${attrs}${bad(name)}${hint ? html` aria-describedby="${f(name)}-hint"` : ''}>
${hint ? html`<span class="tg-hint" id="${f(name)}-hint">${hint}</span>` : ''}
</div>`;
  const select = (name: keyof AlertFormValues, label: string, options: SafeHtml[]) => html`<div class="tg-field">
<label for="${f(name)}">${label}</label>
<select id="${f(name)}" name="${name}"${bad(name)}>${options}</select>
</div>`;
  const check = (name: 'enabled' | 'revealPhoneNumbers', label: string) => html`<div class="tg-field tg-alerts-check">
<input type="checkbox" id="${f(name)}" name="${name}" value="true"${v[name] ? html` checked` : ''}><label for="${f(name)}">${label}</label>
</div>`;
  return html`<form method="post" action="${action}" class="tg-form tg-alerts-form">
${hidden(csrf)}
${mine ? html`<div class="tg-alert tg-failure"><p>${mine.message}</p></div>` : ''}
<div class="tg-alerts-grid">
${isNew ? text('id', 'Id (optional)', html` maxlength="64"`, 'lower-case letters, digits and -') : ''}
${text('name', 'Name', html` required maxlength="100"`)}
${text('description', 'Description', html` maxlength="500"`)}
${select('metric', 'Metric', alertMetrics.map((m) => option(m, v.metric)))}
${select('counts', 'Counts (count and rate)', [option('', v.counts, '—'), ...alertCounts.map((c) => option(c, v.counts))])}
${select('groupBy', 'Group by', alertGroupings.map((g) => option(g, v.groupBy)))}
${text('windowMinutes', 'Window (minutes)', html` inputmode="numeric"`)}
${text('settleMinutes', 'Settle (minutes)', html` inputmode="numeric"`, 'the window ends this long ago')}
${select('comparison', 'Fires when', alertComparisons.map((c) => option(c, v.comparison, c === 'above' ? 'at or above' : 'below')))}
${text('threshold', 'Threshold', html` inputmode="decimal" required`, 'rate, conversion, spend cap: a share 0–1')}
${select('relativeTo', 'Threshold of', [option('', v.relativeTo, 'the value itself'), option('spendCap', v.relativeTo, 'the spend cap (spend)')])}
${text('minVolume', 'Minimum volume', html` inputmode="numeric"`)}
${text('cooldownMinutes', 'Cooldown (minutes)', html` inputmode="numeric"`)}
${text('webhookUrl', 'Webhook URL', html` inputmode="url" maxlength="2000"`)}
${select('webhookFormat', 'Webhook format', [option('json', v.webhookFormat, 'JSON'), option('slack', v.webhookFormat, 'Slack')])}
${text('emailTo', 'Email to', html` inputmode="email"`, 'addresses, comma-separated')}
${text('blockMinutes', 'Block for (minutes)', html` inputmode="numeric"`, 'empty: no block; groupBy ip, phone, prefix or country')}
</div>
${check('enabled', 'Enabled')}
${check('revealPhoneNumbers', 'Show phone numbers in full in webhooks and emails')}
<div class="tg-actions"><button type="submit" class="tg-button tg-primary">${isNew ? 'Create rule' : 'Save rule'}</button></div>
</form>`;
}

function firingValue(f: AlertGroupState, rules: AlertRuleView[]): string {
  const rule = rules.find((r) => r.id === f.ruleId)?.rule;
  if (f.value === null) return 'n/a';
  return rule ? formatThreshold(rule, f.value) : String(f.value);
}

function historyRow(h: AlertHistoryEntry): SafeHtml {
  const metric = { metric: h.metric };
  const value = h.value === null ? 'n/a' : formatThreshold(metric, h.value);
  const op = h.comparison === 'above' ? '≥' : '<';
  return html`<tr class="tg-alerts-${h.kind}">
<td>${timeTag(h.time)}</td>
<td>${h.ruleName}<br><code>${h.ruleId}</code></td>
<td>${h.kind}</td>
<td>${groupLabels[h.groupBy] ?? h.groupBy} ${h.groupBy === 'none' ? '' : html`<code>${h.group}</code>`}</td>
<td>${value} <span class="tg-hint">vs ${op} ${formatThreshold(metric, h.threshold)}</span></td>
<td>${h.actions.length
    ? html`<ul class="tg-alerts-actions">${h.actions.map((a) => html`<li class="${a.ok ? 'tg-alerts-ok' : 'tg-alerts-failed'}">${a.type} ${a.target}: <strong>${a.ok ? 'ok' : 'failed'}</strong> <span class="tg-hint">${a.detail}</span></li>`)}</ul>`
    : html`<span class="tg-hint">none</span>`}</td>
</tr>
`;
}

export function renderAlertsPage(input: AlertsPageInput): string {
  const admin = input.user.role === 'admin';
  const err = input.error;
  const newValues: AlertFormValues = err?.form === 'new' && err.values ? err.values : { enabled: true, metric: 'count', counts: 'unconfirmed', groupBy: 'prefix', windowMinutes: '60', comparison: 'above', cooldownMinutes: '60' };
  const body = html`${input.notice ? html`<div class="tg-alert tg-success" role="status"><p>${input.notice}</p></div>\n` : ''}${err ? html`<div class="tg-alert tg-failure" role="alert"><p>${err.form ? 'Not saved: ' : ''}${err.message}${err.form ? html` <a href="${err.form === 'new' ? '#new-heading' : `#edit-${err.form}`}">Back to the form</a>` : ''}</p></div>\n` : ''}<p class="tg-intro">Rules over the event log, evaluated every minute: the history below lists every alert fired and resolved, and what its webhooks, emails and blocks did. See docs/alerts.md.</p>
${admin ? html`<form method="post" action="${ALERTS_PATH}/evaluate" class="tg-alerts-evaluate">${hidden(input.csrf)}<button type="submit" class="tg-button tg-secondary">Evaluate now</button></form>\n` : ''}
<section aria-labelledby="firing-heading">
<h2 id="firing-heading">Firing now</h2>
${input.firing.length === 0
  ? html`<p class="tg-hint">Nothing is firing.</p>`
  : html`<div class="tg-table-wrap"><table class="tg-table tg-alerts-table"><thead><tr><th scope="col">Rule</th><th scope="col">Group</th><th scope="col">Since</th><th scope="col">Value</th></tr></thead><tbody>
${input.firing.map((f) => html`<tr><td>${f.ruleName} <code>${f.ruleId}</code></td><td><code>${f.shownGroup}</code></td><td>${timeTag(f.since)}</td><td>${firingValue(f, input.rules)}</td></tr>\n`)}</tbody></table></div>`}
</section>
<section aria-labelledby="rules-heading">
<h2 id="rules-heading">Rules</h2>
<div class="tg-table-wrap"><table class="tg-table tg-alerts-table tg-alerts-rules">
<thead><tr><th scope="col">Rule</th><th scope="col">Enabled</th><th scope="col">Metric</th><th scope="col">Group</th><th scope="col">Window</th><th scope="col">Threshold</th><th scope="col">Actions</th><th scope="col">Last fired</th></tr></thead>
<tbody>
${input.rules.map((v) => ruleRow(v, input))}</tbody></table></div>
</section>
${admin
  ? html`<section aria-labelledby="edit-heading">
<h2 id="edit-heading">Edit a rule</h2>
<p class="tg-hint">A default or configured rule edited here keeps the app's version until you reset it (docs/alerts.md, "Precedence").</p>
${input.rules.map((v) => html`<details id="edit-${v.id}" class="tg-alerts-edit"${err?.form === v.id ? html` open` : ''}>
<summary>${v.rule.name} <code>${v.id}</code></summary>
${fitsForm(v.rule)
  ? ruleForm(`${ALERTS_PATH}/rules/${v.id}`, v.id, err?.form === v.id && err.values ? err.values : formValuesOf(v.rule), input.csrf, err, false)
  : html`<p class="tg-hint">This rule has several actions of one type: edit it through the API (PUT /v1/admin/alerts/rules/${v.id}).</p>`}
</details>
`)}</section>
<section aria-labelledby="new-heading">
<h2 id="new-heading">New rule</h2>
${ruleForm(`${ALERTS_PATH}/rules`, 'new', newValues, input.csrf, err, true)}
</section>
`
  : ''}<section aria-labelledby="history-heading">
<h2 id="history-heading">History</h2>
${input.history.length === 0
  ? html`<p class="tg-hint">No alert has fired yet.</p>`
  : html`<div class="tg-table-wrap"><table class="tg-table tg-alerts-table tg-alerts-history">
<thead><tr><th scope="col">Time</th><th scope="col">Rule</th><th scope="col">Event</th><th scope="col">Group</th><th scope="col">Value vs threshold</th><th scope="col">Actions and results</th></tr></thead>
<tbody>
${input.history.map(historyRow)}</tbody></table></div>`}
</section>`;
  return renderAdminLayout({
    title: 'Alerts',
    user: input.user,
    active: 'alerts',
    body,
    csrf: input.csrf,
    styles: [assetUrl('admin-alerts.css')],
  });
}
