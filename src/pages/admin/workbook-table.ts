// A dashboard panel as HTML: heading, CSV export link, an optional chart slot, and the table, which
// stays the accessible source of truth (charts are drawn over the same data by the page script).
// Also the cell formats: counts, money, rates and UTC times.
import { html, type SafeHtml } from '../html.ts';
import type { WorkbookView } from './workbook-view.ts';
import { formatUtc, panelApiHref } from './workbook-url.ts';

export type Cell = SafeHtml | string | number | null | undefined | '';

export interface Column<R> {
  /** Text, or markup (a time chart's series names link into the drill-down). */
  header: SafeHtml | string;
  cell(row: R): Cell;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
}

export interface PanelSection<R> {
  /** Panel id: the section's anchor and the CSV/JSON API name. */
  id: string;
  title: string;
  description?: SafeHtml | string;
  /** Typed by the rows (NoInfer): shared columns such as a failures count fit any row. */
  columns: Column<NoInfer<R>>[];
  rows: readonly R[];
  view: WorkbookView;
  /** Shown instead of an empty table. */
  empty?: string;
  /** A chart slot (see workbook-charts.ts), drawn from the same rows. */
  chart?: SafeHtml | '';
  /** Drill-down parameters for the CSV link (the details panels). */
  csvDrill?: { phone?: string; phoneRef?: string; ip?: string };
  /** The table is behind a disclosure (time-chart data under its chart); open without JS. */
  collapsible?: boolean;
  /** No row limit applies (single-row tiles, pivots): no "first N rows" note. */
  complete?: boolean;
  /** Extra class on the section (e.g. a full-width panel). */
  wide?: boolean;
}

const counts = new Intl.NumberFormat('en-US');

export function count(n: number | null | undefined): string {
  return typeof n === 'number' ? counts.format(n) : '—';
}

export function money(n: number | null | undefined, currency: string): string {
  if (typeof n !== 'number') return '—';
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(n);
  } catch {
    return `${n.toFixed(4)} ${currency}`;
  }
}

export function rate(r: number | null | undefined): string {
  return typeof r === 'number' ? `${(r * 100).toFixed(1)} %` : '—';
}

export function time(ms: number | null | undefined): SafeHtml | string {
  return typeof ms === 'number' ? html`<time datetime="${new Date(ms).toISOString()}">${formatUtc(ms)}</time>` : '—';
}

export function dash(v: string | null | undefined): string {
  return v === null || v === undefined || v === '' ? '—' : v;
}

function renderCell(c: Cell): SafeHtml | string {
  if (c === null || c === undefined || c === '') return '';
  return typeof c === 'number' ? count(c) : c;
}

/** The section of one panel. */
export function panelSection<R>(p: PanelSection<R>): SafeHtml {
  const headingId = `tg-panel-${p.id}-h`;
  const csv = panelApiHref(p.id, p.view.state, p.csvDrill ?? {}, 'csv', p.view.csvLimit);
  const table = p.rows.length === 0
    ? html`<p class="tg-wb-empty">${p.empty ?? 'Nothing in this range.'}</p>`
    : html`<div class="tg-table-wrap" role="region" aria-labelledby="${headingId}" tabindex="0">
<table class="tg-table tg-wb-table">
<thead><tr>${p.columns.map((c) => html`<th scope="col"${c.numeric ? html` class="tg-num"` : ''}>${renderCell(c.header)}</th>`)}</tr></thead>
<tbody>
${p.rows.map((r) => html`<tr>${p.columns.map((c) => html`<td${c.numeric ? html` class="tg-num"` : ''}>${renderCell(c.cell(r))}</td>`)}</tr>\n`)}</tbody>
</table>
</div>`;
  const more = !p.complete && p.rows.length >= p.view.rowsShown
    ? html`<p class="tg-hint">The first ${p.view.rowsShown} rows; the CSV export has up to ${count(p.view.csvLimit)}.</p>`
    : '';
  const body = p.collapsible && p.rows.length > 0
    ? html`<details class="tg-wb-data" open><summary>Data table</summary>${table}</details>`
    : table;
  return html`<section class="tg-wb-panel${p.wide ? ' tg-wb-wide' : ''}" id="tg-panel-${p.id}" aria-labelledby="${headingId}">
<div class="tg-wb-panel-head"><h2 id="${headingId}">${p.title}</h2><a class="tg-wb-csv" href="${csv}" download aria-label="Download ${p.title} as CSV">CSV</a></div>
${p.description ? html`<p class="tg-hint tg-wb-desc">${p.description}</p>\n` : ''}${p.chart ?? ''}${body}
${more}</section>
`;
}
