// The dashboard pages: GET /admin (Overview), /admin/details (Details), /admin/fraud (Fraud).
// Server-rendered and complete without JavaScript; signed-out browsers go to the sign-in page;
// viewers and admins may look (viewers see masked numbers); invalid filters give a 400 page
// that says what is wrong, with the form as it was sent.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canSeeFullNumbers } from '../../core/admin/model.ts';
import { TollgateError } from '../../core/errors.ts';
import { DEFAULT_PRESET } from '../../core/workbook/filters.ts';
import { binFor } from '../../core/workbook/ranges.ts';
import type { AdminPrincipal, AdminAuth } from '../../services/admin-auth.ts';
import { assetUrl } from '../../pages/asset-urls.ts';
import { renderAdminLayout } from '../../pages/admin/admin-layout.ts';
import { pivot, type SeriesRow } from '../../pages/admin/workbook-charts.ts';
import { type DetailsData, detailsBody } from '../../pages/admin/workbook-details.ts';
import type { FilterValues } from '../../pages/admin/workbook-filter-bar.ts';
import { type FraudData, fraudBody, type SuspensionRow } from '../../pages/admin/workbook-fraud.ts';
import { type OverviewData, overviewBody } from '../../pages/admin/workbook-overview.ts';
import { invalidFiltersBody, tabTitles } from '../../pages/admin/workbook-page.ts';
import { type DashboardTab, type DrillDown, tabPaths } from '../../pages/admin/workbook-url.ts';
import { chartScripts, chartStyles } from '../../pages/admin/workbook-vendor.ts';
import type { WorkbookView } from '../../pages/admin/workbook-view.ts';
import { applyPageHeaders } from '../../pages/security-headers.ts';
import type { SafeHtml } from '../../pages/html.ts';
import { safeAdminNext, signInRedirect } from './admin-auth.ts';
import { shownNumber } from './admin-workbook-masking.ts';
import { type DashboardPanelId, type PanelSources, panelRows } from './admin-workbook-panels.ts';
import { type DashboardQuery, parseDashboardQuery } from './admin-workbook-query.ts';

export interface AdminWorkbookPagesDeps extends PanelSources {
  auth: AdminAuth;
  currency: string;
  expectedRegions: readonly string[];
  attribution: { text: string; url: string } | null;
  /** App ids, suggested in the filter bar. */
  apps: readonly string[];
}

/** Rows per table on a page; the CSV export link asks for up to CSV_LIMIT. */
export const PAGE_ROWS = 50;
export const CSV_LIMIT = 1000;

export async function registerAdminWorkbookPages(app: FastifyInstance, d: AdminWorkbookPagesDeps): Promise<void> {
  const rows = <R>(id: DashboardPanelId, q: DashboardQuery, full: boolean, limit: number | undefined = PAGE_ROWS) =>
    panelRows(d, id, q, full, limit) as Promise<R[]>;

  /** Policies seen in the range whatever the policy filter, for the filter bar's suggestions. */
  async function policySuggestions(q: DashboardQuery): Promise<string[]> {
    const { policyId: _drop, phoneNumber: _p, ip: _i, ...rest } = q.filters;
    const found = await d.workbook.panel('policy-failures', rest, { limit: 50 });
    return found.map((r) => r.policyId).filter((p): p is string => typeof p === 'string');
  }

  async function overview(q: DashboardQuery, full: boolean): Promise<OverviewData> {
    const [total, reasons, badReputation, failedIps, phoneIps, browsers, operatingSystems] = await Promise.all([
      rows<{ failures: number }>('total-failures', q, full),
      rows<OverviewData['reasons'][number]>('failure-reasons', q, full),
      rows<OverviewData['badReputation'][number]>('bad-reputation', q, full),
      rows<OverviewData['failedIps'][number]>('failed-ips', q, full),
      rows<OverviewData['phoneIps'][number]>('phone-ips', q, full),
      rows<OverviewData['browsers'][number]>('browsers', q, full),
      rows<OverviewData['operatingSystems'][number]>('operating-systems', q, full),
    ]);
    return { totalFailures: total[0]?.failures ?? 0, reasons, badReputation, failedIps, phoneIps, browsers, operatingSystems };
  }

  async function details(q: DashboardQuery, full: boolean): Promise<DetailsData> {
    const bin = binFor(q.filters.from, q.filters.to);
    // Time charts: their own default (the top 10 series), not the table row limit.
    const chart = async (id: DashboardPanelId) => ({ pivot: pivot(await rows<SeriesRow>(id, q, full, undefined)), bin });
    const [policyFailures, failedPhones, phoneChart, policyChart, ipChart, phoneDetails, ipDetails] = await Promise.all([
      rows<DetailsData['policyFailures'][number]>('policy-failures', q, full),
      rows<DetailsData['failedPhones'][number]>('failed-phones', q, full),
      chart('phone-timechart'),
      chart('policy-timechart'),
      chart('ip-timechart'),
      q.phone !== undefined ? rows<NonNullable<DetailsData['phoneDetails']>[number]>('phone-details', q, full) : null,
      q.ip !== undefined ? rows<NonNullable<DetailsData['ipDetails']>[number]>('ip-details', q, full) : null,
    ]);
    return { policyFailures, failedPhones, phoneChart, policyChart, ipChart, phoneDetails, ipDetails };
  }

  async function fraud(q: DashboardQuery, full: boolean): Promise<FraudData> {
    const [ipCountries, destinations, velocity, conversionByCountry, conversionByPrefix, suspensions, shadowRules] = await Promise.all([
      rows<FraudData['ipCountries'][number]>('ip-countries', q, full),
      rows<FraudData['destinations'][number]>('destination-countries', q, full),
      rows<FraudData['velocity'][number]>('velocity', q, full),
      rows<FraudData['conversionByCountry'][number]>('conversion-by-country', q, full),
      rows<FraudData['conversionByPrefix'][number]>('conversion-by-prefix', q, full),
      rows<SuspensionRow>('suspensions', q, full, undefined),
      rows<FraudData['shadowRules'][number]>('shadow-rules', q, full),
    ]);
    return { ipCountries, destinations, velocity, conversionByCountry, conversionByPrefix, suspensions, shadowRules };
  }

  function send(reply: FastifyReply, me: AdminPrincipal, tab: DashboardTab, body: SafeHtml, status = 200, charts = true) {
    const page = renderAdminLayout({
      title: tabTitles[tab],
      user: { username: me.user.username, role: me.role },
      active: tab,
      body,
      csrf: me.csrf ?? '',
      scripts: [...(charts ? chartScripts : []), assetUrl('admin-mitigate.js'), assetUrl('admin-workbook.js')],
      // The row controls' own styles and in-place status belong to the mitigation part.
      styles: [...(charts ? chartStyles : []), assetUrl('admin-mitigate.css')],
    });
    return applyPageHeaders(reply).code(status).send(page);
  }

  /** The form as it was sent (strings only; repeated parameters show as empty). */
  function sentValues(query: unknown, full: boolean): { values: FilterValues; drill: DrillDown } {
    const qs = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
    const s = (k: string) => (typeof qs[k] === 'string' ? (qs[k] as string).slice(0, 256) : '');
    const drill: DrillDown = {};
    if (full && s('phone')) drill.phone = s('phone');
    if (s('phoneRef')) drill.phoneRef = s('phoneRef');
    if (s('ip')) drill.ip = s('ip');
    // No range sent: the form shows what the page would have used.
    const range = s('range') || (s('from') ? 'custom' : DEFAULT_PRESET);
    return { values: { range, from: s('from'), to: s('to'), policy: s('policy'), app: s('app'), channel: s('channel') }, drill };
  }

  async function page(tab: DashboardTab, request: FastifyRequest, reply: FastifyReply) {
    const me = await d.auth.principal(request);
    if (!me) return signInRedirect(request, reply);
    const full = canSeeFullNumbers(me.role);
    let q: DashboardQuery;
    try {
      q = parseDashboardQuery(request.query, { api: false, refs: d.refs, now: d.now() });
    } catch (err) {
      if (!(err instanceof TollgateError) || err.code !== 'invalid_request') throw err;
      const sent = sentValues(request.query, full);
      const field = typeof err.steering.field === 'string' ? err.steering.field : null;
      const body = invalidFiltersBody({ tab, ...sent, message: err.message, field, policies: [], apps: d.apps });
      return send(reply, me, tab, body, 400, false);
    }
    const drill: DrillDown = {};
    if (q.phone !== undefined) {
      if (full) drill.phone = q.phone;
      else drill.phoneRef = d.refs.ref(q.phone);
    }
    if (q.ip !== undefined) drill.ip = q.ip;
    const view: WorkbookView = {
      tab, state: q.state, drill, role: me.role, fullNumbers: full, csrf: me.csrf ?? '',
      subject: { ...(q.phone !== undefined ? { phone: shownNumber(q.phone, full) } : {}), ...(q.ip !== undefined ? { ip: q.ip } : {}) },
      returnTo: safeAdminNext(request.url) ?? tabPaths[tab],
      from: q.filters.from, to: q.filters.to, currency: d.currency, expectedRegions: d.expectedRegions,
      attribution: d.attribution, rowsShown: PAGE_ROWS, csvLimit: CSV_LIMIT, policies: await policySuggestions(q), apps: d.apps,
    };
    const body = tab === 'overview' ? overviewBody(view, await overview(q, full))
      : tab === 'details' ? detailsBody(view, await details(q, full))
      : fraudBody(view, await fraud(q, full));
    return send(reply, me, tab, body);
  }

  for (const tab of Object.keys(tabPaths) as DashboardTab[]) {
    app.get(tabPaths[tab], (request, reply) => page(tab, request, reply));
  }
}
