// Rollup maintenance: incremental apply() in any number of steps equals rebuild(), apply() is
// idempotent, and a reused watermark rowid (VACUUM, a deleted newest event) triggers a rebuild.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkbookRollups } from '../../src/adapters/store/sqlite-workbook.ts';
import { randomEvents } from './reference.ts';
import { ev, T0, workbookFixture, type WorkbookFixture } from './helpers.ts';

function snapshot(fx: WorkbookFixture) {
  return {
    rollup: fx.db.prepare('SELECT * FROM wb_rollup ORDER BY dim, size, bucket, value, value2, app_id, policy_id, channel').all(),
    shadow: fx.db.prepare('SELECT * FROM wb_shadow ORDER BY size, bucket, rule, code, shadow_action, happened, enforced_action, app_id, policy_id, channel').all(),
  };
}

describe('workbook rollups', () => {
  test('apply() in small chunks and several calls equals rebuild(); a second apply() changes nothing', async () => {
    const fx = await workbookFixture();
    try {
      const events = randomEvents(7, 1500);
      const chunked = new WorkbookRollups(fx.db, { chunk: 97 });
      await fx.append(events.slice(0, 600));
      assert.equal(chunked.apply().events, 600);
      await fx.append(events.slice(600));
      const second = chunked.apply();
      assert.deepEqual([second.events, second.rebuilt], [900, false]);
      const incremental = snapshot(fx);
      assert.ok(incremental.rollup.length > 1000 && incremental.shadow.length > 10, 'the data exercises every rollup');

      assert.deepEqual(chunked.apply(), { events: 0, watermark: second.watermark, rebuilt: false });
      assert.deepEqual(snapshot(fx), incremental, 'idempotent');

      const rebuilt = new WorkbookRollups(fx.db).rebuild();
      assert.deepEqual([rebuilt.events, rebuilt.watermark], [1500, second.watermark]);
      assert.deepEqual(snapshot(fx), incremental);
    } finally {
      await fx.close();
    }
  });

  test('a watermark row that was deleted or reused makes apply() rebuild', async () => {
    const fx = await workbookFixture();
    try {
      const rollups = new WorkbookRollups(fx.db);
      const failure = { type: 'code.send_refused', outcome: 'failure', reason: 'invalid_phone_number' } as const;
      const [a, b] = [ev({ ...failure, time: T0 }), ev({ ...failure, time: T0 + 1 })];
      await fx.append([a!, b!]);
      rollups.apply();
      // Deleting the newest event lets SQLite hand its rowid to the next insert.
      fx.db.prepare('DELETE FROM events WHERE id = ?').run(b!.id);
      await fx.append([ev({ ...failure, time: T0 + 2 })]);
      const result = rollups.apply();
      assert.equal(result.rebuilt, true);
      assert.deepEqual(await fx.service.totalFailures({ from: T0, to: T0 + 1000 }), [{ failures: 2 }]);
    } finally {
      await fx.close();
    }
  });
});
