// Keeps the workbook rollups (tables of migration 5) in step with the events table: incremental
// apply() past a rowid watermark, and a full rebuild(). Both read events through the feeds of
// sqlite-workbook-sql.ts, so a rollup and a raw-event query count the same things.
import type Database from 'better-sqlite3';
import { ROLLUP_SIZES } from '../../core/workbook/ranges.ts';
import { type Feed, feeds, sourceSelect } from './sqlite-workbook-sql.ts';

const feedList: readonly Feed[] = Object.values(feeds);

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
 * (the events table's rowid) in chunks, one transaction each: idempotent, and safe to call after
 * each append or on a timer. `rebuild()` recomputes everything in one transaction.
 */
export class WorkbookRollups {
  private readonly chunk: number;
  private readonly now: () => number;
  private readonly statements = new Map<string, Database.Statement>();

  /** `chunk`: events per apply transaction (default 100 000); `now`: stamps applied_at / rebuilt_at. */
  constructor(
    private readonly db: Database.Database,
    options: { chunk?: number; now?: () => number } = {},
  ) {
    this.chunk = options.chunk ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** Prepared once per SQL text (the texts are a fixed set built from the feeds). */
  private run(sql: string, ...params: unknown[]): Database.RunResult {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement.run(...params);
  }

  watermark(): number {
    return this.state().last_rowid;
  }

  private state(): StateRow {
    return this.db.prepare<[], StateRow>('SELECT last_rowid, last_id FROM wb_state WHERE id = 1').get()!;
  }

  apply(): ApplyResult {
    const start = this.state();
    if (start.last_rowid > 0) {
      const row = this.db.prepare<[number], { id: string }>('SELECT id FROM events WHERE rowid = ?').get(start.last_rowid);
      if (row?.id !== start.last_id) return { ...this.rebuild(), rebuilt: true };
    }
    let events = 0;
    for (;;) {
      const step = this.db.transaction(() => {
        const lo = this.state().last_rowid;
        const hi = this.chunkEnd(lo);
        if (hi === null) return 0;
        this.fillBatches(lo, hi);
        for (const feed of feedList) this.upsertFeed(feed, ROLLUP_SIZES);
        this.setWatermark(hi, 'applied_at');
        return this.db.prepare<[number, number], { n: number }>('SELECT count(*) AS n FROM events WHERE rowid > ? AND rowid <= ?').get(lo, hi)!.n;
      });
      const n = step.immediate();
      if (n === 0) break;
      events += n;
    }
    return { events, watermark: this.watermark(), rebuilt: false };
  }

  /** Recomputes every rollup from the events table (one write transaction). */
  rebuild(): ApplyResult {
    return this.db.transaction(() => {
      this.db.exec('DELETE FROM wb_rollup; DELETE FROM wb_shadow; UPDATE wb_state SET last_rowid = 0, last_id = NULL WHERE id = 1');
      let lo = 0;
      for (let hi = this.chunkEnd(lo); hi !== null; lo = hi, hi = this.chunkEnd(lo)) {
        this.fillBatches(lo, hi);
        for (const feed of feedList) this.upsertFeed(feed, ROLLUP_SIZES.slice(0, 1));
      }
      // Bigger blocks from the level below: far less work than from the events again.
      for (let i = 1; i < ROLLUP_SIZES.length; i++) {
        for (const feed of feedList) this.rollUpLevel(feed, ROLLUP_SIZES[i - 1]!, ROLLUP_SIZES[i]!);
      }
      this.setWatermark(lo, 'rebuilt_at');
      const events = this.db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM events WHERE rowid <= ?').get(lo)!.n;
      return { events, watermark: lo, rebuilt: true };
    }).immediate();
  }

  private chunkEnd(lo: number): number | null {
    const row = this.db
      .prepare<[number, number], { r: number }>('SELECT max(rowid) AS r FROM (SELECT rowid FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?)')
      .get(lo, this.chunk);
    return row?.r ?? null;
  }

  private setWatermark(hi: number, column: 'applied_at' | 'rebuilt_at'): void {
    const id = this.db.prepare<[number], { id: string }>('SELECT id FROM events WHERE rowid = ?').get(hi)?.id ?? null;
    this.db.prepare(`UPDATE wb_state SET last_rowid = ?, last_id = ?, ${column} = ? WHERE id = 1`).run(hi, id, this.now());
  }

  /** Fills the temp batch tables with the facts of events in rowid range (lo, hi]. */
  private fillBatches(lo: number, hi: number): void {
    for (const feed of [feeds.all, feeds.shadow]) {
      const cols = [...new Set(['time', ...Object.keys(feed.sources[0]!.columns)])];
      this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${feed.batch} (${cols.join(', ')}); DELETE FROM temp.${feed.batch}`);
      const insert = feed.sources
        .map((s) => `SELECT ${sourceSelect(s, cols)} FROM ${s.from} WHERE ${s.where} AND e.rowid > ? AND e.rowid <= ?`)
        .join(' UNION ALL ');
      this.run(`INSERT INTO temp.${feed.batch} (${cols.join(', ')}) ${insert}`, ...feed.sources.flatMap(() => [lo, hi]));
    }
  }

  private columns(feed: Feed): { keys: string[]; insert: string[]; conflict: string[] } {
    const keys = feed.keys.map(([c]) => c);
    const conflict = [...(feed.dim ? ['dim'] : []), 'size', 'bucket', ...keys, 'app_id', 'policy_id', 'channel'];
    return { keys, insert: [...conflict, ...feed.measures], conflict };
  }

  /**
   * Adds the batch to `feed` at each block size: first grouped into one-hour rows in a temp delta
   * table (recent events share a few hours, so the delta is small), then upserted per size.
   */
  private upsertFeed(feed: Feed, sizes: readonly number[]): void {
    const { keys, insert, conflict } = this.columns(feed);
    const delta = `${feed.batch}_delta`;
    const deltaCols = ['bucket', ...keys, 'app_id', 'policy_id', 'channel', ...feed.measures];
    this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${delta} (${deltaCols.join(', ')})`);
    this.run(`DELETE FROM temp.${delta}`);
    const hourGroup = [`time - time % ${ROLLUP_SIZES[0]}`, ...feed.keys.map(([, e]) => e), 'app_id', 'policy_id', 'channel'];
    this.run(
      `INSERT INTO temp.${delta} (${deltaCols.join(', ')}) SELECT ${[...hourGroup, ...feed.measures.map((m) => `sum(${m})`)].join(', ')}
       FROM temp.${feed.batch} WHERE ${feed.where} GROUP BY ${hourGroup.join(', ')}`,
    );
    const update = feed.measures.map((m) => `${m} = ${m} + excluded.${m}`).join(', ');
    for (const size of sizes) {
      const group = [`bucket - bucket % ${size}`, ...keys, 'app_id', 'policy_id', 'channel'];
      const select = [...(feed.dim ? [`'${feed.dim}'`] : []), String(size), ...group, ...feed.measures.map((m) => `sum(${m})`)];
      this.run(
        `INSERT INTO ${feed.table} (${insert.join(', ')}) SELECT ${select.join(', ')} FROM temp.${delta} WHERE true
         GROUP BY ${group.join(', ')} ON CONFLICT (${conflict.join(', ')}) DO UPDATE SET ${update}`,
      );
    }
  }

  private rollUpLevel(feed: Feed, from: number, to: number): void {
    const { keys, insert } = this.columns(feed);
    const groupBy = [`bucket - bucket % ${to}`, ...keys, 'app_id', 'policy_id', 'channel'];
    const dimSelect = feed.dim ? [`'${feed.dim}'`] : [];
    this.db.exec(
      `INSERT INTO ${feed.table} (${insert.join(', ')})
       SELECT ${[...dimSelect, String(to), ...groupBy, ...feed.measures.map((m) => `sum(${m})`)].join(', ')}
       FROM ${feed.table} WHERE ${feed.dim ? `dim = '${feed.dim}' AND ` : ''}size = ${from} GROUP BY ${groupBy.join(', ')}`,
    );
  }

}
