// The decision before every send, through the real API: static rules, reputation, CAPTCHA,
// shadow mode, kill switch, spend caps — and what the client and the event log see.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEV_KEY, startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

const root = new URL('../..', import.meta.url).pathname;
const policies = `${join(root, 'policies/demo.yaml')},${join(root, 'test/fixtures/policies/captcha-policy.yaml')}`;

function configFile(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tollgate-defense-')), 'tollgate.yaml');
  writeFileSync(file, yaml);
  return file;
}

async function session(t: TestTollgate, body: Record<string, unknown> = {}) {
  const r = await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: `u-${Math.random()}`, ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}
const send = (t: TestTollgate, id: string, body: Record<string, unknown>, ip = '198.51.100.10') =>
  t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'sms', client: { ip, userAgent: 'Mozilla/5.0' }, ...body }, { key: DEV_KEY });

describe('defense with default settings', () => {
  let t: TestTollgate;
  before(async () => {
    t = await startTestTollgate({ TOLLGATE_CAPTCHA: 'simulated', TOLLGATE_POLICIES: policies });
  });
  after(async () => t.close());

  test('a premium-rate number is blocked before any money is spent; the event says why', async () => {
    const id = await session(t);
    const r = await send(t, id, { phoneNumber: '+19002345678' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'number_type_blocked');
    assert.equal(r.body.error.rule, 'number-type');
    assert.equal(await t.lastMessage('+19002345678'), undefined);
    const [e] = await t.tg.store.listEvents({ sessionId: id, type: 'code.send_refused' });
    assert.equal(e!.reason, 'number_type_blocked');
    assert.equal(e!.cost, 0);
    const decision = e!.details.decision as { action: string; reasons: { rule: string; action: string }[] };
    assert.equal(decision.action, 'block');
    assert.deepEqual(decision.reasons.map((x) => x.rule), ['number-type']);
  });

  test('a number on the block list: "Phone number has bad reputation, blocking."', async () => {
    await t.tg.reputation.add({ kind: 'number', value: '+447400123400', list: 'block', note: 'test', createdBy: 'test' });
    const id = await session(t);
    const r = await send(t, id, { phoneNumber: '+447400123400' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'bad_reputation');
    const [e] = await t.tg.store.listEvents({ sessionId: id, type: 'code.send_refused' });
    assert.equal(e!.reasonDescription, 'Phone number has bad reputation, blocking.');
  });

  test('a blocked IP range only challenges; a solved CAPTCHA lets the send through', async () => {
    await t.tg.reputation.add({ kind: 'cidr', value: '203.0.113.0/24', list: 'block', note: 'proxy range', createdBy: 'test' });
    const id = await session(t);
    const r = await send(t, id, { phoneNumber: '+447400123401' }, '203.0.113.9');
    assert.equal(r.status, 428);
    assert.equal(r.body.error.code, 'captcha_required');
    assert.equal(r.body.error.captcha.provider, 'simulated');
    const wrong = await send(t, id, { phoneNumber: '+447400123401', captcha: 'solved:another-session' }, '203.0.113.9');
    assert.equal(wrong.body.error.code, 'captcha_failed');
    const ok = await send(t, id, { phoneNumber: '+447400123401', captcha: `solved:${id}` }, '203.0.113.9');
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const sent = (await t.tg.store.listEvents({ sessionId: id, type: 'code.sent' }))[0]!;
    assert.equal(sent.details.captchaPassed, true);
    const reasons = (sent.details.decision as { reasons: { rule: string; details?: { satisfiedByCaptcha?: boolean } }[] }).reasons;
    assert.ok(reasons.some((x) => x.rule === 'reputation.ip' && x.details?.satisfiedByCaptcha));
  });

  test('setting.enableCaptchaChallenge asks for a CAPTCHA before the first send only', async () => {
    const id = await session(t, { profile: 'PhoneFactor-Captcha' });
    const view = await t.tg.service.view(id);
    assert.equal(view.captcha?.provider, 'simulated', 'the page gets the widget data up front');
    const first = await send(t, id, { phoneNumber: '+14155550300' });
    assert.equal(first.body.error.code, 'captcha_required');
    const ok = await send(t, id, { phoneNumber: '+14155550300', captcha: `solved:${id}` });
    assert.equal(ok.status, 200);
    assert.equal((await t.tg.service.view(id)).captcha, null);
    t.advance(60_000);
    const resend = await send(t, id, {});
    assert.equal(resend.status, 200, JSON.stringify(resend.body));
  });

  test('per-number backoff answers with retryAfter', async () => {
    const ids = [await session(t), await session(t), await session(t)];
    assert.equal((await send(t, ids[0]!, { phoneNumber: '+447400123402' })).status, 200);
    assert.equal((await send(t, ids[1]!, { phoneNumber: '+447400123402' })).status, 200);
    const third = await send(t, ids[2]!, { phoneNumber: '+447400123402' });
    assert.equal(third.status, 429);
    assert.equal(third.body.error.code, 'velocity_exceeded');
    assert.ok(third.body.error.retryAfter > 0);
    assert.equal(third.headers['retry-after'], String(third.body.error.retryAfter));
  });
});

describe('defense configuration', () => {
  test('shadow mode records what a rule would do and sends anyway', async () => {
    const t = await startTestTollgate({ TOLLGATE_CONFIG: configFile('defense:\n  numberType:\n    mode: shadow\n') });
    try {
      const id = await session(t);
      const r = await send(t, id, { phoneNumber: '+19002345678' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const sent = (await t.tg.store.listEvents({ sessionId: id, type: 'code.sent' }))[0]!;
      const reasons = (sent.details.decision as { reasons: { rule: string; action: string; shadow: boolean }[] }).reasons;
      assert.deepEqual(reasons.map((x) => [x.rule, x.action, x.shadow]), [['number-type', 'block', true]]);
    } finally {
      await t.close();
    }
  });

  test('the voice kill switch refuses calls and offers SMS', async () => {
    const t = await startTestTollgate({ TOLLGATE_CONFIG: configFile('defense:\n  channels:\n    voice:\n      enabled: false\n') });
    try {
      const id = await session(t);
      const r = await send(t, id, { phoneNumber: '+447400123403', channel: 'voice' });
      assert.equal(r.status, 403);
      assert.equal(r.body.error.code, 'channel_disabled');
      assert.deepEqual(r.body.error.alternatives, ['sms']);
      const sms = await send(t, id, { phoneNumber: '+447400123403', channel: 'sms' });
      assert.equal(sms.status, 200);
    } finally {
      await t.close();
    }
  });

  test('the hourly spend cap is a hard stop', async () => {
    const t = await startTestTollgate({ TOLLGATE_CONFIG: configFile('defense:\n  spend:\n    hour: 0.1\n') });
    try {
      let stopped: any = null;
      for (let i = 0; i < 10 && !stopped; i++) {
        const id = await session(t);
        const r = await send(t, id, { phoneNumber: `+4474001235${String(i).padStart(2, '0')}` }, `198.51.100.${20 + i}`);
        if (r.status !== 200) stopped = r;
      }
      assert.ok(stopped, 'the cap stopped the sends');
      assert.equal(stopped.status, 503);
      assert.equal(stopped.body.error.code, 'spend_cap_reached');
      const spent = (await t.tg.store.listEvents({ type: 'code.sent' })).reduce((s, e) => s + e.cost, 0);
      assert.ok(spent <= 0.1 + 1e-9, `spent ${spent} stays under the cap`);
    } finally {
      await t.close();
    }
  });
});
