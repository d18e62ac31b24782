import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultCodeRules as rules } from '../../../src/core/codes/one-time-code.ts';
import { TollgateError } from '../../../src/core/errors.ts';
import * as flow from '../../../src/core/flows/transitions.ts';
import { sessionFixture } from '../../helpers/fixtures.ts';

const t0 = 1_000_000;
const selected = () => flow.selectNumber(sessionFixture(), '+14155550123', true, t0);
const sent = () => flow.recordCodeIssued(selected(), 'hash', 'sms', rules, t0);

function throwsCode(fn: () => unknown, code: string, steering: Record<string, unknown> = {}) {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof TollgateError, String(err));
    assert.equal(err.code, code);
    for (const [k, v] of Object.entries(steering)) assert.equal(err.steering[k], v, k);
    return true;
  });
}

describe('phone-factor session transitions', () => {
  test('created → number_selected → code_sent', () => {
    const s1 = selected();
    assert.equal(s1.status, 'number_selected');
    assert.equal(s1.newPhoneNumberEntered, true);
    const s2 = flow.recordCodeIssued(s1, 'h', 'voice', rules, t0 + 5);
    assert.equal(s2.status, 'code_sent');
    assert.equal(s2.sendCount, 1);
    assert.equal(s2.code?.expiresAt, t0 + 5 + rules.ttlMs);
    assert.equal(s2.code?.channel, 'voice');
  });

  test('a right code verifies and is spent (single use)', () => {
    const r = flow.applyCodeCheck(sent(), true, rules, t0 + 1000);
    assert.equal(r.result, 'verified');
    assert.equal(r.session.status, 'verified');
    assert.equal(r.session.code?.spent, true);
    throwsCode(() => flow.assertOpen(r.session), 'session_completed');
  });

  test('wrong codes count down; the third spends the code but a new one may be sent', () => {
    let s = sent();
    for (const left of [2, 1]) {
      const r = flow.applyCodeCheck(s, false, rules, t0 + 10);
      assert.equal(r.result, 'rejected');
      if (r.result !== 'rejected') return;
      assert.equal(r.error.code, 'invalid_code');
      assert.equal(r.error.steering.attemptsLeft, left);
      s = r.session;
    }
    const r = flow.applyCodeCheck(s, false, rules, t0 + 10);
    assert.equal(r.result, 'rejected');
    if (r.result !== 'rejected') return;
    assert.equal(r.error.code, 'too_many_attempts');
    assert.equal(r.error.steering.sendsLeft, rules.maxSends - 1);
    assert.equal(r.session.status, 'code_sent', 'the session lives on: the user may ask for a new code');
    throwsCode(() => flow.assertCodeCheckable(r.session, rules, t0 + 20), 'too_many_attempts', { attemptsLeft: 0 });
  });

  test('after the last send, a spent code fails the session', () => {
    let s = { ...sent(), sendCount: rules.maxSends };
    let r = flow.applyCodeCheck(s, false, rules, t0);
    for (let i = 1; i < rules.maxWrongAttempts; i++) {
      assert.equal(r.result, 'rejected');
      s = r.session;
      r = flow.applyCodeCheck(s, false, rules, t0);
    }
    assert.equal(r.session.status, 'failed');
    assert.equal(r.session.failureReason, 'too_many_attempts');
  });

  test('expired code is refused with the sends left', () => {
    throwsCode(() => flow.assertCodeCheckable(sent(), rules, t0 + rules.ttlMs), 'code_expired', { sendsLeft: 4 });
    assert.doesNotThrow(() => flow.assertCodeCheckable(sent(), rules, t0 + rules.ttlMs - 1));
  });

  test('no code sent yet', () => {
    throwsCode(() => flow.assertCodeCheckable(selected(), rules, t0), 'no_code_sent');
  });

  test('resend cooldown and send budget steer the caller with retryAfter / sendsLeft', () => {
    const s = sent();
    throwsCode(() => flow.assertMaySend(s, rules, t0 + 1000), 'resend_cooldown', { retryAfter: 29, sendsLeft: 4 });
    assert.doesNotThrow(() => flow.assertMaySend(s, rules, t0 + rules.resendCooldownMs));
    throwsCode(() => flow.assertMaySend({ ...s, sendCount: rules.maxSends }, rules, t0 + 60_000), 'too_many_sends', { sendsLeft: 0 });
  });

  test('sessions expire at their deadline, and finished ones stay finished', () => {
    const s = sessionFixture();
    assert.equal(flow.expireIfDue(s, s.expiresAt - 1), s);
    const e = flow.expireIfDue(s, s.expiresAt);
    assert.equal(e.status, 'expired');
    throwsCode(() => flow.assertOpen(e), 'session_expired');
    const verified = { ...s, status: 'verified' as const };
    assert.equal(flow.expireIfDue(verified, s.expiresAt + 1), verified);
  });

  test('channels follow setting.authenticationMode', () => {
    assert.deepEqual(flow.channelsFor('sms'), ['sms']);
    assert.deepEqual(flow.channelsFor('phone'), ['voice']);
    assert.deepEqual(flow.channelsFor('mixed'), ['sms', 'voice']);
    throwsCode(() => flow.assertChannelAllowed('sms', 'voice'), 'channel_not_allowed');
  });

  test('a failed provider send withdraws the code', () => {
    const f = flow.recordSendFailed(sent(), t0 + 1);
    assert.equal(f.code, null);
    assert.equal(f.status, 'number_selected');
  });

  test('choosing another number withdraws the code out for the previous one', () => {
    const s = flow.selectNumber(sent(), '+447400123456', true, t0 + 1);
    assert.equal(s.code, null);
    assert.equal(s.status, 'number_selected');
    const same = flow.selectNumber(sent(), '+14155550123', true, t0 + 1);
    assert.equal(same.status, 'code_sent');
    assert.notEqual(same.code, null);
  });
});
