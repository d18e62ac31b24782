// The phone factor over HTTP with the real SQLite store and outbox: the journeys users take.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

const UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
let t: TestTollgate;
before(async () => {
  // These tests pin the session's own rules (budgets, cooldowns, codes); the defense has its own suite.
  t = await startTestTollgate({ TOLLGATE_DEFENSE: 'off' });
});
after(async () => t.close());

async function start(body: Record<string, unknown>) {
  const r = await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: 'user-42', ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { id: string; url: string; expiresAt: string };
}

async function verifyToken(token: string) {
  const jwks = (await t.call('GET', '/.well-known/jwks.json')).body;
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
    issuer: t.tg.publicUrl(),
    audience: 'demo',
    currentDate: new Date(t.tg.clock.now()),
  });
  assert.equal(protectedHeader.alg, 'ES256');
  return payload;
}

describe('phone-factor journeys over HTTP', () => {
  test('enroll a new number by SMS: code from the outbox, signed claims, events', async () => {
    const s = await start({ nonce: 'nonce-1', client: { ip: '198.51.100.7', userAgent: UA } });
    assert.match(s.url, /\/pf\/[A-Za-z0-9_-]{43}$/);
    const sent = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { phoneNumber: '+44 7400 123456', channel: 'sms' }, { key: null });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.to, '+44 ••••••3456');
    assert.equal(sent.body.attemptsLeft, 3);
    assert.equal(sent.body.sendsLeft, 4);
    const msg = await t.lastMessage('+447400123456');
    assert.ok(msg?.code && /^\d{6}$/.test(msg.code));
    assert.equal(msg.channel, 'sms');
    assert.ok(msg.body.includes(msg.code));
    const ok = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/verify`, { code: msg.code }, { key: null });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const claims = await verifyToken(ok.body.result);
    assert.equal(claims.sub, 'user-42');
    assert.equal(claims.nonce, 'nonce-1');
    assert.equal(claims['Verified.strongAuthenticationPhoneNumber'], '+447400123456');
    assert.equal(claims.newPhoneNumberEntered, true);
    assert.deepEqual(claims.amr, ['sms']);
    const status = await t.call('GET', `/v1/phone-factor/sessions/${s.id}`);
    assert.equal(status.body.status, 'verified');
    assert.deepEqual(status.body.claims, { 'Verified.strongAuthenticationPhoneNumber': '+447400123456', newPhoneNumberEntered: true });

    const events = await t.tg.store.listEvents({ sessionId: s.id });
    assert.deepEqual(events.map((e) => e.type), ['session.created', 'code.sent', 'code.verified', 'session.verified']);
    const sentEvent = events[1]!;
    assert.equal(sentEvent.phoneNumber, '+447400123456');
    assert.equal(sentEvent.phoneRegion, 'GB');
    assert.equal(sentEvent.countryCallingCode, '44');
    assert.equal(sentEvent.channel, 'sms');
    assert.ok(sentEvent.cost > 0);
    assert.equal(events[0]!.ip, '198.51.100.7', 'the app relayed the client IP at creation');
    assert.equal(sentEvent.ip, '127.0.0.1', 'the send came straight from the user (no key, so no relayed client)');
    assert.equal(sentEvent.policyId, 'B2C_1A_TollgateDemo');
    assert.equal(sentEvent.profileId, 'PhoneFactor-InputOrVerify');
    assert.ok(sentEvent.userIdHash && sentEvent.userIdHash !== 'user-42' && /^[0-9a-f]{32}$/.test(sentEvent.userIdHash));
    assert.equal(events[0]!.browser, 'Chrome');
    assert.equal(events[0]!.os, 'Android');
    assert.ok(events.every((e) => e.correlationId === events[0]!.correlationId));
    assert.ok(!JSON.stringify(events).includes(msg.code), 'no event holds the code');
  });

  test('verify an existing number by voice: the call reads the code digit by digit in the session language', async () => {
    const s = await start({ phoneNumbers: ['+33612345678'], locale: 'fr' });
    const sent = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { channel: 'voice' }, { key: null });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const msg = await t.lastMessage('+33612345678');
    assert.equal(msg?.channel, 'voice');
    const spaced = msg!.code!.split('').join(', ');
    assert.ok(msg!.body.includes(spaced), msg!.body);
    assert.match(msg!.body, /code/i);
    const ok = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/verify`, { code: msg!.code }, { key: null });
    const claims = await verifyToken(ok.body.result);
    assert.equal(claims.newPhoneNumberEntered, false);
    assert.deepEqual(claims.amr, ['tel']);
  });

  test('choose between two numbers on file', async () => {
    const s = await start({ phoneNumbers: ['+14155550123', '+447400123999'] });
    const noChoice = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { channel: 'sms' }, { key: null });
    assert.equal(noChoice.status, 422);
    assert.equal(noChoice.body.error.code, 'phone_number_required');
    const bad = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { phoneIndex: 2, channel: 'sms' }, { key: null });
    assert.equal(bad.body.error.code, 'phone_number_not_registered');
    const sent = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { phoneIndex: 1, channel: 'sms' }, { key: null });
    assert.equal(sent.status, 200);
    const msg = await t.lastMessage('+447400123999');
    const ok = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/verify`, { code: msg!.code });
    const claims = await verifyToken(ok.body.result);
    assert.equal(claims['Verified.strongAuthenticationPhoneNumber'], '+447400123999');
    assert.equal(claims.newPhoneNumberEntered, false);
  });

  test('wrong code then right code; a used code cannot be used again', async () => {
    const s = await start({ phoneNumbers: ['+14155550124'] });
    await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { channel: 'sms' }, { key: null });
    const code = (await t.lastMessage('+14155550124'))!.code!;
    const wrong = code === '000000' ? '111111' : '000000';
    const w = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/verify`, { code: wrong }, { key: null });
    assert.equal(w.status, 422);
    assert.deepEqual(w.body.error, { code: 'invalid_code', message: 'Phone verification code is incorrect', attemptsLeft: 2, sendsLeft: 4 });
    const ok = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/verify`, { code }, { key: null });
    assert.equal(ok.status, 200);
    const again = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/verify`, { code }, { key: null });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'session_completed');
    const types = (await t.tg.store.listEvents({ sessionId: s.id })).map((e) => `${e.type}:${e.reason}`);
    assert.ok(types.includes('code.rejected:invalid_code'));
  });

  test('three wrong codes spend the code; a new code after the cooldown works, the old one does not', async () => {
    const s = await start({ phoneNumbers: ['+14155550125'] });
    await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { channel: 'sms' }, { key: null });
    const first = (await t.lastMessage('+14155550125'))!.code!;
    const wrong = first === '000000' ? '111111' : '000000';
    for (const left of [2, 1]) {
      const r = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/verify`, { code: wrong }, { key: null });
      assert.equal(r.body.error.attemptsLeft, left);
    }
    const third = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/verify`, { code: wrong }, { key: null });
    assert.equal(third.status, 429);
    assert.equal(third.body.error.code, 'too_many_attempts');
    const spent = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/verify`, { code: first }, { key: null });
    assert.equal(spent.body.error.code, 'too_many_attempts', 'even the right code is refused once spent');
    const early = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { channel: 'sms' }, { key: null });
    assert.equal(early.status, 429);
    assert.equal(early.body.error.code, 'resend_cooldown');
    assert.ok(early.body.error.retryAfter > 0 && early.body.error.retryAfter <= 30);
    assert.equal(early.headers['retry-after'], String(early.body.error.retryAfter));
    t.advance(30_000);
    await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { channel: 'sms' }, { key: null });
    const second = (await t.lastMessage('+14155550125'))!.code!;
    if (second !== first) {
      const old = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/verify`, { code: first }, { key: null });
      assert.equal(old.body.error.code, 'invalid_code', 'only the newest code is valid');
    }
    const ok = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/verify`, { code: second }, { key: null });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  test('an expired code is refused with what to do next', async () => {
    const s = await start({ phoneNumbers: ['+14155550126'] });
    await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { channel: 'sms' }, { key: null });
    const code = (await t.lastMessage('+14155550126'))!.code!;
    t.advance(10 * 60_000);
    const r = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/verify`, { code }, { key: null });
    assert.equal(r.status, 410);
    assert.equal(r.body.error.code, 'code_expired');
    assert.equal(r.body.error.sendsLeft, 4);
    assert.equal(r.body.error.retryAfter, 0);
  });

  test('a country outside the allowlist is blocked on the server and nothing is sent', async () => {
    const s = await start({});
    for (const phoneNumber of ['+79161234567', '+12684601234']) {
      const r = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { phoneNumber, channel: 'sms' }, { key: null });
      assert.equal(r.status, 403, phoneNumber);
      assert.equal(r.body.error.code, 'country_not_allowed');
      assert.equal(await t.lastMessage(phoneNumber), undefined);
    }
    const refused = (await t.tg.store.listEvents({ sessionId: s.id, type: 'code.send_refused' }));
    assert.equal(refused.length, 2);
    assert.deepEqual(refused.map((e) => e.phoneRegion), ['RU', 'AG'], '+1 268 is Antigua, not the US');
    assert.ok(refused.every((e) => e.reason === 'country_not_allowed' && e.cost === 0));
  });

  test('send budget: five codes per session, then too_many_sends', async () => {
    const s = await start({ phoneNumbers: ['+14155550127'] });
    for (let i = 0; i < 5; i++) {
      const r = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { channel: 'sms' }, { key: null });
      assert.equal(r.status, 200, `send ${i + 1}`);
      assert.equal(r.body.sendsLeft, 4 - i);
      t.advance(30_000);
    }
    const r = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { channel: 'sms' }, { key: null });
    assert.equal(r.status, 429);
    assert.equal(r.body.error.code, 'too_many_sends');
    assert.equal(r.body.error.sendsLeft, 0);
  });

  test('sessions expire; the expiry is recorded', async () => {
    const s = await start({ phoneNumbers: ['+14155550128'] });
    t.advance(30 * 60_000);
    const r = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { channel: 'sms' }, { key: null });
    assert.equal(r.status, 410);
    assert.equal(r.body.error.code, 'session_expired');
    const status = await t.call('GET', `/v1/phone-factor/sessions/${s.id}`);
    assert.equal(status.body.status, 'expired');
    const types = (await t.tg.store.listEvents({ sessionId: s.id })).map((e) => e.type);
    assert.deepEqual(types.filter((x) => x === 'session.expired'), ['session.expired']);
  });

  test('the channel must be allowed by the profile', async () => {
    const r = await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-Verify-SMS', userId: 'u', phoneNumbers: ['+14155550129'] });
    const v = await t.call('POST', `/v1/phone-factor/sessions/${r.body.id}/send`, { channel: 'voice' }, { key: null });
    assert.equal(v.status, 422);
    assert.equal(v.body.error.code, 'channel_not_allowed');
    assert.deepEqual(v.body.error.alternatives, ['sms']);
  });

  test('cancel sends the user back with an error', async () => {
    const s = await start({ phoneNumbers: ['+14155550130'], returnUrl: `${t.tg.publicUrl()}/demo/callback` });
    const r = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/cancel`, undefined, { key: null });
    assert.equal(r.status, 200);
    assert.match(r.body.redirectTo, /error=user_cancelled/);
    const again = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { channel: 'sms' }, { key: null });
    assert.equal(again.body.error.code, 'session_failed');
  });

  test('inputClaims by claim name, as a B2C policy passes them', async () => {
    const r = await t.call('POST', '/v1/phone-factor/sessions', {
      profile: 'B2C_1A_TollgateDemo/PhoneFactor-InputOrVerify',
      inputClaims: { userIdForMFA: 'oid@tenant', strongAuthenticationPhoneNumber: '+14155550131', secondaryStrongAuthenticationPhoneNumber: '+14155550132' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const sent = await t.call('POST', `/v1/phone-factor/sessions/${r.body.id}/send`, { phoneIndex: 1, channel: 'sms' }, { key: null });
    assert.equal(sent.status, 200);
    assert.ok(await t.lastMessage('+14155550132'));
  });
});
