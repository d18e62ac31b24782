// Chart data for the dashboard script (assets/admin-workbook.js): time series for uPlot, bars for
// Chart.js, handed over in a `<script type="application/json">` data island (never executed, so the
// strict CSP allows it). The charts only repeat what the tables beside them show.
import { html, raw, type SafeHtml } from '../html.ts';

export interface TimeChartData {
  id: string;
  title: string;
  /** Bin starts, epoch ms. */
  x: number[];
  bin: number;
  series: { label: string; other: boolean; values: number[] }[];
}

export interface BarChartData {
  id: string;
  title: string;
  labels: string[];
  values: number[];
  /** What the bars count ("Failures", "Spend (USD)"). */
  measure: string;
}

export interface ChartData {
  time: TimeChartData[];
  bars: BarChartData[];
}

/** A time chart's long-form rows (one per bin and series), as the panel and the masking give them. */
export interface SeriesRow {
  bin: number;
  series: string | null;
  other: boolean;
  failures: number;
  seriesRef?: string;
}

export interface Pivot {
  bins: number[];
  series: { label: string; key: string | null; ref?: string; other: boolean; values: number[]; total: number }[];
}

/** Long form → one column per series (busiest first, "Other" last), one row per bin. */
export function pivot(rows: readonly SeriesRow[], noneLabel = '(none)'): Pivot {
  const bins = [...new Set(rows.map((r) => r.bin))].sort((a, b) => a - b);
  const index = new Map(bins.map((b, i) => [b, i]));
  const byKey = new Map<string, Pivot['series'][number]>();
  for (const r of rows) {
    const key = r.other ? '\u0000other' : `s:${r.series ?? ''}`;
    let s = byKey.get(key);
    if (!s) {
      s = { label: r.other ? 'Other' : (r.series ?? noneLabel), key: r.other ? null : r.series, other: r.other, values: bins.map(() => 0), total: 0 };
      if (r.seriesRef) s.ref = r.seriesRef;
      byKey.set(key, s);
    }
    s.values[index.get(r.bin)!] += r.failures;
    s.total += r.failures;
  }
  const series = [...byKey.values()].sort((a, b) => Number(a.other) - Number(b.other) || b.total - a.total || a.label.localeCompare(b.label));
  return { bins, series };
}

export function timeChart(id: string, title: string, p: Pivot, bin: number): TimeChartData {
  return { id, title, x: p.bins, bin, series: p.series.map((s) => ({ label: s.label, other: s.other, values: s.values })) };
}

export function barChart<R>(id: string, title: string, rows: readonly R[], label: (r: R) => string, value: (r: R) => number, measure = 'Failures', max = 15): BarChartData {
  const top = rows.slice(0, max);
  return { id, title, labels: top.map(label), values: top.map(value), measure };
}

/** Where the script draws a chart; hidden from assistive technology, the table says the same. */
export function chartSlot(id: string, kind: 'time' | 'bar'): SafeHtml {
  return html`<div class="tg-chart tg-chart-${kind}" id="tg-chart-${id}" data-chart="${id}" aria-hidden="true"></div>\n`;
}

/**
 * The data island. JSON inside <script> is raw text, not HTML: `<`, `>` and `&` are written as
 * \u escapes so no value (a user agent, a policy id) can close the element; U+2028/9 likewise.
 */
export function chartIsland(data: ChartData): SafeHtml {
  const json = JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return html`<script type="application/json" id="tg-wb-chart-data">${raw(json)}</script>\n`;
}
