// The dashboard's panels as the pages and the API serve them: the workbook's panels plus the pumping
// detector's current suspensions, read with the query's filters, rows masked for viewers, and CSV.
import type { Suspension } from '../../core/defense/pumping/index.ts';
import { TollgateError } from '../../core/errors.ts';
import { type CsvValue, toCsv } from '../../core/workbook/csv.ts';
import { isPanelId, type PanelId, panelIds, panels, type WorkbookTab } from '../../core/workbook/panels.ts';
import { type SuspensionRow, suspensionColumns, suspensionTimeColumns } from '../../pages/admin/workbook-fraud.ts';
import type { WorkbookService } from '../../services/workbook-service.ts';
import { type PhoneRefs, rowsForViewer } from './admin-workbook-masking.ts';
import type { DashboardQuery } from './admin-workbook-query.ts';

/** Not a workbook panel (no time range: it is the detector's state now), but a table of the Fraud tab. */
export const SUSPENSIONS = 'suspensions';
export type DashboardPanelId = PanelId | typeof SUSPENSIONS;
export const dashboardPanelIds: readonly DashboardPanelId[] = [...panelIds, SUSPENSIONS];

export function isDashboardPanel(id: string): id is DashboardPanelId {
  return id === SUSPENSIONS || isPanelId(id);
}

export interface PanelMeta {
  title: string;
  tab: WorkbookTab;
  columns: readonly string[];
  timeColumns: readonly string[];
}

export function panelMeta(id: DashboardPanelId): PanelMeta {
  if (id === SUSPENSIONS) {
    return { title: 'Automatic suspensions (pumping detector)', tab: 'fraud', columns: suspensionColumns, timeColumns: suspensionTimeColumns };
  }
  const p = panels[id];
  return { title: p.title, tab: p.tab, columns: p.columns, timeColumns: p.timeColumns ?? [] };
}

export interface PanelSources {
  workbook: WorkbookService;
  /** The pumping detector (`suspensions(now, {includeProbation})`). */
  pumping: { suspensions(now: number, options?: { includeProbation?: boolean }): Suspension[] };
  refs: PhoneRefs;
  now(): number;
}

export function suspensionRow(s: Suspension): SuspensionRow {
  return {
    scope: s.scope, key: s.key, country: s.country, channel: s.channel, level: s.level, action: s.action, state: s.state,
    since: s.since, until: s.until, lastKnockAt: s.lastKnockAt, signal: s.signal,
  };
}

/**
 * A panel's rows for this viewer: numbers masked (with `phoneRef`) unless `fullNumbers`. Drill-down
 * panels need their subject; asking for one without it is a 400 naming the parameter.
 */
export async function panelRows(src: PanelSources, id: DashboardPanelId, q: DashboardQuery, fullNumbers: boolean, limit?: number): Promise<Record<string, unknown>[]> {
  if (id === SUSPENSIONS) {
    const rows = src.pumping.suspensions(src.now(), { includeProbation: true }).map(suspensionRow);
    return (limit ? rows.slice(0, limit) : rows) as unknown as Record<string, unknown>[];
  }
  const requires = panels[id].requires;
  if (requires === 'phoneNumber' && q.filters.phoneNumber === undefined) {
    throw new TollgateError('invalid_request', `The ${id} panel needs a phone number: add phone (or phoneRef).`, { field: 'phone' });
  }
  if (requires === 'ip' && q.filters.ip === undefined) {
    throw new TollgateError('invalid_request', `The ${id} panel needs an IP address: add ip.`, { field: 'ip' });
  }
  const rows = await src.workbook.panel(id, q.filters, limit === undefined ? {} : { limit });
  return rowsForViewer(rows, fullNumbers, src.refs, id === 'phone-timechart');
}

/** RFC 4180, formula-safe (core/workbook/csv.ts); epoch-ms columns as ISO 8601. */
export function panelCsv(id: DashboardPanelId, rows: readonly Record<string, unknown>[]): string {
  const meta = panelMeta(id);
  const times = new Set(meta.timeColumns);
  const cells = rows.map((row) => {
    const out: Record<string, CsvValue> = {};
    for (const c of meta.columns) {
      const v = row[c];
      out[c] = times.has(c) && typeof v === 'number' ? new Date(v).toISOString() : (v as CsvValue);
    }
    return out;
  });
  return toCsv(meta.columns, cells);
}
