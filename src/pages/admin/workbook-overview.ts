// The Overview tab (the stock workbook's first tab): total failures, failure reasons, numbers blocked
// for bad reputation, failing IPs, numbers with their IPs, browsers and operating systems.
import type { BrowserRow, IpRow, OsRow, PhoneIpRow, PhoneRow, ReasonRow } from '../../core/workbook/panels.ts';
import { html, type SafeHtml } from '../html.ts';
import { barChart, chartSlot, type ChartData } from './workbook-charts.ts';
import { workbookBody } from './workbook-page.ts';
import { count, dash, panelSection } from './workbook-table.ts';
import { ipActions, ipLink, ipTargets, numberActions, numberTargets, phoneLink, rowActions, type Shown, type WorkbookView } from './workbook-view.ts';

export interface OverviewData {
  totalFailures: number;
  reasons: ReasonRow[];
  badReputation: Shown<PhoneRow>[];
  failedIps: IpRow[];
  phoneIps: Shown<PhoneIpRow>[];
  browsers: BrowserRow[];
  operatingSystems: OsRow[];
}

const failures = { header: 'Failures', numeric: true, cell: (r: { failures: number }) => r.failures };

export function overviewBody(view: WorkbookView, d: OverviewData): SafeHtml {
  const admin = view.role === 'admin';
  const actions = <R>(cell: (r: R) => SafeHtml | '') => (admin ? [{ header: 'Actions', cell }] : []);
  const charts: ChartData = {
    time: [],
    bars: [
      barChart('failure-reasons', 'Failure reasons', d.reasons, (r) => r.reason, (r) => r.failures),
      barChart('browsers', 'Browser', d.browsers, (r) => r.browser ?? 'Unknown', (r) => r.failures),
      barChart('operating-systems', 'Operating system', d.operatingSystems, (r) => r.os ?? 'Unknown', (r) => r.failures),
    ],
  };
  const content = html`<section class="tg-wb-tiles" aria-label="Totals">
<div class="tg-wb-tile" id="tg-tile-total-failures"><p class="tg-wb-tile-label">Total failures (phone related)</p><p class="tg-wb-tile-value">${count(d.totalFailures)}</p></div>
<div class="tg-wb-tile"><p class="tg-wb-tile-label">Blocked due to bad reputation</p><p class="tg-wb-tile-value">${count(d.reasons.find((r) => r.reason === 'bad_reputation')?.failures ?? 0)}</p></div>
<div class="tg-wb-tile"><p class="tg-wb-tile-label">Failure reasons</p><p class="tg-wb-tile-value">${count(d.reasons.length)}</p></div>
</section>
<div class="tg-wb-grid">
${panelSection({
  id: 'failure-reasons', title: 'Failure reasons', view, rows: d.reasons, wide: true,
  description: 'Every failed send, code check and session, by the reason recorded (with its B2C-style description).',
  chart: d.reasons.length ? chartSlot('failure-reasons', 'bar') : '',
  columns: [
    { header: 'Reason', cell: (r) => html`<code>${r.reason}</code>` },
    { header: 'Description', cell: (r) => dash(r.reasonDescription) },
    failures,
  ],
  empty: 'No failures in this range.',
})}
${panelSection({
  id: 'bad-reputation', title: 'Blocked due to bad reputation', view, rows: d.badReputation,
  description: 'Numbers refused because they, their prefix or their country are on the block list.',
  columns: [{ header: 'Phone number', cell: (r) => phoneLink(view, r) }, failures, ...actions<Shown<PhoneRow>>((r) => numberActions(view, r.phoneNumber))],
  empty: 'No number was refused for bad reputation.',
})}
${panelSection({
  id: 'failed-ips', title: 'IP addresses with failed phone authentications', view, rows: d.failedIps,
  columns: [{ header: 'IP address', cell: (r) => ipLink(view, r.ip) }, failures, ...actions<IpRow>((r) => ipActions(view, r.ip))],
  empty: 'No failures with an IP address in this range.',
})}
${panelSection({
  id: 'phone-ips', title: 'Phone numbers with IP address', view, rows: d.phoneIps,
  description: 'Failed phone authentications per number and the IP address they came from.',
  columns: [
    { header: 'Phone number', cell: (r) => phoneLink(view, r) },
    { header: 'IP address', cell: (r) => ipLink(view, r.ip) },
    failures,
    ...actions<Shown<PhoneIpRow>>((r) => rowActions(view, numberTargets(view, r.phoneNumber), ipTargets(r.ip))),
  ],
  empty: 'No failures with a number and an IP address in this range.',
})}
${panelSection({
  id: 'browsers', title: 'Browser', view, rows: d.browsers,
  chart: d.browsers.length ? chartSlot('browsers', 'bar') : '',
  columns: [{ header: 'Browser', cell: (r) => r.browser ?? 'Unknown (no parsable User-Agent)' }, failures],
})}
${panelSection({
  id: 'operating-systems', title: 'Operating system', view, rows: d.operatingSystems,
  chart: d.operatingSystems.length ? chartSlot('operating-systems', 'bar') : '',
  columns: [{ header: 'Operating system', cell: (r) => r.os ?? 'Unknown (no parsable User-Agent)' }, failures],
})}
</div>
`;
  return workbookBody(view, { content, charts });
}
