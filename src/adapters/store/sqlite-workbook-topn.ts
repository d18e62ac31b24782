// Exact top N over a high-cardinality rollup (phone numbers, IPs, phone+IP pairs, prefixes) without
// grouping every key of the range: a 30-day range is ~13 blocks of up to ~90k keys each (10M events),
// and sorting them all costs ~1 µs a row. Instead (Fagin's "no random access" top-k, then exact sums):
//   1. each block's top K keys: K entries of a rank index over the totals rows;
//   2. a key outside a block's top K has at most that block's K-th value there, so every key gets an
//      upper bound, and keys in no top K at all are bounded by T = Σ K-th values;
//   3. candidates are summed exactly (index seeks) in order of their bound until N exact sums beat
//      every remaining bound. Heavy tails finish in one round; flat data raises K, then falls back
//      to the plain aggregation, as do short and filtered ranges (few rows to aggregate).
import type { WorkbookFilters } from '../../core/workbook/filters.ts';
import { planRange } from '../../core/workbook/ranges.ts';
import { type Feed, TOTAL, withTail } from './sqlite-workbook-sql.ts';
import type { SqliteWorkbook } from './sqlite-workbook.ts';

const MAX_K = 20_000;
/** Candidates summed exactly per query, and at most in all before plain aggregation is cheaper. */
const EVAL_CHUNK = 1_000;
const MAX_EVAL = 3_000;
/** Ranges without a block this large hold few keys per block: plain aggregation is cheaper. */
const SMALL_BLOCK = 4 * 86_400_000;

export interface TopQuery {
  feed: Feed;
  /** Measure ranked on (descending); rows where it is 0 are left out. */
  measure: string;
  limit: number;
  /** Outer select over `u`, grouped by value, value2; `_rank` is added. */
  select: string;
  /** SQL order of the rows (`_rank DESC, …`), for the plain aggregation… */
  order: string;
  /** …and its tie-break after the measure in JS, for the pruned path. */
  tieBreak: (a: Record<string, unknown>, b: Record<string, unknown>) => number;
}

type Ranked = Record<string, unknown> & { _rank: number; _value: string; _value2: string };
interface Candidate {
  value: string;
  /** Known part of the sum: raw events and the blocks where the key made the top K. */
  known: number;
  /** Σ K-th values of the blocks where it did. */
  seenKth: number;
}

export function sqliteTopN<R>(wb: SqliteWorkbook, f: WorkbookFilters, watermark: number, q: TopQuery): R[] {
  const plan = withTail(planRange(f.from, f.to));
  const select = `${q.select}, value AS _value, value2 AS _value2, sum(${q.measure}) AS _rank`;
  const rest = `GROUP BY value, value2 HAVING _rank > 0`;
  const order = (a: Ranked, b: Ranked) => b._rank - a._rank || q.tieBreak(a, b);
  const finish = (rows: Ranked[]): R[] => rows.filter((r) => r._rank > 0).sort(order).slice(0, q.limit).map(({ _rank, _value, _value2, ...r }) => r as R);
  const pair = (value: string, value2: string) => `${value}\u0000${value2}`;

  const full = () => finish(wb.agg<Ranked>(q.feed, f, watermark, plan, { select, rest: `${rest} ORDER BY ${q.order} LIMIT ?`, restParams: [q.limit] }));
  const unfiltered = f.appId === undefined && f.policyId === undefined && f.channel === undefined;
  // Short ranges hold few keys (blocks under 4 days): aggregate them all. So do filtered ranges:
  // their rows are one policy's (a key prefix) and there is no rank index for them.
  if (!unfiltered || !plan.runs.some((r) => r.size >= SMALL_BLOCK)) return full();

  // Raw edges and events past the watermark are few: summed once, exactly, per key.
  // (All of them, not only those ranking above 0: their other sums belong to the exact rows.)
  const rawRows = wb.agg<Ranked>(q.feed, f, watermark, { ...plan, runs: [] }, { select, rest: 'GROUP BY value, value2' });
  const raw = new Map(rawRows.map((r) => [pair(r._value, r._value2), r]));
  const rawByValue = new Map<string, Ranked[]>();
  for (const r of rawRows) rawByValue.set(r._value, [...(rawByValue.get(r._value) ?? []), r]);
  const rollupsOnly = { ...plan, raw: [], tail: [] };
  const blocks = plan.runs.flatMap((r) => Array.from({ length: (r.to - r.from) / r.size }, (_, i) => [r.size, r.from + i * r.size] as const));

  for (let k = Math.max(2 * q.limit, 64); k <= MAX_K; k *= 4) {
    const candidates = new Map<string, Candidate>();
    for (const r of rawRows) if (r._rank > 0) candidates.set(pair(r._value, r._value2), { value: r._value, known: r._rank, seenKth: 0 });
    let bound = 0;
    for (const [size, bucket] of blocks) {
      // The block's totals rows through the rank index: K entries read.
      const top = wb.all<{ value: string; value2: string; m: number }>(
        `SELECT value, value2, ${q.measure} AS m FROM wb_rollup WHERE dim = '${q.feed.dim}' AND size = ? AND bucket = ?
         AND policy_id = '${TOTAL}' AND app_id = '${TOTAL}' AND channel = '${TOTAL}' AND ${q.measure} > 0 ORDER BY ${q.measure} DESC LIMIT ?`,
        [size, bucket, k],
      );
      const kth = top.length === k ? top[k - 1]!.m : 0;
      bound += kth;
      for (const t of top) {
        const key = pair(t.value, t.value2);
        const c = candidates.get(key) ?? { value: t.value, known: 0, seenKth: 0 };
        c.known += t.m;
        c.seenKth += kth;
        candidates.set(key, c);
      }
    }
    // Upper bound of a candidate: what is known plus the K-th value of every block it missed.
    const queue = [...candidates.values()].map((c) => ({ value: c.value, upper: c.known + bound - c.seenKth })).sort((a, b) => b.upper - a.upper);
    const exact = new Map<string, Ranked>();
    const evaluated = new Set<string>();
    const evaluate = (values: string[]) => {
      const fresh = [...new Set(values)].filter((v) => !evaluated.has(v));
      for (let i = 0; i < fresh.length; i += EVAL_CHUNK) {
        const chunk = fresh.slice(i, i + EVAL_CHUNK);
        for (const v of chunk) evaluated.add(v);
        const rolled = wb.agg<Ranked>(q.feed, f, watermark, rollupsOnly, { select, rest: 'GROUP BY value, value2', valueIn: chunk });
        for (const row of rolled) exact.set(pair(row._value, row._value2), addRows(row, raw.get(pair(row._value, row._value2))));
        // Keys of the chunk seen only raw.
        for (const v of chunk) for (const r of rawByValue.get(v) ?? []) if (!exact.has(pair(v, r._value2))) exact.set(pair(v, r._value2), r);
      }
    };
    // First the N best bounds; then every candidate whose bound still reaches the N-th exact sum
    // (ties included: a tied key may sort first).
    evaluate(queue.slice(0, q.limit).map((c) => c.value));
    const first = [...exact.values()].sort(order)[q.limit - 1]?._rank ?? 0;
    const contenders = queue.filter((c) => !evaluated.has(c.value) && c.upper >= first).map((c) => c.value);
    if (contenders.length > MAX_EVAL) return full(); // flat data: pruning does not pay
    evaluate(contenders);
    const best = [...exact.values()].sort(order);
    const nth = best[q.limit - 1];
    // Keys outside the candidates sum to at most `bound`: done when it cannot reach the N-th.
    if (bound === 0 || (nth !== undefined && nth._rank > bound)) return finish(best);
  }
  return full();
}

/** Sums two rows of the same key: numbers add up, texts (the key columns) are kept. */
function addRows(a: Ranked, b: Ranked | undefined): Ranked {
  if (!b) return a;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) if (typeof v === 'number' && typeof out[k] === 'number') out[k] = (out[k] as number) + v;
  return out as Ranked;
}
