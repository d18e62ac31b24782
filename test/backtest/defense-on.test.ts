// The backtest over the same morning recorded with the default defense on: the burst was mostly
// refused then. Replaying the rules in force must reproduce the record; candidates that relax
// them show what they would let through, and whose refusal they undo.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestTollgate } from '../helpers/test-tollgate.ts';
import { backtest } from './run.ts';
import { HOUR, LEGIT_NUMBERS, morningWithBurst, recordedWorld } from './traffic.ts';

describe('backtest of a morning recorded with the default defense', () => {
  let t: TestTollgate;
  let burstStatuses: number[];
  before(async () => {
    t = await recordedWorld();
    ({ burstStatuses } = await morningWithBurst(t));
    assert.ok(burstStatuses.filter((s) => s !== 200).length >= 20, `the live defense refused most of the burst: ${burstStatuses.join(',')}`);
  });
  after(async () => t.close());

  test('replaying the rules in force reproduces every recorded decision', async () => {
    const r = await backtest(t);
    assert.equal(r.events.attempts, 38);
    const refusedLive = burstStatuses.filter((s) => s !== 200).length;
    assert.equal(r.labels.suspicious.recorded.challenge + r.labels.suspicious.recorded.block, refusedLive);
    assert.deepEqual(r.labels.suspicious.candidate, r.labels.suspicious.recorded);
    assert.deepEqual(r.labels.legit.candidate, r.labels.legit.recorded);
    assert.equal(r.changes.suspicious.unchanged, 30);
    assert.equal(r.changes.legit.unchanged, 8);
    assert.equal(r.labels.suspicious.sent, burstStatuses.filter((s) => s === 200).length, 'only the sends that went out are "sent"');
    assert.equal(r.spend.suspiciousSavedByBlocks, 0, 'nothing more to save: the same sends go out');
  });

  test('turning pumping detection off: the burst sends it refused are newly allowed or only challenged, charged to pumping.prefix', async () => {
    const r = await backtest(t, { defense: { ruleModes: { pumping: 'off' } } });
    const pumping = r.rules.find((x) => x.rule === 'pumping.prefix')!;
    assert.ok(pumping.newlyAllowed.suspicious > 0);
    assert.equal(pumping.newlyAllowed.suspicious + pumping.eased.suspicious, r.changes.suspicious.newlyAllowed + r.changes.suspicious.blockToChallenge);
    assert.equal(r.changes.suspicious.newlyBlocked, 0);
    assert.ok(r.spend.newlyAllowedCost.suspicious > 0, 'what the newly allowed sends would have cost');
    assert.equal(r.samples.suspiciousNewlyAllowed[0]!.rule, 'pumping.prefix');
    assert.equal(r.changes.legit.unchanged, 8);
  });

  test('reputation lists: as recorded by default, today\'s with reputation "now"', async () => {
    // Listed after the morning: it did not exist when the number's journey was judged.
    t.tg.manualClock!.set(t.tg.clock.now() + HOUR);
    await t.tg.reputation.add({ kind: 'number', value: LEGIT_NUMBERS[0]!, list: 'block', note: 'listed later', createdBy: 'test' });
    const recorded = await backtest(t);
    assert.equal(recorded.options.reputation, 'recorded');
    assert.equal(recorded.labels.legit.candidate.block, 0);
    const now = await backtest(t, {}, { reputation: 'now' });
    assert.equal(now.options.reputation, 'now');
    assert.equal(now.labels.legit.candidate.block, 1);
    assert.equal(now.rules.find((x) => x.rule === 'reputation.phone')!.newlyBlocked.legit, 1);
    assert.equal(now.samples.legitNewlyBlocked[0]!.country, 'US');
  });
});
