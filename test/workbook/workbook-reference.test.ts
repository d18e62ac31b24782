// Differential test: every panel from the SQLite rollups equals a naive computation over the event
// list, for random ranges (aligned and not, minutes to weeks, so both raw edges and the pruned top-N
// path run), random filters and limits, with rollups fully applied, partly applied and not at all.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkbookRollups } from '../../src/adapters/store/sqlite-workbook.ts';
import { type PanelId, panelIds } from '../../src/core/workbook/panels.ts';
import type { WorkbookFilters } from '../../src/core/workbook/filters.ts';
import { randomEvents, referencePanel } from './reference.ts';
import { D, H, MIN, T0, workbookFixture, type WorkbookFixture } from './helpers.ts';

const events = randomEvents(42, 4000);
let s = 99;
const r = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

function randomCase(): { f: WorkbookFilters; limit: number } {
  const spans = [5 * MIN, 3 * H, 6 * H, 26 * H, 5 * D, 9 * D, 12 * D];
  const span = spans[Math.floor(r() * spans.length)]!;
  const aligned = r() < 0.3;
  const from = aligned ? T0 - D + Math.floor(r() * 4) * D : T0 - D + Math.floor(r() * 3 * D);
  const f: WorkbookFilters = { from, to: from + span };
  if (r() < 0.25) f.policyId = ['P1', 'P2'][Math.floor(r() * 2)]!;
  if (r() < 0.15) f.appId = 'app-web';
  if (r() < 0.15) f.channel = r() < 0.5 ? 'sms' : 'voice';
  return { f, limit: [1, 3, 7, 100][Math.floor(r() * 4)]! };
}

function check(fx: WorkbookFixture, rounds: number) {
  for (let i = 0; i < rounds; i++) {
    const { f, limit } = randomCase();
    for (const id of panelIds) {
      const filters = { ...f };
      if (id === 'phone-details') filters.phoneNumber = events[Math.floor(r() * events.length)]!.phoneNumber ?? '+1';
      if (id === 'ip-details') filters.ip = events[Math.floor(r() * events.length)]!.ip ?? '10.0.0.0';
      const options = { limit: id.endsWith('timechart') ? Math.min(limit, 5) : limit, expectedRegions: ['US'] };
      const got = fx.service['queries' as never] as { run: (id: PanelId, f: WorkbookFilters, o: object) => unknown[] };
      assert.deepEqual(got.run(id, filters, options), referencePanel(events, id, filters, options), `${id} ${JSON.stringify({ ...filters, limit })}`);
    }
  }
}

describe('workbook vs a naive reference', () => {
  let fx: WorkbookFixture;
  before(async () => {
    fx = await workbookFixture();
    await fx.append(events);
  });
  after(() => fx.close());

  test('nothing rolled up: raw events only', () => check(fx, 15));
  test('partly rolled up (the rest read raw past the watermark)', () => {
    fx.db.prepare('DELETE FROM wb_rollup').run();
    fx.db.prepare('DELETE FROM wb_shadow').run();
    fx.db.prepare('UPDATE wb_state SET last_rowid = 0, last_id = NULL').run();
    const partial = new WorkbookRollups(fx.db, { chunk: 1000 });
    // One chunk only: stop after the first transaction by applying on a copy of the rowid range.
    fx.db.exec('CREATE TEMP TABLE keep AS SELECT rowid AS r, * FROM events WHERE rowid > 2500; DELETE FROM events WHERE rowid > 2500');
    partial.apply();
    fx.db.exec(`INSERT INTO events (rowid, ${columns(fx)}) SELECT r, ${columns(fx)} FROM temp.keep; DROP TABLE temp.keep`);
    check(fx, 15);
  });
  test('fully rolled up', () => {
    new WorkbookRollups(fx.db).apply();
    check(fx, 40);
  });
});

function columns(fx: WorkbookFixture): string {
  return (fx.db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map((c) => c.name).join(', ');
}
