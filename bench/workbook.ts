// Workbook benchmark: generates N events over 30 days into a temp SQLite file (default 10 million),
// builds the rollups, then times every panel for the last 30 days and the last 24 hours (median
// of 5 warm runs) beside a plain full-scan query on the same database in the same run.
//   node --import tsx bench/workbook.ts [--events N] [--runs 5] [--db path] [--results]
// --db keeps the database; given one already filled, its events are reused (no generation) and so
// are its rollups if they are up to date, with the generation and rebuild times recorded in it.
// --results writes the table into bench/RESULTS.md (section "Workbook panels").
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runSqliteMigrations, sqliteMigrations } from '../src/adapters/store/sqlite-migrations.ts';
import { workbookMigration } from '../src/adapters/store/sqlite-migrations-workbook.ts';
import { SqliteWorkbook, WorkbookRollups } from '../src/adapters/store/sqlite-workbook.ts';
import { FAILURE_SQL } from '../src/adapters/store/sqlite-workbook-sql.ts';
import { DAY, type WorkbookFilters } from '../src/core/workbook/filters.ts';
import { type PanelId, panelIds } from '../src/core/workbook/panels.ts';
import { writeSection } from './results.ts';
import { generateEvents } from './workbook-data.ts';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const N = Number(opt('events', '10000000').replaceAll('_', ''));
const RUNS = Number(opt('runs', '5'));
const END = Date.UTC(2025, 5, 30, 13, 37, 12, 345); // "now": deliberately not on an hour, so ranges have ragged edges
const kept = args.includes('--db');
const dir = kept ? null : mkdtempSync(join(tmpdir(), 'tollgate-bench-'));
const path = dir ? join(dir, 'workbook.db') : opt('db', '');
const migrations = [...sqliteMigrations.filter((m) => m.version !== workbookMigration.version), workbookMigration];
const log = (s: string) => process.stderr.write(`${s}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function open(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -262144'); // 256 MiB page cache (SQLite's default is 2 MiB)
  runSqliteMigrations(db, file, migrations);
  return db;
}

// Calibrate events per session with a small in-memory run, so N events span the full 30 days.
const pilot = open(':memory:');
const pilotSessions = 20_000;
const pilotEvents = generateEvents(pilot, { events: pilotSessions, eventsPerSession: 1, end: END });
pilot.close();
const eventsPerSession = pilotEvents / pilotSessions;

/**
 * Bulk load: the events table's secondary indexes are dropped and rebuilt afterwards (a sorted build
 * beats 10M random index inserts several times over), without a journal. Bench-only shortcuts; the
 * database ends with exactly the schema the migrations create, in WAL mode.
 */
function bulkLoad(db: Database.Database, load: () => number): { events: number; indexMs: number } {
  const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -2097152'); // 2 GiB while loading
  for (const i of indexes) db.exec(`DROP INDEX ${i.name}`);
  const events = load();
  const t = performance.now();
  for (const i of indexes) db.exec(i.sql);
  const indexMs = performance.now() - t;
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -262144');
  return { events, indexMs };
}

const db = open(path);
let t0 = performance.now();
// --db with events already in it (a kept database): reuse them instead of generating again.
const existing = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
const loaded = existing > 0 ? { events: existing, indexMs: 0 } : bulkLoad(db, () => generateEvents(db, { events: N, end: END, eventsPerSession, onProgress: (n) => log(`  generated ${n.toLocaleString('en')} events, ${secs(performance.now() - t0)}`) }));
const written = loaded.events;
// Timings of the run that built a kept database live in it (a bench-only table), for reruns.
db.exec('CREATE TABLE IF NOT EXISTS bench_workbook (key TEXT PRIMARY KEY, value REAL NOT NULL)');
const meta = {
  get: (key: string) => (db.prepare('SELECT value FROM bench_workbook WHERE key = ?').get(key) as { value: number } | undefined)?.value,
  set: (key: string, value: number) => db.prepare('INSERT OR REPLACE INTO bench_workbook (key, value) VALUES (?, ?)').run(key, value),
};
if (existing === 0) {
  meta.set('generated', written);
  meta.set('generationMs', performance.now() - t0);
  meta.set('indexMs', loaded.indexMs);
  log(`indexes rebuilt in ${secs(loaded.indexMs)}`);
}
const generationMs = meta.get('generationMs') ?? Number.NaN;
const indexMs = meta.get('indexMs') ?? Number.NaN;
log(`${written.toLocaleString('en')} events (${existing ? 'reused' : `generated in ${secs(generationMs)}`})`);

const rollups = new WorkbookRollups(db);
const maxRowid = (db.prepare('SELECT max(rowid) AS r FROM events').get() as { r: number }).r;
const rollupsCurrent = existing > 0 && rollups.watermark() === maxRowid && meta.get('rebuildMs') !== undefined;
if (!rollupsCurrent) {
  t0 = performance.now();
  rollups.rebuild();
  meta.set('rebuildMs', performance.now() - t0);
}
const rebuildMs = meta.get('rebuildMs')!;
const rollupRows = (db.prepare('SELECT count(*) AS n FROM wb_rollup').get() as { n: number }).n;
log(`rollups ${rollupsCurrent ? 'reused' : 'rebuilt'}: ${secs(rebuildMs)} (${rollupRows.toLocaleString('en')} rows)`);

const wb = new SqliteWorkbook(db);
const median = (fn: () => unknown): number => {
  fn(); // warm
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
};

const ranges: [string, WorkbookFilters][] = [['30 d', { from: END - 30 * DAY, to: END }], ['24 h', { from: END - DAY, to: END }]];
const baseline = ranges.map(([, f]) => median(() => db.prepare(`SELECT reason, count(*) AS n FROM events NOT INDEXED WHERE time >= ? AND time < ? AND ${FAILURE_SQL} GROUP BY reason`).all(f.from, f.to)));
const rows: { name: string; ms: number[] }[] = [{ name: 'baseline: full scan, failures by reason', ms: baseline }];
const cases: [string, PanelId, (f: WorkbookFilters) => WorkbookFilters][] = panelIds.map((id) => [id, id, (f) => f]);
cases.push(['failed-phones (policy filter)', 'failed-phones', (f) => ({ ...f, policyId: 'B2C_1A_signup_signin' })]);
cases.push(['phone-ips (voice only)', 'phone-ips', (f) => ({ ...f, channel: 'voice' })]);
cases.push(['failure-reasons (app filter)', 'failure-reasons', (f) => ({ ...f, appId: 'app-mobile' })]);
for (const [name, id, tweak] of cases) {
  const ms = ranges.map(([, base]) => {
    const f = tweak(base);
    if (id === 'phone-details') f.phoneNumber = wb.failedPhones(base, { limit: 1 })[0]?.phoneNumber ?? '+0';
    if (id === 'ip-details') f.ip = wb.failedIps(base, { limit: 1 })[0]?.ip ?? '0.0.0.0';
    return median(() => wb.run(id, f, { expectedRegions: ['US', 'GB', 'DE', 'FR'] }));
  });
  rows.push({ name, ms });
}

// Incremental refresh: 10k more events from the last hour (rowids past the watermark), then apply().
generateEvents(db, { events: 10_000, end: END, days: 1 / 24, eventsPerSession, seed: 99 });
t0 = performance.now();
const applied = rollups.apply();
const applyMs = performance.now() - t0;

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const ratio = (ms: number, base: number) => (ms / base).toFixed(4);
const table = [
  `| panel | ${ranges.map(([r]) => `${r} ms | ${r} × baseline`).join(' | ')} |`,
  `|---|${ranges.map(() => '---:|---:').join('|')}|`,
  ...rows.map((r) => `| ${r.name} | ${r.ms.map((ms, i) => `${fmt(ms)} | ${ratio(ms, baseline[i]!)}`).join(' | ')} |`),
].join('\n');
const slowest = Math.max(...rows.slice(1).flatMap((r) => r.ms));
const generated = meta.get('generated') ?? written;
const facts = [
  `- events: ${generated.toLocaleString('en')} over 30 days, generated in ${secs(generationMs)} (${Math.round(generated / (generationMs / 1000)).toLocaleString('en')} events/s including ${secs(indexMs)} building the events indexes after the bulk load); database ${(statSync(path).size / 2 ** 30).toFixed(2)} GiB${existing ? `; panels timed on a rerun over the same database (${written.toLocaleString('en')} events by then)` : ''}`,
  `- rollups: rebuild() ${secs(rebuildMs)}, ${rollupRows.toLocaleString('en')} rows in wb_rollup; apply() of ${applied.events.toLocaleString('en')} new events from the last hour: ${fmt(applyMs)} ms`,
  `- slowest panel: ${fmt(slowest)} ms (target < 200 ms); median of ${RUNS} warm runs; ranges end at an unaligned "now" (${new Date(END).toISOString()}); × baseline = panel ms / baseline ms`,
  `- machine: shared and noisy (load average ${loadavg()[0]!.toFixed(1)} at the end); SQLite ${(db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v}`,
].join('\n');
console.log(`${table}\n\n${facts}`);

if (args.includes('--results')) {
  const command = `node --import tsx bench/workbook.ts --events ${N}${kept ? ' --db <file>' : ''} --results`;
  writeSection('Workbook panels', `${facts}\n\n${table}`, command);
  log('wrote bench/RESULTS.md');
}
db.close();
if (dir) rmSync(dir, { recursive: true, force: true });
else log(`kept ${path}`);

