// The dashboard's URL-addressable state: the global filters as they appear in the query string
// (`range` or `from`/`to`, `policy`, `app`, `channel`) and the drill-down subject (`phone`,
// `phoneRef`, `ip`). Every link a page renders is built here, so tabs, drill-downs, CSV exports
// and the JSON API all carry the same filters.

/** The global filters, as canonical query values (what a link repeats). */
export interface DashboardState {
  /** A preset of core/workbook/filters.ts; absent with a custom range (and for the default). */
  range?: string;
  /** Custom range, `YYYY-MM-DDTHH:MM[:SS.sss]` in UTC (see formatUtcInput). */
  from?: string;
  to?: string;
  policy?: string;
  app?: string;
  channel?: string;
}

/**
 * The drill-down subject. Viewers never see a full number, not even in a link, so their links
 * carry `phoneRef` (an opaque, server-encrypted reference) instead of `phone`.
 */
export interface DrillDown {
  phone?: string;
  phoneRef?: string;
  ip?: string;
}

export type DashboardTab = 'overview' | 'details' | 'fraud';

export const tabPaths: Record<DashboardTab, string> = {
  overview: '/admin',
  details: '/admin/details',
  fraud: '/admin/fraud',
};

const stateKeys = ['range', 'from', 'to', 'policy', 'app', 'channel'] as const;
const drillKeys = ['phone', 'phoneRef', 'ip'] as const;

/** `range=7d&policy=…` (no leading `?`); empty values are left out. */
export function queryOf(state: DashboardState, drill: DrillDown = {}, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const k of stateKeys) if (state[k]) q.set(k, state[k]!);
  for (const k of drillKeys) if (drill[k]) q.set(k, drill[k]!);
  for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
  return q.toString();
}

function withQuery(path: string, query: string, hash = ''): string {
  return `${path}${query ? `?${query}` : ''}${hash}`;
}

/** A tab of the dashboard with the current filters (and optionally a drill-down and anchor). */
export function tabHref(tab: DashboardTab, state: DashboardState, drill: DrillDown = {}, hash = ''): string {
  return withQuery(tabPaths[tab], queryOf(state, drill), hash);
}

/** The JSON API of a panel with the same filters; `csv` for the CSV export. */
export function panelApiHref(panel: string, state: DashboardState, drill: DrillDown = {}, format: 'json' | 'csv' = 'json', limit?: number): string {
  const path = `/v1/admin/workbook/panels/${encodeURIComponent(panel)}${format === 'csv' ? '.csv' : ''}`;
  return withQuery(path, queryOf(state, drill, limit ? { limit: String(limit) } : {}));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * Epoch ms as the value of a `datetime-local` input, read as UTC: `2026-01-15T09:00`, with seconds
 * and milliseconds only when needed (so a link keeps an exact range).
 */
export function formatUtcInput(ms: number): string {
  const d = new Date(ms);
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const s = d.getUTCSeconds();
  const m = d.getUTCMilliseconds();
  if (s === 0 && m === 0) return base;
  return `${base}:${pad(s)}${m ? `.${pad(m, 3)}` : ''}`;
}

/** `2026-01-15 09:00 UTC`, seconds shown when not zero: for table cells and headings. */
export function formatUtc(ms: number): string {
  return `${formatUtcInput(ms).replace('T', ' ').replace(/\.\d+$/, '')} UTC`;
}
