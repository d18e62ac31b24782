// The backtest over a morning recorded with the defense off (TOLLGATE_DEFENSE=off): legitimate
// users who verify, and a 30-send pumping burst into one 10k block that never does. Candidates
// are judged against that record.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BacktestReport, RuleRow } from '../../src/core/backtest/report.ts';
import type { TestTollgate } from '../helpers/test-tollgate.ts';
import { backtest } from './run.ts';
import { BURST_BLOCK, HOUR, LEGIT_NUMBERS, T0, morningWithBurst, recordedWorld } from './traffic.ts';

const ruleRow = (r: BacktestReport, id: string): RuleRow | undefined => r.rules.find((x) => x.rule === id);

describe('backtest of a morning recorded without defense', () => {
  let t: TestTollgate;
  before(async () => {
    t = await recordedWorld({ TOLLGATE_DEFENSE: 'off' });
    const world = await morningWithBurst(t);
    assert.ok(world.burstStatuses.every((s) => s === 200), 'with the defense off every burst send went out');
  });
  after(async () => t.close());

  test('the default rules would have stopped the burst and left every legitimate user alone', async () => {
    const r = await backtest(t);
    assert.equal(r.events.attempts, 38);
    const { legit, suspicious, pending } = r.labels;
    assert.equal(legit.attempts, LEGIT_NUMBERS.length);
    assert.equal(suspicious.attempts, 30);
    assert.equal(pending.attempts, 0);
    assert.deepEqual(legit.recorded, { allow: 8, challenge: 0, block: 0 });
    assert.deepEqual(legit.candidate, { allow: 8, challenge: 0, block: 0 }, 'no legitimate-looking send is refused');
    assert.deepEqual(suspicious.recorded, { allow: 30, challenge: 0, block: 0 });
    assert.ok(suspicious.candidate.block >= 20, `most of the burst would be blocked: ${JSON.stringify(suspicious.candidate)}`);
    assert.ok(suspicious.candidate.allow <= 5, `only the first sends get out: ${JSON.stringify(suspicious.candidate)}`);
    // Everything refused now was allowed then.
    assert.equal(r.changes.suspicious.newlyBlocked, suspicious.candidate.block);
    assert.equal(r.changes.suspicious.newlyChallenged, suspicious.candidate.challenge);
    assert.equal(r.changes.legit.unchanged, 8);

    const pumping = ruleRow(r, 'pumping.prefix');
    assert.ok(pumping, 'the pumping detector drives the change');
    assert.equal(r.rules[0]!.rule, 'pumping.prefix');
    assert.equal(pumping.wouldBlock.legit, 0);
    assert.equal(pumping.newlyBlocked.suspicious, suspicious.candidate.block);
    assert.equal(r.prefixes[0]!.key, BURST_BLOCK);
    assert.equal(r.countries[0]!.key, 'GB');
    assert.equal(r.prefixes.length, 1, 'no other block is touched');

    const perSend = suspicious.spend / 30;
    assert.ok(Math.abs(r.spend.suspiciousSavedByBlocks - perSend * suspicious.candidate.block) < 1e-6, 'saved = recorded cost of every blocked burst send');
    assert.ok(r.spend.suspiciousSavedByBlocks + r.spend.suspiciousSavedByChallenges < suspicious.spend);
    assert.equal(r.spend.legitJourneys, 8);
    assert.equal(r.spend.legitJourneysBlocked + r.spend.legitJourneysChallenged, 0);
    assert.equal(r.spend.legitStoppedSpend, 0);
  });

  test('pumping in shadow mode: its verdicts are reported as shadow and the velocity limits are what is left', async () => {
    const enforced = await backtest(t);
    const r = await backtest(t, { defense: { ruleModes: { pumping: 'shadow' } } });
    assert.equal(r.candidate.modes.pumping, 'shadow');
    const pumping = ruleRow(r, 'pumping.prefix')!;
    assert.equal(pumping.wouldBlock.suspicious + pumping.wouldChallenge.suspicious, 0);
    assert.equal(pumping.shadowBlock.suspicious, ruleRow(enforced, 'pumping.prefix')!.wouldBlock.suspicious, 'the same sends, recorded only');
    assert.equal(r.labels.suspicious.candidate.block, 0, 'velocity limits only challenge a block that never gets past 8 sends an hour');
    assert.ok(r.labels.suspicious.candidate.challenge > 0);
    assert.ok(r.rules.some((x) => x.rule.startsWith('velocity.prefix') && x.wouldChallenge.suspicious > 0));
    assert.ok(r.spend.suspiciousSavedByBlocks < enforced.spend.suspiciousSavedByBlocks);
    assert.deepEqual(r.labels.legit.candidate, { allow: 8, challenge: 0, block: 0 });
  });

  test('pumping off and velocity in shadow: nothing is refused, the velocity reasons show what enforcing would do', async () => {
    const r = await backtest(t, { defense: { ruleModes: { pumping: 'off' }, velocity: { mode: 'shadow' } } });
    assert.equal(r.candidate.modes.pumping, 'off');
    assert.equal(r.candidate.modes.velocity, 'shadow');
    assert.equal(r.labels.suspicious.candidate.allow, 30);
    assert.equal(r.changes.suspicious.unchanged, 30);
    assert.equal(ruleRow(r, 'pumping.prefix'), undefined, 'a rule that is off reports nothing');
    // Velocity in shadow lets every send out and counts it, so the block limit (20/h) is reached too.
    const prefix4 = ruleRow(r, 'velocity.prefix4')!;
    assert.ok(prefix4.shadowBlock.suspicious > 0 && prefix4.shadowChallenge.suspicious > 0, JSON.stringify(prefix4));
    assert.equal(r.spend.suspiciousSavedByBlocks + r.spend.suspiciousSavedByChallenges, 0);
  });

  test('a stricter candidate (2 sends per /24 an hour) shows the legitimate-looking sends it would newly block', async () => {
    const r = await backtest(t, { defense: { velocity: { ip24: [{ windowSeconds: 3600, max: 2, action: 'block' }] } } });
    // Legitimate users came from 192.0.2.0/24, four in each of two separate hours: the 3rd and 4th of each are refused.
    assert.equal(r.labels.legit.candidate.block, 4);
    assert.equal(r.changes.legit.newlyBlocked, 4);
    assert.equal(ruleRow(r, 'velocity.ip24')!.newlyBlocked.legit, 4);
    assert.equal(r.spend.legitJourneysBlocked, 4);
    assert.equal(r.spend.legitJourneysNewlyBlocked, 4);
    assert.ok(r.spend.legitStoppedSpend > 0);
    assert.equal(r.samples.legitNewlyBlocked.length, 4);
    assert.ok(r.samples.legitNewlyBlocked.every((s) => s.rule === 'velocity.ip24' && s.recorded === 'allow' && s.candidate === 'block'));
    assert.deepEqual(r.samples.legitNewlyBlocked.map((s) => s.time), [T0 + 25 * 60_000 + 20_000, T0 + 38 * 60_000, T0 + 2 * HOUR + 25 * 60_000 + 20_000, T0 + 2 * HOUR + 38 * 60_000].map((ms) => new Date(ms).toISOString()));
  });

  test('sends before --since warm the candidate counters up, so the first attempts in range are judged like later ones', async () => {
    // The range starts after the first two legitimate sends from 192.0.2.0/24: the third is still the third in its hour.
    const r = await backtest(t, { defense: { velocity: { ip24: [{ windowSeconds: 3600, max: 2, action: 'block' }] } } }, { range: { since: T0 + 20 * 60_000, until: T0 + 4 * HOUR } });
    assert.equal(r.labels.legit.attempts, 6);
    assert.equal(r.labels.legit.candidate.block, 4);
    assert.ok(Date.parse(r.range.warmupFrom) <= T0 + 20 * 60_000 - 86_400_000, 'at least a day of warm-up (daily windows)');
  });

  test('the same database and candidate give the same report', async () => {
    const a = await backtest(t, { defense: { velocity: { prefix4: [{ windowSeconds: 3600, max: 3, action: 'block' }] } } });
    const b = await backtest(t, { defense: { velocity: { prefix4: [{ windowSeconds: 3600, max: 3, action: 'block' }] } } });
    assert.deepEqual(a, b);
    assert.equal(JSON.stringify(a), JSON.stringify(b));
  });

  test('--policy reports one policy, and a range leaves out what is outside it', async () => {
    const mine = await backtest(t, {}, { policy: 'B2C_1A_TollgateDemo' });
    assert.equal(mine.events.attempts, 38);
    const other = await backtest(t, {}, { policy: 'B2C_1A_other' });
    assert.equal(other.events.attempts, 0);
    assert.equal(other.events.otherPolicies, 38);
    const afterBurst = await backtest(t, {}, { range: { since: T0 + 2 * HOUR, until: T0 + 4 * HOUR } });
    assert.equal(afterBurst.events.attempts, 4, 'only the four journeys after the burst');
    assert.equal(afterBurst.labels.legit.attempts, 4);
  });
});
