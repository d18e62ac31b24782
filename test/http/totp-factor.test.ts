// Authenticator apps over HTTP: enrollment through the API (codes computed here with otpauth, as
// an app would), sign-in inside a session with the ±1 step window, replay refused, recovery codes
// single use, the session's own attempt limit, removal; and the fallback a refused phone send
// unlocks (email, authenticator) on a profile that offers only phone up front.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

const root = new URL('../..', import.meta.url).pathname;
let t: TestTollgate;

before(async () => {
  t = await startTestTollgate({ TOLLGATE_POLICIES: `${join(root, 'policies/demo.yaml')},${join(root, 'test/fixtures/policies/factors-policy.yaml')}` });
});
after(async () => t?.close());

const payload = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
/** What the authenticator app shows `offsetSteps` steps from Tollgate's (manual) clock. */
const appCode = (secret: string, offsetSteps = 0) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: t.tg.clock.now() + offsetSteps * 30_000 });

async function enroll(userId: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const began = await t.call('POST', '/v1/factors/totp/enrollments', { userId, label: 'j•••@example.com' });
  assert.equal(began.status, 201, JSON.stringify(began.body));
  const confirmed = await t.call('POST', `/v1/factors/totp/enrollments/${began.body.enrollmentId}/confirm`, { code: appCode(began.body.secret) });
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  t.advance(30_000); // the confirming code's step is used up
  return { secret: began.body.secret, recoveryCodes: confirmed.body.recoveryCodes };
}

async function session(userId: string, profile = 'Factor-Totp'): Promise<string> {
  const r = await t.call('POST', '/v1/phone-factor/sessions', { profile, userId });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

const totp = (id: string, body: Record<string, string>) => t.call('POST', `/v1/phone-factor/sessions/${id}/totp`, body);

describe('authenticator apps (TOTP)', () => {
  test('enrollment through the API: QR code, otpauth URI, key; wrong then right first code; no-store', async () => {
    const unauth = await t.call('POST', '/v1/factors/totp/enrollments', { userId: 'u' }, { key: null });
    assert.equal(unauth.status, 401);
    const began = await t.call('POST', '/v1/factors/totp/enrollments', { userId: 'api-user', label: 'j•••@example.com' });
    assert.equal(began.status, 201);
    assert.equal(began.headers['cache-control'], 'no-store');
    assert.match(began.body.secret, /^[A-Z2-7]{32}$/);
    assert.match(began.body.uri, /^otpauth:\/\/totp\/Tollgate%20demo:j%E2%80%A2%E2%80%A2%E2%80%A2%40example\.com\?/);
    assert.match(began.body.uri, /[?&]secret=[A-Z2-7]{32}(&|$)/);
    assert.match(began.body.qrSvgDataUrl, /^data:image\/svg\+xml;base64,/);
    const wrong = await t.call('POST', `/v1/factors/totp/enrollments/${began.body.enrollmentId}/confirm`, { code: appCode(began.body.secret, 5) });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.code, 'invalid_code');
    const ok = await t.call('POST', `/v1/factors/totp/enrollments/${began.body.enrollmentId}/confirm`, { code: appCode(began.body.secret) });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.recoveryCodes.length, 10);
    assert.match(ok.body.recoveryCodes[0], /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2}$/);
    const again = await t.call('POST', `/v1/factors/totp/enrollments/${began.body.enrollmentId}/confirm`, { code: appCode(began.body.secret) });
    assert.equal(again.status, 404);
    const enrolled = await t.tg.store.listEvents({ type: 'factor.enrolled' });
    assert.equal(enrolled.length, 1);
    assert.equal(enrolled[0]!.userIdHash, t.tg.events.hashUserId('api-user'));
    assert.ok(!JSON.stringify(enrolled).includes(began.body.secret));
  });

  test('sign-in in a session with a current code (±1 step), then the same code is a replay', async () => {
    const { secret } = await enroll('signin-user');
    const id = await session('signin-user');
    const code = appCode(secret);
    const ok = await totp(id, { code });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const claims = payload(ok.body.result);
    assert.deepEqual(claims.amr, ['otp']);
    assert.deepEqual(claims.tollgate, { profile: 'Factor-Totp', policy: 'B2C_1A_Factors', channel: null, method: 'totp' });
    assert.equal(claims['Verified.strongAuthenticationPhoneNumber'], null);
    const events = await t.tg.store.listEvents({ sessionId: id });
    const verified = events.find((e) => e.type === 'code.verified')!;
    assert.equal(verified.channel, null);
    assert.equal(verified.phoneNumber, null);
    assert.equal(verified.details.method, 'totp');
    assert.equal(events.find((e) => e.type === 'session.verified')!.details.method, 'totp');

    const replay = await totp(await session('signin-user'), { code });
    assert.equal(replay.status, 422);
    assert.equal(replay.body.error.code, 'invalid_code', 'a replay is answered like a wrong code');

    // Clock drift: the code of the step before now still passes (window ±1), once.
    t.advance(60_000);
    const drift = await totp(await session('signin-user'), { code: appCode(secret, -1) });
    assert.equal(drift.status, 200, JSON.stringify(drift.body));
    const tooOld = await totp(await session('signin-user'), { code: appCode(secret, -2) });
    assert.equal(tooOld.body.error.code, 'invalid_code');
  });

  test('recovery codes: each works once, case and dashes ignored', async () => {
    const { recoveryCodes } = await enroll('recovery-user');
    const first = await totp(await session('recovery-user'), { recoveryCode: recoveryCodes[0]! });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(payload(first.body.result).amr, ['otp']);
    const reused = await totp(await session('recovery-user'), { recoveryCode: recoveryCodes[0]! });
    assert.equal(reused.status, 422);
    assert.equal(reused.body.error.code, 'invalid_code');
    const loose = await totp(await session('recovery-user'), { recoveryCode: recoveryCodes[1]!.toUpperCase().replace(/-/g, ' ') });
    assert.equal(loose.status, 200);
    const both = await totp(await session('recovery-user'), { code: '123456', recoveryCode: recoveryCodes[2]! });
    assert.equal(both.status, 400);
  });

  test('wrong codes: attempts counted, the session fails at the limit', async () => {
    const { secret } = await enroll('guess-user');
    const id = await session('guess-user');
    const right = appCode(secret);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left--) {
      const r = await totp(id, { code: wrong });
      assert.equal(r.status, 422);
      assert.equal(r.body.error.attemptsLeft, left);
    }
    const last = await totp(id, { code: wrong });
    assert.equal(last.status, 429);
    assert.equal(last.body.error.code, 'too_many_attempts');
    const after = await totp(id, { code: right });
    assert.equal(after.body.error.code, 'session_failed');
    const types = (await t.tg.store.listEvents({ sessionId: id })).map((e) => e.type);
    assert.ok(types.includes('session.failed'));
    assert.equal(types.filter((x) => x === 'code.rejected').length, 5);
  });

  test('not enrolled, not offered, and removal through the API', async () => {
    const none = await totp(await session('nobody'), { code: '123456' });
    assert.equal(none.status, 409);
    assert.equal(none.body.error.code, 'totp_not_enrolled');
    const phoneOnly = await session('nobody', 'PhoneFactor-InputOrVerify');
    const notOffered = await totp(phoneOnly, { code: '123456' });
    assert.equal(notOffered.status, 422);
    assert.equal(notOffered.body.error.code, 'channel_not_allowed');

    const { secret } = await enroll('leaving-user');
    assert.equal((await t.call('DELETE', '/v1/factors/totp?userId=leaving-user')).status, 200);
    assert.equal((await t.call('DELETE', '/v1/factors/totp?userId=leaving-user')).status, 404);
    assert.equal((await t.call('DELETE', '/v1/factors/totp')).status, 400);
    const gone = await totp(await session('leaving-user'), { code: appCode(secret) });
    assert.equal(gone.body.error.code, 'totp_not_enrolled');
    assert.equal((await t.tg.store.listEvents({ type: 'factor.disabled' })).length, 1);
  });
});

describe('fallback after a refused phone send', () => {
  test('a country the allowlist refuses unlocks email and the authenticator app in this session', async () => {
    const id = await session('fallback-user', 'PhoneFactor-Fallback');
    const early = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'email', email: 'fallback@example.org' });
    assert.equal(early.status, 422);
    assert.equal(early.body.error.code, 'channel_not_allowed');
    assert.deepEqual(early.body.error.alternatives, ['phone']);

    const refused = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'sms', phoneNumber: '+79161234567' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'country_not_allowed');
    assert.deepEqual(refused.body.error.alternatives, ['email', 'totp']);

    const sent = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'email', email: 'fallback@example.org' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const message = await t.lastMessage('fallback@example.org');
    assert.equal(message?.channel, 'email', 'the development outbox keeps email too');
    assert.match(message!.body, /verify your email address for Tollgate demo/);
    const ok = await t.call('POST', `/v1/phone-factor/sessions/${id}/verify`, { code: message!.code });
    assert.equal(ok.status, 200);
    assert.deepEqual(payload(ok.body.result).amr, ['email']);
  });

  test('a profile without fallback methods offers none; invalid input never unlocks', async () => {
    const id = await session('no-fallback', 'PhoneFactor-InputOrVerify');
    const refused = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'sms', phoneNumber: '+79161234567' });
    assert.equal(refused.body.error.code, 'country_not_allowed');
    assert.equal(refused.body.error.alternatives, undefined);
    const fb = await session('fallback-2', 'PhoneFactor-Fallback');
    const invalid = await t.call('POST', `/v1/phone-factor/sessions/${fb}/send`, { channel: 'sms', phoneNumber: '+1555' });
    assert.equal(invalid.body.error.code, 'invalid_phone_number');
    const email = await t.call('POST', `/v1/phone-factor/sessions/${fb}/send`, { channel: 'email', email: 'a@example.org' });
    assert.equal(email.body.error.code, 'channel_not_allowed');
  });
});

describe('OpenAPI', () => {
  test('publishes the new endpoints and the email channel', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    for (const p of ['/v1/phone-factor/sessions/{id}/totp', '/v1/factors/totp/enrollments', '/v1/factors/totp/enrollments/{enrollmentId}/confirm']) assert.ok(doc.paths[p]?.post, p);
    assert.ok(doc.paths['/v1/factors/totp'].delete);
    const send = doc.paths['/v1/phone-factor/sessions/{id}/send'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(send.properties.channel.enum, ['sms', 'voice', 'email']);
    assert.ok(send.properties.email);
    const codes = doc.components.schemas.Error.properties.error.properties.code.enum;
    for (const c of ['invalid_email_address', 'email_domain_not_allowed', 'totp_not_enrolled']) assert.ok(codes.includes(c), c);
  });
});
