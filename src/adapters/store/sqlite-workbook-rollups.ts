// Keeps the workbook rollups (tables of migration 5) in step with the events table: incremental
// apply() past a rowid watermark, and a full rebuild(). Both read events through the feeds of
// sqlite-workbook-sql.ts, so a rollup and a raw-event query count the same things.
import { StatementCache } from './sqlite-statements.ts';
import type Database from 'better-sqlite3';
import { ROLLUP_SIZES } from '../../core/workbook/ranges.ts';
import { type Feed, feeds, sourceSelect, TOTAL } from './sqlite-workbook-sql.ts';

const feedList: readonly Feed[] = Object.values(feeds);
/** Events per transaction of rebuild(): big sorted inserts beat many upserts. */
const REBUILD_CHUNK = 2_000_000;

interface StateRow {
  last_rowid: number;
  last_id: string | null;
}

export interface ApplyResult {
  /** Events read past the watermark (all of them, not only those that feed a panel). */
  events: number;
  watermark: number;
  /** The watermark row was gone or reused (e.g. after VACUUM), so everything was rebuilt. */
  rebuilt: boolean;
}

/**
 * Keeps the rollups in step with the events table. `apply()` adds every event past the watermark
 * (the events table's rowid: event ids are random UUIDs) in chunks, one transaction each:
 * idempotent, and safe to call after each append or on a timer. `rebuild()` recomputes everything
 * in one transaction.
 */
export class WorkbookRollups {
  private readonly chunk: number;
  private readonly now: () => number;
  private readonly statements: StatementCache;

  /** `chunk`: events per apply transaction (default 100 000); `now`: stamps applied_at / rebuilt_at. */
  constructor(
    private readonly db: Database.Database,
    options: { chunk?: number; now?: () => number } = {},
  ) {
    this.chunk = options.chunk ?? 100_000;
    this.now = options.now ?? Date.now;
    this.statements = new StatementCache(db);
  }

  /** Prepared once per SQL text (the texts are a fixed set built from the feeds). */
  private stmt(sql: string): Database.Statement {
    return this.statements.get(sql);
  }

  watermark(): number {
    return this.state().last_rowid;
  }

  private state(): StateRow {
    return this.stmt('SELECT last_rowid, last_id FROM wb_state WHERE id = 1').get() as StateRow;
  }

  apply(): ApplyResult {
    const start = this.state();
    if (start.last_rowid > 0) {
      const row = this.stmt('SELECT id FROM events WHERE rowid = ?').get(start.last_rowid) as { id: string } | undefined;
      if (row?.id !== start.last_id) return this.rebuild();
    }
    let events = 0;
    for (;;) {
      const n = this.db.transaction(() => {
        const lo = this.state().last_rowid;
        const hi = this.chunkEnd(lo, this.chunk);
        if (hi === null) return 0;
        this.fillBatches(lo, hi);
        for (const feed of feedList) this.upsertFeed(feed, ROLLUP_SIZES);
        this.setWatermark(hi, 'applied_at');
        return (this.stmt('SELECT count(*) AS n FROM events WHERE rowid > ? AND rowid <= ?').get(lo, hi) as { n: number }).n;
      }).immediate();
      if (n === 0) break;
      events += n;
    }
    return { events, watermark: this.watermark(), rebuilt: false };
  }

  /** Recomputes every rollup from the events table (one write transaction: run it in maintenance). */
  rebuild(): ApplyResult {
    return this.db.transaction(() => {
      this.db.exec('DELETE FROM wb_rollup; DELETE FROM wb_shadow; UPDATE wb_state SET last_rowid = 0, last_id = NULL WHERE id = 1');
      let lo = 0;
      for (let hi = this.chunkEnd(lo, REBUILD_CHUNK); hi !== null; lo = hi, hi = this.chunkEnd(lo, REBUILD_CHUNK)) {
        this.fillBatches(lo, hi);
        for (const feed of feedList) this.upsertFeed(feed, ROLLUP_SIZES.slice(0, 1));
      }
      // Bigger blocks from the level below: far less work than from the events again.
      for (let i = 1; i < ROLLUP_SIZES.length; i++) {
        for (const feed of feedList) this.rollUpLevel(feed, ROLLUP_SIZES[i - 1]!, ROLLUP_SIZES[i]!);
      }
      this.db.exec('DELETE FROM temp.wb_batch; DELETE FROM temp.wb_batch_shadow');
      this.setWatermark(lo, 'rebuilt_at');
      const events = (this.stmt('SELECT count(*) AS n FROM events WHERE rowid <= ?').get(lo) as { n: number }).n;
      return { events, watermark: lo, rebuilt: true };
    }).immediate();
  }

  private chunkEnd(lo: number, size: number): number | null {
    const row = this.stmt('SELECT max(rowid) AS r FROM (SELECT rowid FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?)').get(lo, size) as { r: number | null } | undefined;
    return row?.r ?? null;
  }

  private setWatermark(hi: number, column: 'applied_at' | 'rebuilt_at'): void {
    const id = (this.stmt('SELECT id FROM events WHERE rowid = ?').get(hi) as { id: string } | undefined)?.id ?? null;
    this.stmt(`UPDATE wb_state SET last_rowid = ?, last_id = ?, ${column} = ? WHERE id = 1`).run(hi, id, this.now());
  }

  /** Fills the temp batch tables with the facts of events in rowid range (lo, hi]. */
  private fillBatches(lo: number, hi: number): void {
    for (const feed of [feeds.all, feeds.shadow]) {
      const cols = [...new Set(['time', ...Object.keys(feed.sources[0]!.columns)])];
      this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${feed.batch} (${cols.join(', ')})`);
      this.stmt(`DELETE FROM temp.${feed.batch}`).run();
      const insert = feed.sources
        .map((s) => `SELECT ${sourceSelect(s, cols)} FROM ${s.from} WHERE ${s.where} AND e.rowid > ? AND e.rowid <= ?`)
        .join(' UNION ALL ');
      this.stmt(`INSERT INTO temp.${feed.batch} (${cols.join(', ')}) ${insert}`).run(...feed.sources.flatMap(() => [lo, hi]));
    }
  }

  /**
   * Adds the batch to `feed` at each block size: first grouped into one-hour rows in a temp delta
   * table (recent events share a few hours, so the delta is small), with a totals row per key for
   * wb_rollup, then upserted per size in primary-key order.
   */
  private upsertFeed(feed: Feed, sizes: readonly number[]): void {
    const measures = feed.measures;
    const keys = feed.keys.map(([c]) => c);
    const delta = `${feed.batch}_delta`;
    const deltaCols = ['bucket', ...feed.pk.filter((c) => c !== 'dim' && c !== 'size' && c !== 'bucket'), ...measures];
    this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${delta} (${deltaCols.join(', ')})`);
    this.stmt(`DELETE FROM temp.${delta}`).run();
    const keyExpr = new Map(feed.keys);
    const hour = `time - time % ${ROLLUP_SIZES[0]}`;
    const detail = deltaCols.slice(1, -measures.length).map((c) => keyExpr.get(c) ?? c);
    const sums = measures.map((m) => `sum(${m})`);
    let select = `SELECT ${[hour, ...detail, ...sums].join(', ')} FROM temp.${feed.batch} WHERE ${feed.where} GROUP BY ${[hour, ...detail].join(', ')}`;
    if (feed.table === 'wb_rollup') {
      const totals = deltaCols.slice(1, -measures.length).map((c) => keyExpr.get(c) ?? `'${TOTAL}'`);
      select += ` UNION ALL SELECT ${[hour, ...totals, ...sums].join(', ')} FROM temp.${feed.batch} WHERE ${feed.where} GROUP BY ${[hour, ...keys.map((k) => keyExpr.get(k)!)].join(', ')}`;
    }
    this.stmt(`INSERT INTO temp.${delta} (${deltaCols.join(', ')}) ${select}`).run();
    const update = measures.map((m) => `${m} = ${m} + excluded.${m}`).join(', ');
    for (const size of sizes) {
      const group = feed.pk.filter((c) => c !== 'dim' && c !== 'size').map((c) => (c === 'bucket' ? `bucket - bucket % ${size}` : c));
      const cols = [...(feed.dim ? [`'${feed.dim}'`] : []), String(size), ...group, ...measures.map((m) => `sum(${m})`)];
      this.stmt(
        `INSERT INTO ${feed.table} (${[...feed.pk, ...measures].join(', ')}) SELECT ${cols.join(', ')} FROM temp.${delta} WHERE true
         GROUP BY ${group.join(', ')} ON CONFLICT (${feed.pk.join(', ')}) DO UPDATE SET ${update}`,
      ).run();
    }
  }

  private rollUpLevel(feed: Feed, from: number, to: number): void {
    const group = feed.pk.filter((c) => c !== 'dim' && c !== 'size').map((c) => (c === 'bucket' ? `bucket - bucket % ${to}` : c));
    const cols = [...(feed.dim ? [`'${feed.dim}'`] : []), String(to), ...group, ...feed.measures.map((m) => `sum(${m})`)];
    this.db.exec(
      `INSERT INTO ${feed.table} (${[...feed.pk, ...feed.measures].join(', ')}) SELECT ${cols.join(', ')}
       FROM ${feed.table} WHERE ${feed.dim ? `dim = '${feed.dim}' AND ` : ''}size = ${from} GROUP BY ${group.join(', ')}`,
    );
  }
}
