// The frame of every workbook tab: tab links, filter bar, the range being shown, the content, the
// chart data island and, where IP-derived countries are shown, DB-IP's attribution (CC BY 4.0).
// Also the page shown for invalid filters (400): the form with what was sent, and the message.
import { html, type SafeHtml } from '../html.ts';
import { chartIsland, type ChartData } from './workbook-charts.ts';
import { type FilterValues, filterBar, filterValues, workbookTabs } from './workbook-filter-bar.ts';
import type { WorkbookView } from './workbook-view.ts';
import { type DashboardTab, type DrillDown, formatUtc } from './workbook-url.ts';

export const tabTitles: Record<DashboardTab, string> = { overview: 'Overview', details: 'Details', fraud: 'Fraud' };

function attribution(a: { text: string; url: string }): SafeHtml {
  // The licence's exact wording, with its address as a link.
  const [before, after] = a.text.includes(a.url) ? a.text.split(a.url) : [`${a.text} (`, ')'];
  return html`<p class="tg-hint tg-wb-attribution">${before}<a href="${a.url}" rel="noopener noreferrer">${a.url}</a>${after}</p>\n`;
}

function summary(view: WorkbookView): SafeHtml {
  const parts = [
    view.state.policy ? `policy ${view.state.policy}` : null,
    view.state.app ? `app ${view.state.app}` : null,
    view.state.channel ? `channel ${view.state.channel}` : null,
  ].filter((p): p is string => p !== null);
  return html`<p class="tg-wb-summary">Failures from <strong>${formatUtc(view.from)}</strong> to <strong>${formatUtc(view.to)}</strong>${
    parts.length ? html`, ${parts.join(', ')}` : ''
  }.</p>\n`;
}

export interface WorkbookBody {
  content: SafeHtml;
  charts?: ChartData;
  /** The page shows countries derived from IP addresses. */
  ipCountries?: boolean;
}

export function workbookBody(view: WorkbookView, body: WorkbookBody): SafeHtml {
  return html`${workbookTabs(view.tab, view.state)}${filterBar({ tab: view.tab, values: filterValues(view.state), drill: view.drill, policies: view.policies, apps: view.apps })}${summary(view)}<div class="tg-wb-content">
${body.content}</div>
${body.charts ? chartIsland(body.charts) : ''}${body.ipCountries && view.attribution ? attribution(view.attribution) : ''}`;
}

export interface InvalidFiltersInput {
  tab: DashboardTab;
  values: FilterValues;
  drill: DrillDown;
  message: string;
  field: string | null;
  policies: readonly string[];
  apps: readonly string[];
}

/** A number or IP that could not be used, in its own box to correct (the filters stay as sent). */
function drillCorrection(input: InvalidFiltersInput): SafeHtml | '' {
  const field = input.field === 'phone' || input.field === 'ip' ? input.field : null;
  if (!field) return '';
  const label = field === 'phone' ? 'Phone number' : 'IP address';
  const hidden = (Object.entries(input.values) as [string, string][]).filter(([, v]) => v !== '');
  return html`<form method="get" action="/admin/details#tg-drill" class="tg-wb-search" role="search" aria-label="${label}">
${hidden.map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}<label for="tg-drill-${field}">${label}</label>
<div class="tg-wb-search-row"><input type="${field === 'phone' ? 'tel' : 'text'}" id="tg-drill-${field}" name="${field}" value="${input.drill[field] ?? ''}" maxlength="64" autocomplete="off" spellcheck="false" required aria-invalid="true" aria-describedby="tg-wb-error">
<button type="submit" class="tg-button tg-secondary">Show failures</button></div>
</form>
`;
}

/** Invalid filters: no panels, the form as sent (so it can be corrected) and what is wrong. */
export function invalidFiltersBody(input: InvalidFiltersInput): SafeHtml {
  // The drill-down value at fault is corrected in its own box, not carried along unseen.
  const drill = { ...input.drill };
  if (input.field === 'phone' || input.field === 'phoneRef') {
    delete drill.phone;
    delete drill.phoneRef;
  }
  if (input.field === 'ip') delete drill.ip;
  return html`${workbookTabs(input.tab, {})}<div id="tg-wb-error" class="tg-alert" role="alert" tabindex="-1">
<p><strong>These filters cannot be used.</strong> ${input.message}</p>
</div>
${drillCorrection(input)}${filterBar({ tab: input.tab, values: input.values, drill, policies: input.policies, apps: input.apps, invalidField: input.field })}`;
}
