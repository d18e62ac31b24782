// Workbook test helpers: a real SQLite file in a temp dir (the store's migrations plus the workbook
// migration), an event builder, and a manual clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { SqliteStore } from '../../src/adapters/store/sqlite.ts';
import { runSqliteMigrations, sqliteMigrations } from '../../src/adapters/store/sqlite-migrations.ts';
import { workbookMigration } from '../../src/adapters/store/sqlite-migrations-workbook.ts';
import type { TollgateEvent } from '../../src/core/events/event.ts';
import { WorkbookService } from '../../src/services/workbook-service.ts';

/** 2025-01-15T00:00:00Z: on a UTC day, not on a 4-day block. */
export const T0 = Date.UTC(2025, 0, 15);
export const MIN = 60_000;
export const H = 60 * MIN;
export const D = 24 * H;

let seq = 0;
/** `reason` is a string: defense codes (bad_reputation, …) are event reasons too. */
export function ev(over: Omit<Partial<TollgateEvent>, 'reason'> & { reason?: string } = {}): TollgateEvent {
  seq++;
  return {
    id: `evt-${String(seq).padStart(6, '0')}`, time: T0, type: 'code.sent', outcome: 'success', reason: 'ok',
    reasonDescription: 'N/A', appId: 'app-web', policyId: 'B2C_1A_signin', profileId: 'PhoneFactor-InputOrVerify',
    sessionId: `sess-${seq}`, userIdHash: null, phoneNumber: '+14155550100', countryCallingCode: '1', phoneRegion: 'US',
    channel: 'sms', ip: '203.0.113.1', userAgent: 'UA', browser: 'Chrome', browserVersion: '131', os: 'Android',
    osVersion: '14', deviceType: 'mobile', cost: 0, currency: 'USD', correlationId: null, details: {},
    ...over,
  } as TollgateEvent;
}

export interface WorkbookFixture {
  store: SqliteStore;
  db: Database.Database;
  clock: ManualClock;
  service: WorkbookService;
  append(events: readonly TollgateEvent[]): Promise<void>;
  close(): Promise<void>;
}

export async function workbookFixture(now = T0 + 10 * D): Promise<WorkbookFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-workbook-'));
  const path = join(dir, 'tollgate.db');
  const store = new SqliteStore(path);
  await store.migrate();
  // The lead appends workbookMigration to sqliteMigrations; until then (and after) this applies it once.
  const db = new Database(path);
  runSqliteMigrations(db, path, [...sqliteMigrations.filter((m) => m.version !== workbookMigration.version), workbookMigration]);
  const clock = new ManualClock(now);
  return {
    store,
    db,
    clock,
    service: new WorkbookService(db, clock),
    async append(events) {
      for (const e of events) await store.appendEvent(e);
    },
    async close() {
      db.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
