// Authentication, validation, error shape, client-IP trust, concurrency and the smaller endpoints.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEV_KEY, startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

let t: TestTollgate;
before(async () => {
  // These tests pin the session's own rules (budgets, cooldowns, codes); the defense has its own suite.
  t = await startTestTollgate({ TOLLGATE_DEFENSE: 'off' });
});
after(async () => t.close());

const newSession = async (phoneNumbers: string[] = ['+14155550140']) =>
  (await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: 'u-1', phoneNumbers })).body.id as string;

describe('authentication', () => {
  test('server-to-server calls need a valid app key', async () => {
    const body = { profile: 'PhoneFactor-InputOrVerify', userId: 'u' };
    const none = await t.call('POST', '/v1/phone-factor/sessions', body, { key: null });
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'unauthorized');
    assert.equal(none.headers['www-authenticate'], 'Bearer');
    const wrong = await t.call('POST', '/v1/phone-factor/sessions', body, { key: 'not-the-key-0123456789abcdef' });
    assert.equal(wrong.status, 401);
    const id = await newSession();
    assert.equal((await t.call('GET', `/v1/phone-factor/sessions/${id}`, undefined, { key: null })).status, 401);
  });

  test('unknown and malformed session ids are 404, never 500', async () => {
    for (const id of ['nope', 'A'.repeat(43), '../../etc/passwd', '%00', 'x'.repeat(500)]) {
      const r = await t.call('POST', `/v1/phone-factor/sessions/${encodeURIComponent(id)}/verify`, { code: '123456' }, { key: null });
      assert.equal(r.status, 404, id);
      assert.ok(['session_not_found', 'not_found'].includes(r.body.error.code));
      assert.ok(!JSON.stringify(r.body).includes('xxxxxxxxxx'), 'the input is not echoed');
    }
  });
});

describe('validation', () => {
  const cases: [string, string, unknown, number, string][] = [
    ['missing profile', '/v1/phone-factor/sessions', { userId: 'u' }, 400, 'invalid_request'],
    ['unknown field', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: 'u', admin: true }, 400, 'invalid_request'],
    ['no user id', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify' }, 400, 'invalid_request'],
    ['unknown profile', '/v1/phone-factor/sessions', { profile: 'Nope', userId: 'u' }, 422, 'profile_not_found'],
    ['invalid number on file', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: 'u', phoneNumbers: ['+1555'] }, 400, 'invalid_phone_number'],
    ['national number on file', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: 'u', phoneNumbers: ['4155550123'] }, 400, 'invalid_phone_number'],
    ['too many numbers', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-Verify-SMS', userId: 'u', phoneNumbers: ['+14155550141', '+14155550142'] }, 422, 'too_many_phone_numbers'],
    ['enrolment not allowed', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-Verify-SMS', userId: 'u' }, 422, 'phone_number_required'],
    ['return URL not allowlisted', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: 'u', returnUrl: 'https://evil.example/cb' }, 422, 'return_url_not_allowed'],
    ['javascript return URL', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: 'u', returnUrl: 'javascript:alert(1)' }, 422, 'return_url_not_allowed'],
    ['bad locale', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: 'u', locale: '<script>' }, 400, 'invalid_request'],
  ];
  for (const [name, url, body, status, code] of cases) {
    test(name, async () => {
      const r = await t.call('POST', url, body);
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(r.body.error.code, code);
      assert.equal(typeof r.body.error.message, 'string');
    });
  }

  test('malformed JSON, wrong content type and oversize bodies are clear 4xx', async () => {
    const bad = await t.call('POST', '/v1/phone-factor/sessions', undefined, { raw: '{"profile":', headers: { 'content-type': 'application/json' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_request');
    const xml = await t.call('POST', '/v1/phone-factor/sessions', undefined, { raw: '<a/>', headers: { 'content-type': 'application/xml' } });
    assert.equal(xml.status, 400);
    const big = await t.call('POST', '/v1/phone-factor/sessions', undefined, { raw: JSON.stringify({ userId: 'x'.repeat(100_000) }), headers: { 'content-type': 'application/json' } });
    assert.equal(big.status, 413);
    assert.equal(big.body.error.code, 'payload_too_large');
  });

  test('send and verify bodies are validated', async () => {
    const id = await newSession();
    for (const body of [{}, { channel: 'fax' }, { channel: 'sms', phoneIndex: -1 }, { channel: 'sms', phoneIndex: 'a' }, { channel: 'sms', country: 'USA' }, [1, 2], 'text', null]) {
      const r = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, body, { key: null });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, 'invalid_request');
    }
    await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'sms' }, { key: null });
    for (const code of ['12345', 'abcdef', '1234567']) {
      const r = await t.call('POST', `/v1/phone-factor/sessions/${id}/verify`, { code }, { key: null });
      assert.equal(r.status, 400, code);
      assert.equal(r.body.error.field, 'code');
      assert.equal(r.body.error.attemptsLeft, 3, 'a malformed code does not use an attempt');
    }
  });

  test('no junk body makes a 500 or a stack trace', async () => {
    const id = await newSession();
    const junk = ['', '{}', '[]', 'null', '"x"', '{"__proto__":{"a":1}}', '{"channel":{"$gt":""}}', '{"code":["1"]}', '\u0000', '{"phoneNumber":"+1' + '9'.repeat(5000) + '"}'];
    const urls = ['/v1/phone-factor/sessions', `/v1/phone-factor/sessions/${id}/send`, `/v1/phone-factor/sessions/${id}/verify`, '/v1/verifications', '/v1/verification-checks', '/dev/clock'];
    for (const url of urls) {
      for (const raw of junk) {
        const r = await t.call('POST', url, undefined, { raw, headers: { 'content-type': 'application/json' } });
        assert.ok(r.status >= 400 && r.status < 500, `${url} ${JSON.stringify(raw)} → ${r.status}`);
        assert.ok(!JSON.stringify(r.body).includes('at '), 'no stack trace');
        assert.equal(typeof r.body.error?.code, 'string');
      }
    }
  });

  test('unknown routes answer the JSON error shape', async () => {
    const r = await t.call('GET', '/v1/nothing-here');
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'not_found');
  });
});

describe('client IP and user agent', () => {
  test('X-Forwarded-For is ignored unless the peer is a trusted proxy; the client field only from an app', async () => {
    const id = await newSession(['+14155550143']);
    await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'sms', client: { ip: '203.0.113.9' } }, { key: null, headers: { 'x-forwarded-for': '203.0.113.1' } });
    let e = (await t.tg.store.listEvents({ sessionId: id, type: 'code.sent' }))[0]!;
    assert.equal(e.ip, '127.0.0.1');
    t.advance(30_000);
    await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'sms', client: { ip: '203.0.113.9', userAgent: 'AppRelayed/1.0' } }, { key: DEV_KEY });
    e = (await t.tg.store.listEvents({ sessionId: id, type: 'code.sent' }))[1]!;
    assert.equal(e.ip, '203.0.113.9');
    assert.equal(e.userAgent, 'AppRelayed/1.0');
  });

  test('behind a configured trusted proxy, X-Forwarded-For gives the client IP', async () => {
    const p = await startTestTollgate({ TOLLGATE_TRUSTED_PROXIES: '127.0.0.1' });
    try {
      const id = (await p.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: 'u', phoneNumbers: ['+14155550144'] })).body.id;
      await p.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'sms' }, { key: null, headers: { 'x-forwarded-for': '203.0.113.77' } });
      const e = (await p.tg.store.listEvents({ sessionId: id, type: 'code.sent' }))[0]!;
      assert.equal(e.ip, '203.0.113.77');
    } finally {
      await p.close();
    }
  });
});

describe('concurrency', () => {
  test('parallel wrong guesses are all counted: at most 3 per code', async () => {
    const id = await newSession(['+14155550145']);
    await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'sms' }, { key: null });
    const code = (await t.lastMessage('+14155550145'))!.code!;
    const guesses = Array.from({ length: 12 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    const results = await Promise.all(guesses.map((g) => t.call('POST', `/v1/phone-factor/sessions/${id}/verify`, { code: g }, { key: null })));
    assert.equal(results.filter((r) => r.body.error?.code === 'invalid_code').length, 2);
    assert.ok(results.every((r) => r.status !== 200));
    const ok = await t.call('POST', `/v1/phone-factor/sessions/${id}/verify`, { code }, { key: null });
    assert.equal(ok.body.error.code, 'too_many_attempts', 'the right code after 3 wrong ones is refused');
  });

  test('the right code submitted in parallel verifies exactly once', async () => {
    const id = await newSession(['+14155550146']);
    await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'sms' }, { key: null });
    const code = (await t.lastMessage('+14155550146'))!.code!;
    const results = await Promise.all(Array.from({ length: 8 }, () => t.call('POST', `/v1/phone-factor/sessions/${id}/verify`, { code }, { key: null })));
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    assert.ok(results.filter((r) => r.status !== 200).every((r) => r.body.error.code === 'session_completed' || r.body.error.code === 'rate_limited'));
  });

  test('parallel sends go out once per cooldown', async () => {
    const id = await newSession(['+14155550147']);
    const results = await Promise.all(Array.from({ length: 6 }, () => t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'sms' }, { key: null })));
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    assert.equal((await t.tg.store.listOutbox({ to: '+14155550147' })).length, 1);
  });
});

describe('verification pair (Twilio-Verify style)', () => {
  test('start, resend in the same verification, check', async () => {
    const start = await t.call('POST', '/v1/verifications', { to: '+14155550150', channel: 'sms' });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    assert.equal(start.body.status, 'pending');
    t.advance(30_000);
    const again = await t.call('POST', '/v1/verifications', { to: '+14155550150', channel: 'call' });
    assert.equal(again.body.sid, start.body.sid, 'same pending verification');
    assert.equal(again.body.channel, 'voice');
    assert.equal(again.body.sendsLeft, 3);
    const code = (await t.lastMessage('+14155550150'))!.code!;
    const wrong = await t.call('POST', '/v1/verification-checks', { to: '+14155550150', code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.attemptsLeft, 2);
    const ok = await t.call('POST', '/v1/verification-checks', { to: '+14155550150', code });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.status, 'approved');
    assert.equal(ok.body.valid, true);
    const none = await t.call('POST', '/v1/verification-checks', { to: '+14155550150', code });
    assert.equal(none.status, 404, 'approved verifications are gone');
  });

  test('the allowlist applies to verifications too', async () => {
    const r = await t.call('POST', '/v1/verifications', { to: '+79161234567', channel: 'sms' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'country_not_allowed');
  });
});

describe('well-known, OpenAPI, dev hooks', () => {
  test('JWKS publishes ES256 public keys only; rotation keeps the previous key', async () => {
    const before = (await t.call('GET', '/.well-known/jwks.json')).body;
    assert.equal(before.keys.length, 1);
    assert.equal(before.keys[0].alg, 'ES256');
    assert.equal(before.keys[0].d, undefined, 'no private part');
    await t.tg.tokens.rotate();
    const afterRotation = (await t.call('GET', '/.well-known/jwks.json')).body;
    assert.equal(afterRotation.keys.length, 2);
    t.advance(8 * 86_400_000);
    t.tg.tokens.invalidate();
    const later = (await t.call('GET', '/.well-known/jwks.json')).body;
    assert.equal(later.keys.length, 1, 'retired after the retention period');
    assert.notEqual(later.keys[0].kid, before.keys[0].kid);
  });

  test('OpenAPI describes the contract paths with request schemas', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    assert.equal(doc.openapi, '3.1.0');
    for (const p of ['/v1/phone-factor/sessions', '/v1/phone-factor/sessions/{id}', '/v1/phone-factor/sessions/{id}/send', '/v1/phone-factor/sessions/{id}/verify', '/v1/verifications', '/v1/verification-checks', '/.well-known/jwks.json']) {
      assert.ok(doc.paths[p], p);
    }
    const schema = doc.paths['/v1/phone-factor/sessions'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(schema.required, ['profile']);
    assert.ok(schema.properties.phoneNumbers);
    assert.ok(doc.components.schemas.Error.properties.error.properties.code.enum.includes('country_not_allowed'));
  });

  test('the manual clock moves on request only', async () => {
    const now = (await t.call('GET', '/dev/clock')).body.nowMs;
    const moved = await t.call('POST', '/dev/clock', { advanceMs: 60_000 });
    assert.equal(moved.body.nowMs, now + 60_000);
    const set = await t.call('POST', '/dev/clock', { now: '2030-01-01T00:00:00Z' });
    assert.equal(set.body.now, '2030-01-01T00:00:00.000Z');
    assert.equal((await t.call('POST', '/dev/clock', { advanceMs: 1, now: '2030-01-01T00:00:00Z' })).status, 400);
    assert.equal((await t.call('POST', '/dev/clock', { advanceMs: -5 })).status, 400);
  });

  test('the outbox is readable as JSON, filtered by number', async () => {
    await t.call('POST', '/v1/verifications', { to: '+14155550160', channel: 'sms' });
    const r = await t.call('GET', '/dev/outbox?to=%2B14155550160');
    assert.equal(r.body.messages.length, 1);
    assert.deepEqual(Object.keys(r.body.messages[0]).sort(), ['body', 'channel', 'code', 'id', 'locale', 'sessionId', 'time', 'to']);
    assert.equal((await t.call('GET', '/dev/outbox?to=banana')).status, 400);
  });

  test('health', async () => {
    const r = await t.call('GET', '/healthz');
    assert.equal(r.body.status, 'ok');
  });
});
