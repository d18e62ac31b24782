// The Fraud tab ("identify fraudulent sign-ups"): where failures come from against the regions the
// operator expects (IP country and destination country), velocity per number per day, conversion
// and spend by destination country and number prefix, the pumping detector's current automatic
// suspensions, and shadow-mode rules beside what actually happened.
import type {
  CountryConversionRow, DestinationRow, IpCountryRow, PrefixConversionRow, ShadowRow, VelocityRow,
} from '../../core/workbook/panels.ts';
import { html, type SafeHtml } from '../html.ts';
import { barChart, chartSlot, type ChartData } from './workbook-charts.ts';
import { workbookBody } from './workbook-page.ts';
import { type Cell, type Column, count, dash, money, panelSection, rate, time } from './workbook-table.ts';
import { countryActions, numberActions, phoneLink, prefixActions, type Shown, type WorkbookView } from './workbook-view.ts';
import { formatUtc } from './workbook-url.ts';

/** An automatic suspension of the pumping detector, as the table and its CSV show it. */
export interface SuspensionRow {
  scope: string;
  /** The number block (`+99450123`) or `country:channel`. */
  key: string;
  country: string;
  channel: string | null;
  level: number;
  action: string;
  state: string;
  since: number;
  until: number;
  lastKnockAt: number;
  signal: string;
}

export const suspensionColumns = ['scope', 'key', 'country', 'channel', 'level', 'action', 'state', 'since', 'until', 'lastKnockAt', 'signal'] as const;
export const suspensionTimeColumns = ['since', 'until', 'lastKnockAt'] as const;

export interface FraudData {
  ipCountries: IpCountryRow[];
  destinations: DestinationRow[];
  velocity: Shown<VelocityRow>[];
  conversionByCountry: CountryConversionRow[];
  conversionByPrefix: PrefixConversionRow[];
  suspensions: SuspensionRow[];
  shadowRules: ShadowRow[];
}

function expected(e: boolean | null): SafeHtml {
  if (e === null) return html`<span class="tg-wb-muted">unknown</span>`;
  return e ? html`<span class="tg-wb-ok">expected</span>` : html`<span class="tg-wb-flag">not expected</span>`;
}

const failures = { header: 'Failures', numeric: true, cell: (r: { failures: number }) => r.failures };

function conversionColumns<R extends CountryConversionRow | PrefixConversionRow>(view: WorkbookView): Column<R>[] {
  return [
    { header: 'Sessions with a code', numeric: true, cell: (r) => r.sessionsWithCode },
    { header: 'Verified', numeric: true, cell: (r) => r.verifiedSessions },
    { header: 'Conversion', numeric: true, cell: (r) => rate(r.conversionRate) },
    { header: 'Sends', numeric: true, cell: (r) => r.sends },
    { header: 'Spend', numeric: true, cell: (r) => money(r.spend, view.currency) },
    failures,
  ];
}

export function fraudBody(view: WorkbookView, d: FraudData): SafeHtml {
  const admin = view.role === 'admin';
  const actions = <R>(cell: (r: R) => SafeHtml | '') => (admin ? [{ header: 'Actions', cell: (r: R): Cell => cell(r) }] : []);
  const charts: ChartData = {
    time: [],
    bars: [
      barChart('ip-countries', 'Failures by IP country', d.ipCountries, (r) => r.ipCountry ?? 'Unknown', (r) => r.failures),
      barChart('destination-countries', 'Failures by destination country', d.destinations, (r) => r.phoneRegion ?? 'Unknown', (r) => r.failures),
      barChart('conversion-by-country', 'Spend by destination country', d.conversionByCountry, (r) => r.phoneRegion ?? 'Unknown', (r) => r.spend, `Spend (${view.currency})`),
    ],
  };
  const regions = view.expectedRegions;
  const content = html`<section class="tg-wb-expected tg-wb-wide" aria-labelledby="tg-expected-h">
<h2 id="tg-expected-h">Expected regions</h2>
${regions.length
  ? html`<p>Sign-ups are expected from <strong>${regions.join(', ')}</strong> (configuration <code>workbook.expectedRegions</code>). Failures from anywhere else are flagged <span class="tg-wb-flag">not expected</span>.</p>`
  : html`<p>No expected regions are configured: set <code>workbook.expectedRegions</code> (ISO country codes) to flag failures from elsewhere.</p>`}
<p class="tg-hint">A country block applies to phone numbers of that country (the destination), so it is offered beside destinations only; traffic from an IP country is narrowed with the location rule (<code>defense.location</code>).</p>
</section>
<div class="tg-wb-grid">
${panelSection({
  id: 'ip-countries', title: 'Where failures come from: IP country', view, rows: d.ipCountries,
  description: 'The country of the IP address the request came from (offline DB-IP lookup), as recorded with the event; events recorded without one count as unknown.',
  chart: d.ipCountries.length ? chartSlot('ip-countries', 'bar') : '',
  columns: [{ header: 'IP country', cell: (r) => dash(r.ipCountry) }, { header: 'Expected', cell: (r) => expected(r.expected) }, failures],
})}
${panelSection({
  id: 'destination-countries', title: 'Where failures go: destination country', view, rows: d.destinations,
  description: 'The country of the phone number a code was for.',
  chart: d.destinations.length ? chartSlot('destination-countries', 'bar') : '',
  columns: [{ header: 'Destination', cell: (r) => dash(r.phoneRegion) }, { header: 'Expected', cell: (r) => expected(r.expected) }, failures, ...actions<DestinationRow>((r) => countryActions(view, r.phoneRegion))],
})}
${panelSection({
  id: 'velocity', title: 'Velocity: failed authentications per number per day', view, rows: d.velocity, wide: true,
  description: 'Highest first. Many failures for one number in a day is a bot or a pumping run.',
  columns: [
    { header: 'Phone number', cell: (r) => phoneLink(view, r) },
    { header: 'Day (UTC)', cell: (r) => html`<time datetime="${new Date(r.day).toISOString().slice(0, 10)}">${formatUtc(r.day).slice(0, 10)}</time>` },
    failures,
    ...actions<Shown<VelocityRow>>((r) => numberActions(view, r.phoneNumber)),
  ],
})}
${panelSection({
  id: 'conversion-by-country', title: 'Conversion and spend by destination country', view, rows: d.conversionByCountry, wide: true,
  description: 'Verified sessions per session that got a code, and what the codes cost. Spend without conversion is what toll fraud looks like.',
  chart: d.conversionByCountry.length ? chartSlot('conversion-by-country', 'bar') : '',
  columns: [{ header: 'Destination', cell: (r) => dash(r.phoneRegion) }, ...conversionColumns<CountryConversionRow>(view), ...actions<CountryConversionRow>((r) => countryActions(view, r.phoneRegion))],
})}
${panelSection({
  id: 'conversion-by-prefix', title: 'Conversion and spend by number prefix', view, rows: d.conversionByPrefix, wide: true,
  description: 'Number blocks of 10,000 (the number minus its last 4 digits), highest spend first.',
  columns: [
    { header: 'Prefix', cell: (r) => html`<code>${r.prefix}</code>` },
    { header: 'Region', cell: (r) => dash(r.phoneRegion) },
    ...conversionColumns<PrefixConversionRow>(view),
    ...actions<PrefixConversionRow>((r) => prefixActions(view, r.prefix)),
  ],
})}
${panelSection({
  id: 'suspensions', title: 'Automatic suspensions (pumping detector)', view, rows: d.suspensions, wide: true, complete: true,
  description: html`Number blocks and countries the detector suspends now, and those on probation (lifted, but a return climbs the ladder). Current state, not limited to the time range.`,
  empty: 'Nothing is suspended.',
  columns: [
    { header: 'Scope', cell: (r) => r.scope },
    { header: 'Block or country', cell: (r) => html`<code>${r.key}</code>` },
    { header: 'Country', cell: (r) => dash(r.country) },
    { header: 'Level', numeric: true, cell: (r) => r.level },
    { header: 'Action', cell: (r) => r.action },
    { header: 'State', cell: (r) => (r.state === 'active' ? html`<span class="tg-wb-flag">active</span>` : r.state) },
    { header: 'Since', cell: (r) => time(r.since) },
    { header: 'Until', cell: (r) => time(r.until) },
    { header: 'Signal', cell: (r) => html`<code>${r.signal}</code>` },
    ...actions<SuspensionRow>((r) => (r.scope === 'country' ? countryActions(view, r.country) : prefixActions(view, r.key))),
  ],
})}
${panelSection({
  id: 'shadow-rules', title: 'Shadow-mode rules: what they would have done', view, rows: d.shadowRules, wide: true,
  description: 'Rules in shadow mode show what they would have done, beside what happened.',
  empty: 'No rule in shadow mode matched in this range.',
  columns: [
    { header: 'Rule', cell: (r) => html`<code>${r.rule}</code>` },
    { header: 'Reason', cell: (r) => html`<code>${r.code}</code>` },
    { header: 'Would have', cell: (r) => html`<strong>${r.shadowAction}</strong>` },
    { header: 'What happened', cell: (r) => (r.happened === 'code.sent' ? 'code sent' : r.happened === 'code.send_refused' ? 'refused' : r.happened) },
    { header: 'Enforced decision', cell: (r) => dash(r.enforcedAction) },
    { header: 'Events', numeric: true, cell: (r) => count(r.events) },
  ],
})}
</div>
`;
  return workbookBody(view, { content, charts, ipCountries: true });
}
