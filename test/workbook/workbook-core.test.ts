// The pure parts of the workbook: the failure definition, filters and presets, range planning
// (blocks + raw edges cover a range exactly once), chart bins, shaping and CSV export.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, toCsv } from '../../src/core/workbook/csv.ts';
import { feedsWorkbook, isFailure, isFirstSend, phonePrefix } from '../../src/core/workbook/failures.ts';
import { clampLimit, resolveFilters } from '../../src/core/workbook/filters.ts';
import { binFor, binStarts, planBinned, planRange, ROLLUP_SIZES, type RangePlan } from '../../src/core/workbook/ranges.ts';
import { conversion, denseSeries, expectedRegion } from '../../src/core/workbook/shaping.ts';
import { workbookMigration } from '../../src/adapters/store/sqlite-migrations-workbook.ts';
import { FAILURE_SQL } from '../../src/adapters/store/sqlite-workbook-sql.ts';
import { TollgateError } from '../../src/core/errors.ts';
import { D, H, MIN, T0 } from './helpers.ts';

describe('failure definition', () => {
  test('failures are refused sends, rejected codes, failed and expired sessions, failed deliveries', () => {
    const f = (type: string, outcome: string) => isFailure({ type, outcome } as never);
    assert.equal(f('code.send_refused', 'failure'), true);
    assert.equal(f('code.send_refused', 'client_error'), true);
    assert.equal(f('code.rejected', 'client_error'), true);
    assert.equal(f('session.failed', 'failure'), true);
    assert.equal(f('session.expired', 'failure'), true);
    assert.equal(f('delivery.status', 'failure'), true);
    assert.equal(f('delivery.status', 'success'), false);
    assert.equal(f('session.cancelled', 'failure'), false, 'the user chose to stop');
    assert.equal(f('code.sent', 'success'), false);
    assert.equal(feedsWorkbook({ type: 'session.verified', outcome: 'success' } as never), true);
    assert.equal(feedsWorkbook({ type: 'session.created', outcome: 'success' } as never), false);
  });

  test('first sends, prefixes', () => {
    assert.equal(isFirstSend({ type: 'code.sent', details: { sendCount: 1 } } as never), true);
    assert.equal(isFirstSend({ type: 'code.sent', details: { sendCount: 2 } } as never), false);
    assert.equal(isFirstSend({ type: 'code.sent', details: {} } as never), true);
    assert.equal(phonePrefix('+447700900123'), '+44770090');
  });

  test('the migration indexes failures with the adapter\'s exact predicate (else the planner ignores it)', () => {
    assert.ok(workbookMigration.up.replace(/\s+/g, ' ').includes(`WHERE ${FAILURE_SQL}`));
    assert.equal(workbookMigration.version, 5);
    assert.equal(workbookMigration.name, 'workbook-rollups');
  });
});

describe('filters', () => {
  test('presets resolve against now; default 30 days', () => {
    assert.deepEqual(resolveFilters({}, T0), { from: T0 - 30 * D, to: T0 });
    assert.deepEqual(resolveFilters({ range: '5m' }, T0), { from: T0 - 5 * MIN, to: T0 });
    assert.deepEqual(resolveFilters({ range: '90d', policyId: 'P', appId: 'A', channel: 'voice' }, T0), { from: T0 - 90 * D, to: T0, policyId: 'P', appId: 'A', channel: 'voice' });
    assert.deepEqual(resolveFilters({ from: 5, to: 10, phoneNumber: '+1', ip: '' }, T0), { from: 5, to: 10, phoneNumber: '+1' });
  });

  test('bad input is invalid_request naming the field', () => {
    const field = (input: object) => {
      try {
        resolveFilters(input, T0);
      } catch (e) {
        assert.ok(e instanceof TollgateError);
        assert.equal(e.code, 'invalid_request');
        return e.steering.field;
      }
      return null;
    };
    assert.equal(field({ range: '6d' }), 'range');
    assert.equal(field({ from: 10, to: 5 }), 'to');
    assert.equal(field({ to: 5 }), 'from');
    assert.equal(field({ from: 0, to: 400 * D }), 'from');
    assert.equal(field({ range: '1d', from: 1 }), 'range');
    assert.equal(field({ channel: 'fax' }), 'channel');
    assert.equal(resolveFilters({ channel: 'email' }, T0).channel, 'email');
    assert.equal(clampLimit(0), 1);
    assert.equal(clampLimit(1e9), 10_000);
    assert.equal(clampLimit(undefined), 100);
  });
});

describe('range planning', () => {
  const covered = (plan: RangePlan): [number, number][] =>
    [...plan.runs.flatMap((r) => {
      const out: [number, number][] = [];
      for (let t = r.from; t < r.to; t += r.size) out.push([t, t + r.size]);
      return out;
    }), ...plan.raw.map((s) => [s.from, s.to] as [number, number])].sort((a, b) => a[0] - b[0]);

  test('blocks and raw edges tile [from, to) exactly, blocks aligned on their size', () => {
    let x = 12345;
    const rand = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const from = T0 + Math.floor(rand() * 40 * D);
      const to = from + 1 + Math.floor(rand() * (rand() < 0.5 ? 2 * D : 100 * D));
      const plan = planRange(from, to);
      const parts = covered(plan);
      assert.equal(parts[0]![0], from);
      assert.equal(parts[parts.length - 1]![1], to);
      for (let j = 1; j < parts.length; j++) assert.equal(parts[j]![0], parts[j - 1]![1]);
      for (const r of plan.runs) assert.equal(r.from % r.size, 0);
      for (const s of plan.raw) assert.ok(s.to - s.from < 2 * H, 'raw edges are under an hour each');
    }
  });

  test('30 days end at an odd minute: a handful of blocks, raw only at the edges', () => {
    const to = T0 + 13 * H + 37 * MIN;
    const plan = planRange(to - 30 * D, to);
    assert.ok(plan.runs.reduce((n, r) => n + (r.to - r.from) / r.size, 0) <= 20);
    assert.deepEqual(plan.raw, [{ from: to - 30 * D, to: to - 30 * D + 23 * MIN }, { from: to - 37 * MIN, to }]);
    assert.deepEqual(planRange(T0, T0 + 30 * MIN), { runs: [], raw: [{ from: T0, to: T0 + 30 * MIN }] });
    assert.deepEqual(ROLLUP_SIZES.map((s) => s / H), [1, 4, 24, 96, 384, 1536]);
  });

  test('adaptive bins; binned plans never let a block straddle a bin', () => {
    assert.equal(binFor(0, 6 * H), 5 * MIN);
    assert.equal(binFor(0, 6 * H + 1), H);
    assert.equal(binFor(0, 7 * D), H);
    assert.equal(binFor(0, 7 * D + 1), D);
    assert.deepEqual(binStarts(T0 + 90 * MIN, T0 + 3 * H, H), [T0 + H, T0 + 2 * H]);
    const plan = planBinned(T0 + 30 * MIN, T0 + 3 * D + 30 * MIN, D);
    for (const r of plan.runs) assert.ok(r.size <= D);
    assert.deepEqual(planBinned(T0, T0 + H, 5 * MIN), { runs: [], raw: [{ from: T0, to: T0 + H }] });
  });
});

describe('shaping', () => {
  test('dense series with "other", conversion, expected regions', () => {
    const rows = denseSeries([0, 10], ['a'], [{ bin: 0, series: 'a', failures: 2 }], new Map([[0, 5], [10, 1]]));
    assert.deepEqual(rows, [
      { bin: 0, series: 'a', other: false, failures: 2 },
      { bin: 0, series: null, other: true, failures: 3 },
      { bin: 10, series: 'a', other: false, failures: 0 },
      { bin: 10, series: null, other: true, failures: 1 },
    ]);
    assert.deepEqual(denseSeries([0], ['a'], [{ bin: 0, series: 'a', failures: 2 }], new Map([[0, 2]])), [{ bin: 0, series: 'a', other: false, failures: 2 }]);
    assert.deepEqual(conversion({ sessionsWithCode: 4, verifiedSessions: 1, sends: 5, spendMicros: 1_500_000, failures: 2 }), { sessionsWithCode: 4, verifiedSessions: 1, conversionRate: 0.25, sends: 5, spend: 1.5, failures: 2 });
    assert.equal(conversion({ sessionsWithCode: 0, verifiedSessions: 0, sends: 0, spendMicros: 0, failures: 1 }).conversionRate, null);
    assert.equal(expectedRegion('us', ['US']), true);
    assert.equal(expectedRegion('LV', ['US']), false);
    assert.equal(expectedRegion(null, ['US']), null);
    assert.equal(expectedRegion('LV', []), null);
  });
});

describe('CSV', () => {
  test('RFC 4180 quoting', () => {
    assert.equal(toCsv(['a', 'b'], [{ a: 'x,y', b: 'say "hi"' }, { a: 'line\nbreak', b: null }]), 'a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",\r\n');
    assert.equal(csvCell(3.5), '3.5');
    assert.equal(csvCell(-2), '-2', 'numbers are ours, never formulas');
    assert.equal(csvCell(true), 'true');
    assert.equal(csvCell(undefined), '');
  });

  test('formula injection guard: = + - @ tab CR get a leading quote', () => {
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvCell('+447700900123'), "'+447700900123");
    assert.equal(csvCell('-1+1'), "'-1+1");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('\tx'), "'\tx");
    assert.equal(csvCell('\rx'), `"'\rx"`);
    assert.equal(csvCell('a=b'), 'a=b');
  });
});
