// The global filter bar (a GET form, so the state lives in the URL and survives reloads, bookmarks
// and shared links) and the workbook's tab links, which carry the current filters.
import { DEFAULT_PRESET, timeRangePresets, workbookChannels } from '../../core/workbook/filters.ts';
import { html, type SafeHtml } from '../html.ts';
import { type DashboardState, type DashboardTab, type DrillDown, tabHref, tabPaths } from './workbook-url.ts';

const presetLabels: Record<string, string> = {
  '5m': 'Last 5 minutes', '15m': 'Last 15 minutes', '30m': 'Last 30 minutes', '1h': 'Last hour', '4h': 'Last 4 hours',
  '12h': 'Last 12 hours', '1d': 'Last 24 hours', '2d': 'Last 2 days', '3d': 'Last 3 days', '7d': 'Last 7 days',
  '14d': 'Last 14 days', '28d': 'Last 28 days', '30d': 'Last 30 days', '60d': 'Last 60 days', '90d': 'Last 90 days',
};

const channelLabels: Record<string, string> = { sms: 'SMS', voice: 'Voice', email: 'Email' };

/** The values the form shows: the canonical state, or what was submitted when it was invalid. */
export interface FilterValues {
  range: string;
  from: string;
  to: string;
  policy: string;
  app: string;
  channel: string;
}

export function filterValues(state: DashboardState): FilterValues {
  return {
    range: state.range ?? (state.from ? 'custom' : DEFAULT_PRESET),
    from: state.from ?? '',
    to: state.to ?? '',
    policy: state.policy ?? '',
    app: state.app ?? '',
    channel: state.channel ?? '',
  };
}

export interface FilterBarInput {
  tab: DashboardTab;
  values: FilterValues;
  /** Kept as hidden fields, so changing the range keeps the number or IP being looked at. */
  drill: DrillDown;
  policies: readonly string[];
  apps: readonly string[];
  /** The field an error was about: marked aria-invalid and tied to the message. */
  invalidField?: string | null;
}

const selected = (on: boolean) => (on ? html` selected` : '');

export function filterBar(input: FilterBarInput): SafeHtml {
  const v = input.values;
  const bad = (field: string) => (input.invalidField === field ? html` aria-invalid="true" aria-describedby="tg-wb-error"` : '');
  const known = Object.hasOwn(timeRangePresets, v.range) || v.range === 'custom';
  return html`<form class="tg-wb-filters" method="get" action="${tabPaths[input.tab]}" role="search" aria-label="Dashboard filters">
<div class="tg-field tg-wb-range">
<label for="tg-f-range">Time range</label>
<select id="tg-f-range" name="range"${bad('range')}>
${Object.keys(timeRangePresets).map((p) => html`<option value="${p}"${selected(v.range === p)}>${presetLabels[p] ?? p}</option>`)}
<option value="custom"${selected(v.range === 'custom')}>Custom (From / To)</option>
${known ? '' : html`<option value="${v.range}" selected>${v.range}</option>`}
</select>
</div>
<div class="tg-field">
<label for="tg-f-from">From <span class="tg-hint">(UTC)</span></label>
<input type="datetime-local" id="tg-f-from" name="from" value="${v.from}"${bad('from')}>
</div>
<div class="tg-field">
<label for="tg-f-to">To <span class="tg-hint">(UTC, empty: now)</span></label>
<input type="datetime-local" id="tg-f-to" name="to" value="${v.to}"${bad('to')}>
</div>
<div class="tg-field">
<label for="tg-f-policy">Policy</label>
<input type="text" id="tg-f-policy" name="policy" value="${v.policy}" list="tg-f-policies" maxlength="256" autocomplete="off" spellcheck="false" placeholder="All policies"${bad('policy')}>
<datalist id="tg-f-policies">${input.policies.map((p) => html`<option value="${p}"></option>`)}</datalist>
</div>
<div class="tg-field">
<label for="tg-f-app">App</label>
<input type="text" id="tg-f-app" name="app" value="${v.app}" list="tg-f-apps" maxlength="256" autocomplete="off" spellcheck="false" placeholder="All apps"${bad('app')}>
<datalist id="tg-f-apps">${input.apps.map((a) => html`<option value="${a}"></option>`)}</datalist>
</div>
<div class="tg-field">
<label for="tg-f-channel">Channel</label>
<select id="tg-f-channel" name="channel"${bad('channel')}>
<option value=""${selected(v.channel === '')}>All channels</option>
${workbookChannels.map((c) => html`<option value="${c}"${selected(v.channel === c)}>${channelLabels[c] ?? c}</option>`)}
${v.channel === '' || (workbookChannels as readonly string[]).includes(v.channel) ? '' : html`<option value="${v.channel}" selected>${v.channel}</option>`}
</select>
</div>
${input.drill.phone ? html`<input type="hidden" name="phone" value="${input.drill.phone}">\n` : ''}${input.drill.phoneRef ? html`<input type="hidden" name="phoneRef" value="${input.drill.phoneRef}">\n` : ''}${input.drill.ip ? html`<input type="hidden" name="ip" value="${input.drill.ip}">\n` : ''}<div class="tg-wb-filter-actions">
<button type="submit" class="tg-button tg-primary">Apply</button>
<a class="tg-link" href="${tabPaths[input.tab]}">Reset</a>
</div>
</form>
`;
}

const tabLabels: Record<DashboardTab, string> = { overview: 'Overview', details: 'Details', fraud: 'Fraud' };

/** The workbook's tabs, each keeping the current filters. */
export function workbookTabs(tab: DashboardTab, state: DashboardState): SafeHtml {
  return html`<nav class="tg-wb-tabs" aria-label="Workbook tabs">
<ul>${(Object.keys(tabLabels) as DashboardTab[]).map(
    (t) => html`<li><a href="${tabHref(t, state)}"${t === tab ? html` aria-current="page"` : ''}>${tabLabels[t]}</a></li>`,
  )}</ul>
</nav>
`;
}
