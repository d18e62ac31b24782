// What an operator types: the range (durations and ISO dates) and a candidate's defense and
// pumping sections, with errors that say which flag or which key is wrong.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { candidateFromSections } from '../../src/core/backtest/candidate.ts';
import { BacktestInputError } from '../../src/core/backtest/errors.ts';
import { parseDuration, resolveRange } from '../../src/core/backtest/range.ts';
import { ReputationTimeline } from '../../src/core/backtest/reputation-timeline.ts';
import type { ReputationEntry } from '../../src/ports.ts';

const NOW = Date.UTC(2025, 2, 10, 12, 0, 0);

describe('backtest range', () => {
  test('durations count back from now; the end defaults to now', () => {
    assert.deepEqual(resolveRange({ since: '7d' }, NOW), { since: NOW - 7 * 86_400_000, until: NOW });
    assert.deepEqual(resolveRange({ since: '24h', until: '90m' }, NOW), { since: NOW - 86_400_000, until: NOW - 90 * 60_000 });
    assert.equal(parseDuration('2w'), 14 * 86_400_000);
    assert.equal(parseDuration('7 days'), null);
  });

  test('ISO dates and date-times are UTC unless they carry an offset', () => {
    assert.deepEqual(resolveRange({ since: '2025-03-01', until: '2025-03-02T06:30' }, NOW), { since: Date.UTC(2025, 2, 1), until: Date.UTC(2025, 2, 2, 6, 30) });
    assert.equal(resolveRange({ since: '2025-03-01T00:00:00+02:00' }, NOW).since, Date.UTC(2025, 1, 28, 22));
  });

  test('a bad duration or an inverted range names the flag', () => {
    assert.throws(() => resolveRange({ since: 'last week' }, NOW), (e: Error) => e instanceof BacktestInputError && /--since: expected a duration such as 24h, 7d or 30d/.test(e.message) && e.message.includes('"last week"'));
    assert.throws(() => resolveRange({ since: '7d', until: '2025-13-45' }, NOW), /--until/);
    assert.throws(() => resolveRange({ since: '1d', until: '2d' }, NOW), /--since \(.*\) must be before --until/);
  });
});

describe('backtest candidate', () => {
  test('an empty candidate is the defaults; other sections are ignored', () => {
    const c = candidateFromSections({ server: { port: 1 }, apps: [] }, 'c.yaml');
    assert.equal(c.defense.enabled, true);
    assert.equal(c.defense.velocity.prefix4[1]!.max, 20);
    assert.deepEqual(c.pumping, {});
    assert.equal(c.source, 'c.yaml');
  });

  test('every bad key is reported with the file and its path', () => {
    const bad = { defense: { velocity: { ip24: [{ windowSeconds: 3600, max: 'two', action: 'block' }] }, ruleModes: { pumping: 'loud' } }, pumping: { country: { completionDrop: '35%', bogus: 1 }, ladder: { blockMs: [1, 'x'] } } };
    assert.throws(() => candidateFromSections(bad, '/etc/tollgate/candidate.yaml'), (e: Error) => {
      assert.ok(e instanceof BacktestInputError);
      for (const path of ['defense.velocity.ip24.0.max', 'defense.ruleModes.pumping', 'pumping.country.completionDrop: expected a number', 'pumping.country.bogus: unknown setting', 'pumping.ladder.blockMs: expected a list of numbers']) {
        assert.ok(e.message.includes(path), `${path} in ${e.message}`);
      }
      assert.ok(e.message.startsWith('/etc/tollgate/candidate.yaml:'));
      return true;
    });
    assert.throws(() => candidateFromSections(['a list'], 'c.yaml'), /c\.yaml: the top level must be a mapping/);
  });
});

describe('reputation lists through time', () => {
  const entry = (id: string, value: string, createdAt: number, expiresAt: number | null): ReputationEntry => ({ id, kind: 'number', value, list: 'block', createdAt, expiresAt, note: '', createdBy: 'test' });
  const entries = [entry('a', '+33611111111', 1000, 5000), entry('b', '+33622222222', 3000, null)];
  const listed = (lists: ReturnType<ReputationTimeline['at']>, n: string) => lists.matchPhone(n, 'FR')?.list === 'block';

  test('as recorded: an entry counts from its creation until it expires', () => {
    const tl = new ReputationTimeline(entries, 'recorded', 10_000);
    assert.equal(listed(tl.at(999), '+33611111111'), false);
    assert.equal(listed(tl.at(1000), '+33611111111'), true);
    assert.equal(listed(tl.at(2999), '+33622222222'), false);
    assert.equal(listed(tl.at(3000), '+33622222222'), true);
    assert.equal(listed(tl.at(5000), '+33611111111'), false);
    assert.equal(listed(tl.at(9000), '+33622222222'), true);
  });

  test("as of now: today's active entries apply to the whole range; expired ones to none of it", () => {
    const tl = new ReputationTimeline(entries, 'now', 10_000);
    assert.equal(listed(tl.at(0), '+33622222222'), true);
    assert.equal(listed(tl.at(2000), '+33611111111'), false);
  });
});
