// Labels come from what happened later: the session verified, or the same number or user
// verified within the label window; pending while the session could still be open; and the
// events that never reached the defense are counted as skipped, not replayed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestTollgate } from '../helpers/test-tollgate.ts';
import { backtest } from './run.ts';
import { DAY, HOUR, MIN, T0, legitJourney, openSession, recordedWorld, send } from './traffic.ts';

describe('backtest labels', () => {
  let t: TestTollgate;
  const range = { since: T0, until: T0 + 4 * HOUR };
  before(async () => {
    t = await recordedWorld();
    const clock = t.tg.manualClock!;
    // A: the first session is abandoned, the same user verifies the number 10 minutes later.
    assert.equal((await send(t, await openSession(t, 'user-a'), '+33611111111', '192.0.2.1')).status, 200);
    clock.set(T0 + 10 * MIN);
    await legitJourney(t, '+33611111111', '192.0.2.1', 'user-a');
    // B: never verifies.
    clock.set(T0 + 20 * MIN);
    assert.equal((await send(t, await openSession(t, 'user-b'), '+34622222222', '192.0.2.2')).status, 200);
    // D: verifies the number 30 hours later, in another session.
    clock.set(T0 + 30 * MIN);
    assert.equal((await send(t, await openSession(t, 'user-d'), '+393333333333', '192.0.2.4')).status, 200);
    // E: a country the policy does not serve, refused before the defense runs; F: not a number at all.
    const e = await send(t, await openSession(t, 'user-e'), '+79161234567', '192.0.2.5');
    assert.equal(e.body.error.code, 'country_not_allowed');
    const f = await send(t, await openSession(t, 'user-f'), 'abcdef', '192.0.2.6');
    assert.equal(f.status, 400);
    // C: sends five minutes before the end of the range.
    clock.set(T0 + 4 * HOUR - 5 * MIN);
    assert.equal((await send(t, await openSession(t, 'user-c'), '+4915133333333', '192.0.2.3')).status, 200);
    clock.set(T0 + 30 * HOUR + 30 * MIN);
    await legitJourney(t, '+393333333333', '192.0.2.4', 'user-d-later');
  });
  after(async () => t.close());

  test('the session or the number verified: legitimate-looking; nothing verified: suspicious', async () => {
    const r = await backtest(t, {}, { range, now: T0 + 3 * DAY });
    assert.equal(r.events.attempts, 5);
    assert.equal(r.labels.legit.attempts, 2, "A's abandoned send and A's verified one");
    assert.equal(r.labels.legit.journeys, 2);
    assert.equal(r.labels.suspicious.attempts, 3, 'B, D (verified 30 h later, outside 24 h) and C');
    assert.equal(r.labels.pending.attempts, 0);
    assert.equal(r.events.skipped['before-defense'], 1, 'the country-list refusal');
    assert.equal(r.events.skipped['no-number'], 1, 'the malformed number');
  });

  test('a wider label window counts the later verification', async () => {
    const r = await backtest(t, {}, { range, now: T0 + 3 * DAY, labelWindowMs: 48 * HOUR });
    assert.equal(r.options.labelWindowHours, 48);
    assert.equal(r.labels.legit.attempts, 3);
    assert.equal(r.labels.suspicious.attempts, 2);
  });

  test('a send whose session may still be open at the end of the data is pending', async () => {
    const r = await backtest(t, {}, { range, now: T0 + 4 * HOUR });
    assert.equal(r.range.labelsUntil, new Date(T0 + 4 * HOUR).toISOString());
    assert.equal(r.labels.pending.attempts, 1, "C's send is five minutes old");
    assert.equal(r.labels.suspicious.attempts, 2);
  });
});
