// The Details tab: the drill-down into one phone number or IP address (every failure, with time,
// IP, region, browser, OS, reason, channel and cost), failures per policy, the time charts by
// number, policy and IP, and the list of failing numbers to pick from.
import type { FailureDetailRow, PhoneRow, PolicyRow } from '../../core/workbook/panels.ts';
import { html, type SafeHtml } from '../html.ts';
import { barChart, chartSlot, type ChartData, type Pivot, timeChart } from './workbook-charts.ts';
import { workbookBody } from './workbook-page.ts';
import { type Cell, type Column, dash, money, panelSection, time } from './workbook-table.ts';
import { ipActions, ipLink, numberActions, phoneLink, type Shown, type WorkbookView } from './workbook-view.ts';
import { queryOf } from './workbook-url.ts';

export interface TimeChartPanel {
  pivot: Pivot;
  /** Bin width, ms. */
  bin: number;
}

export interface DetailsData {
  policyFailures: PolicyRow[];
  failedPhones: Shown<PhoneRow>[];
  phoneChart: TimeChartPanel;
  policyChart: TimeChartPanel;
  ipChart: TimeChartPanel;
  /** The drill-down's rows, when a number or an IP is selected. */
  phoneDetails: Shown<FailureDetailRow>[] | null;
  ipDetails: Shown<FailureDetailRow>[] | null;
}

const failures = { header: 'Failures', numeric: true, cell: (r: { failures: number }) => r.failures };

function detailColumns(view: WorkbookView, withNumber: boolean): Column<Shown<FailureDetailRow>>[] {
  return [
    { header: 'Time (UTC)', cell: (r) => time(r.time) },
    ...(withNumber ? [{ header: 'Phone number', cell: (r: Shown<FailureDetailRow>): Cell => phoneLink(view, r) }] : []),
    { header: 'IP address', cell: (r) => ipLink(view, r.ip) },
    { header: 'IP country', cell: (r) => dash(r.ipCountry) },
    { header: 'Number region', cell: (r) => dash(r.phoneRegion) },
    { header: 'Browser', cell: (r) => dash(r.browser) },
    { header: 'OS', cell: (r) => dash(r.os) },
    { header: 'Reason', cell: (r) => html`<code>${r.reason}</code><span class="tg-wb-sub">${r.reasonDescription}</span>` },
    { header: 'Step', cell: (r) => html`<code>${r.type}</code>` },
    { header: 'Channel', cell: (r) => dash(r.channel) },
    { header: 'Cost', numeric: true, cell: (r) => money(r.cost, view.currency) },
    { header: 'Policy', cell: (r) => dash(r.policyId) },
  ];
}

/** The search boxes: a number or an IP, keeping the filters (hidden fields). */
function drillForms(view: WorkbookView): SafeHtml {
  const hidden = [...new URLSearchParams(queryOf(view.state))].map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
  return html`<div class="tg-wb-drill-forms">
<form method="get" action="/admin/details#tg-drill" class="tg-wb-search" role="search" aria-label="Find a phone number">
${hidden}<label for="tg-drill-phone">Phone number</label>
<div class="tg-wb-search-row"><input type="tel" id="tg-drill-phone" name="phone" value="${view.fullNumbers ? (view.subject.phone ?? '') : ''}" placeholder="+447700900123" autocomplete="off" maxlength="40" required>
<button type="submit" class="tg-button tg-secondary">Show failures</button></div>
</form>
<form method="get" action="/admin/details#tg-drill" class="tg-wb-search" role="search" aria-label="Find an IP address">
${hidden}<label for="tg-drill-ip">IP address</label>
<div class="tg-wb-search-row"><input type="text" id="tg-drill-ip" name="ip" value="${view.subject.ip ?? ''}" placeholder="203.0.113.7" autocomplete="off" spellcheck="false" maxlength="64" required>
<button type="submit" class="tg-button tg-secondary">Show failures</button></div>
</form>
</div>
`;
}

function drillDown(view: WorkbookView, d: DetailsData): SafeHtml {
  const parts: SafeHtml[] = [];
  if (view.subject.phone !== undefined && d.phoneDetails) {
    const full = view.fullNumbers ? view.subject.phone : null;
    parts.push(html`<div class="tg-wb-subject"><p>Failures of <strong class="tg-wb-number">${view.subject.phone}</strong></p>${numberActions(view, full)}</div>
${panelSection({
  id: 'phone-details', title: 'Failure details of the phone number', view, rows: d.phoneDetails, wide: true, csvDrill: view.drill,
  columns: detailColumns(view, false), empty: 'This number has no failures in this range.',
})}`);
  }
  if (view.subject.ip !== undefined && d.ipDetails) {
    parts.push(html`<div class="tg-wb-subject"><p>Failures from <strong>${view.subject.ip}</strong></p>${ipActions(view, view.subject.ip)}</div>
${panelSection({
  id: 'ip-details', title: 'Failure details of the IP address', view, rows: d.ipDetails, wide: true, csvDrill: { ip: view.subject.ip },
  columns: detailColumns(view, true), empty: 'This IP address has no failures in this range.',
})}`);
  }
  return html`<section class="tg-wb-drill tg-wb-wide" id="tg-drill" aria-labelledby="tg-drill-h">
<h2 id="tg-drill-h">Select a phone number or IP address</h2>
<p class="tg-hint">Pick one from any table (numbers and IPs are links), or type it here.</p>
${drillForms(view)}${parts}</section>
`;
}

type SeriesCol = Pivot['series'][number];

function seriesHeader(view: WorkbookView, id: string, s: SeriesCol): SafeHtml | string {
  if (s.other || s.key === null) return s.label;
  if (id === 'phone-timechart') return phoneLink(view, { phoneNumber: s.key, phoneRef: s.ref });
  if (id === 'ip-timechart') return ipLink(view, s.key);
  return s.label;
}

function timeChartSection(view: WorkbookView, id: string, title: string, panel: TimeChartPanel, description: string): SafeHtml {
  const { pivot } = panel;
  const rows = pivot.series.length ? pivot.bins.map((bin, i) => ({ bin, i })) : [];
  return panelSection({
    id, title, view, rows, complete: true, collapsible: true, wide: true, description,
    chart: pivot.series.length ? chartSlot(id, 'time') : '',
    columns: [
      { header: 'Bin start (UTC)', cell: (r) => time(r.bin) },
      ...pivot.series.map((s) => ({ header: seriesHeader(view, id, s), numeric: true, cell: (r: { i: number }) => s.values[r.i] ?? 0 })),
    ],
    empty: 'No failures in this range.',
  });
}

export function detailsBody(view: WorkbookView, d: DetailsData): SafeHtml {
  const charts: ChartData = {
    time: [
      timeChart('phone-timechart', 'Failures by phone number', d.phoneChart.pivot, d.phoneChart.bin),
      timeChart('policy-timechart', 'Failures by policy', d.policyChart.pivot, d.policyChart.bin),
      timeChart('ip-timechart', 'Failures by IP address', d.ipChart.pivot, d.ipChart.bin),
    ],
    bars: [barChart('policy-failures', 'Failures per policy', d.policyFailures, (r) => r.policyId ?? '(none)', (r) => r.failures)],
  };
  const content = html`${drillDown(view, d)}<div class="tg-wb-grid">
${panelSection({
  id: 'policy-failures', title: 'Policy - failed phone authentications', view, rows: d.policyFailures,
  chart: d.policyFailures.length ? chartSlot('policy-failures', 'bar') : '',
  columns: [{ header: 'Policy', cell: (r) => dash(r.policyId) }, failures],
})}
${panelSection({
  id: 'failed-phones', title: 'Phone numbers with failures', view, rows: d.failedPhones,
  description: 'Select a number to see its failures in detail.',
  columns: [
    { header: 'Phone number', cell: (r) => phoneLink(view, r) },
    failures,
    ...(view.role === 'admin' ? [{ header: 'Actions', cell: (r: Shown<PhoneRow>): Cell => numberActions(view, r.phoneNumber) }] : []),
  ],
})}
${timeChartSection(view, 'phone-timechart', 'Failures by phone number over time', d.phoneChart, 'The busiest numbers of the range; drag across the chart to zoom the time range.')}
${timeChartSection(view, 'policy-timechart', 'Failures by policy over time', d.policyChart, 'Failed phone authentications per policy.')}
${timeChartSection(view, 'ip-timechart', 'Failures by IP address over time', d.ipChart, 'The busiest IP addresses of the range.')}
</div>
`;
  return workbookBody(view, { content, charts, ipCountries: true });
}

