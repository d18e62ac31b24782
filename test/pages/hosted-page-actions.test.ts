// The hosted page's POST actions: CSRF is checked before the service is called, sends and
// verifications Post/Redirect/Get, service errors render the right B2C string and status,
// autodial sends once from the GET.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TollgateError } from '../../src/core/errors.ts';
import type { ReasonCode } from '../../src/core/events/reason-codes.ts';
import { buildApp, csrfPair, fakeService, makeView, pagePath, postForm, sentView } from './helpers.ts';

describe('CSRF', () => {
  for (const action of ['send', 'verify', 'resend', 'cancel']) {
    test(`${action}: missing or wrong token → 403 and no service action`, async () => {
      const fake = fakeService(sentView());
      const app = await buildApp(fake);
      const { cookie, token } = await csrfPair(app);
      const fields = { channel: 'sms', phoneIndex: '0', code: '123456' };
      const viewsBefore = fake.calls.view;
      const noToken = await postForm(app, `${pagePath}/${action}`, fields, cookie);
      const wrongToken = await postForm(app, `${pagePath}/${action}`, { ...fields, csrf: token.slice(1) + 'A' }, cookie);
      const noCookie = await postForm(app, `${pagePath}/${action}`, { ...fields, csrf: token }, null);
      const otherCookie = await postForm(app, `${pagePath}/${action}`, { ...fields, csrf: token }, 'A'.repeat(43));
      await app.close();
      for (const res of [noToken, wrongToken, noCookie, otherCookie]) {
        assert.equal(res.statusCode, 403);
        assert.match(res.body, /This form has expired or was not sent from this page/);
        assert.match(res.body, /role="alert"/);
      }
      assert.equal(fake.actions(), 0);
      assert.equal(fake.calls.view, viewsBefore);
    });
  }

  test('a token for another session is refused', async () => {
    const fake = fakeService(makeView());
    const app = await buildApp(fake);
    const { cookie } = await csrfPair(app);
    const { csrfToken } = await import('../../src/pages/csrf.ts');
    const other = csrfToken(new Uint8Array(32).fill(7), 'another-session', cookie);
    const res = await postForm(app, `${pagePath}/send`, { channel: 'sms', phoneIndex: '0', csrf: other }, cookie);
    await app.close();
    assert.equal(res.statusCode, 403);
    assert.equal(fake.actions(), 0);
  });
});

describe('send, resend, verify, cancel', () => {
  test('send a registered number: 303 back to the page (PRG), then the code step', async () => {
    const fake = fakeService(makeView({ registeredNumbers: [{ index: 0, masked: '+1 ••0123', region: 'US' }] }));
    const app = await buildApp(fake);
    const { cookie, token } = await csrfPair(app, `${pagePath}?ui_locales=fr`);
    const res = await postForm(app, `${pagePath}/send?ui_locales=fr`, { channel: 'voice', phoneIndex: '0', csrf: token }, cookie);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `${pagePath}?ui_locales=fr`);
    assert.deepEqual(fake.calls.send, [{ channel: 'voice', phoneIndex: 0 }]);
    const page = await app.inject({ url: res.headers.location as string });
    await app.close();
    assert.match(page.body, /autocomplete="one-time-code"/);
    assert.match(page.body, /<html lang="fr">/);
    assert.equal(fake.calls.send.length, 1, 'reloading the page does not send again');
  });

  test('send a typed number with its country', async () => {
    const fake = fakeService(makeView());
    const app = await buildApp(fake);
    const { cookie, token } = await csrfPair(app);
    const res = await postForm(app, `${pagePath}/send`, { channel: 'sms', phoneNumber: ' 06 12 34 56 78 ', country: 'fr', csrf: token }, cookie);
    await app.close();
    assert.equal(res.statusCode, 303);
    assert.deepEqual(fake.calls.send, [{ channel: 'sms', phoneNumber: '06 12 34 56 78', country: 'FR' }]);
  });

  test('empty number, missing country, bad channel: 4xx with the B2C string, no send', async () => {
    const fake = fakeService(makeView());
    const app = await buildApp(fake);
    const { cookie, token } = await csrfPair(app);
    const empty = await postForm(app, `${pagePath}/send`, { channel: 'sms', phoneNumber: '', country: 'FR', csrf: token }, cookie);
    const noCountry = await postForm(app, `${pagePath}/send`, { channel: 'sms', phoneNumber: '0612345678', country: '', csrf: token }, cookie);
    const badChannel = await postForm(app, `${pagePath}/send`, { channel: 'fax', phoneNumber: '+33612345678', csrf: token }, cookie);
    await app.close();
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Please enter your phone number/);
    assert.match(empty.body, /aria-describedby="tg-number-hint tg-error" aria-invalid="true"/);
    assert.equal(noCountry.statusCode, 422);
    assert.match(noCountry.body, /Please select your country code/);
    assert.equal(badChannel.statusCode, 400);
    assert.equal(fake.actions(), 0);
  });

  test('resend: the already selected number, same channel unless another is chosen', async () => {
    const fake = fakeService(sentView({}, { channel: 'voice' }));
    const app = await buildApp(fake);
    const { cookie, token } = await csrfPair(app);
    const a = await postForm(app, `${pagePath}/resend`, { csrf: token }, cookie);
    const b = await postForm(app, `${pagePath}/resend`, { csrf: token, channel: 'sms' }, cookie);
    await app.close();
    assert.equal(a.statusCode, 303);
    assert.equal(b.statusCode, 303);
    assert.deepEqual(fake.calls.send, [{ channel: 'voice' }, { channel: 'sms' }]);
  });

  test('verify: 303 to the redirect, else back to the page; malformed codes never reach the service', async () => {
    const fake = fakeService(sentView());
    const app = await buildApp(fake);
    const { cookie, token } = await csrfPair(app);
    const bad = await postForm(app, `${pagePath}/verify`, { code: '12ab', csrf: token }, cookie);
    const empty = await postForm(app, `${pagePath}/verify`, { code: ' ', csrf: token }, cookie);
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Please enter the 6-digit code you received/);
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Please enter the verification code you received/);
    assert.equal(fake.calls.verify.length, 0);
    const ok = await postForm(app, `${pagePath}/verify`, { code: '123 456', csrf: token }, cookie);
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, pagePath);
    fake.redirectTo = 'https://app.example/cb?result=jwt';
    const withRedirect = await postForm(app, `${pagePath}/verify`, { code: '123456', csrf: token }, cookie);
    await app.close();
    assert.equal(withRedirect.headers.location, 'https://app.example/cb?result=jwt');
    assert.deepEqual(fake.calls.verify, ['123456', '123456']);
  });

  test('cancel: 303 to the redirect, or a cancelled page', async () => {
    const fake = fakeService(makeView());
    const app = await buildApp(fake);
    const { cookie, token } = await csrfPair(app);
    const page = await postForm(app, `${pagePath}/cancel`, { csrf: token }, cookie);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /You cancelled the phone verification\./);
    fake.cancelRedirect = 'https://app.example/cb?error=cancelled';
    const redirect = await postForm(app, `${pagePath}/cancel`, { csrf: token }, cookie);
    await app.close();
    assert.equal(redirect.statusCode, 303);
    assert.equal(redirect.headers.location, 'https://app.example/cb?error=cancelled');
  });

  test('cancel on a session that is already over: verified → its page; failed → the app', async () => {
    const fake = fakeService(makeView());
    const app = await buildApp(fake);
    const { cookie, token } = await csrfPair(app);
    fake.view = makeView({ status: 'verified' });
    fake.cancelError = new TollgateError('session_completed');
    const done = await postForm(app, `${pagePath}/cancel`, { csrf: token }, cookie);
    fake.view = makeView({ status: 'failed', returnUrl: 'https://app.example/cb?error=x' });
    fake.cancelError = new TollgateError('session_failed');
    const failed = await postForm(app, `${pagePath}/cancel`, { csrf: token }, cookie);
    await app.close();
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, pagePath);
    assert.equal(failed.statusCode, 303);
    assert.equal(failed.headers.location, 'https://app.example/cb?error=x');
  });
});

describe('service errors', () => {
  const cases: [ReasonCode, 'send' | 'verify', Record<string, unknown>, number, RegExp[]][] = [
    ['invalid_code', 'verify', { attemptsLeft: 2 }, 422, [/does not match our records/, /Attempts left: 2/, /id="tg-code"[^>]*aria-invalid="true"/]],
    ['too_many_attempts', 'verify', {}, 429, [/User has exceeded the number of retry attempts\./]],
    ['code_expired', 'verify', {}, 410, [/This code has expired\./]],
    ['session_expired', 'verify', {}, 410, [/This verification has expired/]],
    ['too_many_sends', 'send', {}, 429, [/limit on the number of text messages/]],
    ['resend_cooldown', 'send', { retryAfter: 42 }, 429, [/limit on the number of verification attempts/, /new code in 42 s/]],
    ['invalid_phone_number', 'send', {}, 400, [/Please enter a valid phone number/]],
    ['country_not_allowed', 'send', {}, 403, [/not accepted here/]],
    ['provider_error', 'send', {}, 502, [/The phone number you provided is unreachable\./]],
    ['delivery_failed', 'send', {}, 502, [/unreachable/]],
    ['no_code_sent', 'verify', {}, 409, [/No code has been sent yet/]],
    ['channel_not_allowed', 'send', {}, 422, [/busy or unavailable/]],
  ];
  for (const [code, action, steering, status, patterns] of cases) {
    test(`${code} on ${action} → ${status}`, async () => {
      const fake = fakeService(action === 'verify' ? sentView() : makeView());
      const app = await buildApp(fake);
      const { cookie, token } = await csrfPair(app);
      const err = new TollgateError(code, 'internal detail that must not leak', steering);
      if (action === 'send') fake.sendError = err;
      else fake.verifyError = err;
      const fields: Record<string, string> = action === 'send' ? { channel: 'sms', phoneNumber: '+33612345678', csrf: token } : { code: '000000', csrf: token };
      const res = await postForm(app, `${pagePath}/${action}`, fields, cookie);
      await app.close();
      assert.equal(res.statusCode, status);
      assert.match(res.body, /<div id="tg-error" class="tg-alert" role="alert" tabindex="-1" autofocus>/);
      for (const p of patterns) assert.match(res.body, p);
      assert.doesNotMatch(res.body, /internal detail/);
    });
  }

  test('voice throttling uses error_phone_throttled; French strings when negotiated', async () => {
    const fake = fakeService(makeView());
    fake.sendError = new TollgateError('too_many_sends');
    const app = await buildApp(fake);
    const { cookie, token } = await csrfPair(app);
    const res = await postForm(app, `${pagePath}/send`, { channel: 'voice', phoneNumber: '+33612345678', csrf: token }, cookie, {
      'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5',
    });
    await app.close();
    assert.match(res.body, /Vous avez atteint la limite d’appels/);
  });

  test('an unexpected error renders a generic message without a stack trace', async () => {
    const fake = fakeService(sentView());
    fake.verifyError = new Error('boom at /secret/path.ts:12');
    const app = await buildApp(fake);
    const { cookie, token } = await csrfPair(app);
    const res = await postForm(app, `${pagePath}/verify`, { code: '000000', csrf: token }, cookie);
    await app.close();
    assert.equal(res.statusCode, 500);
    assert.match(res.body, /busy or unavailable/);
    assert.doesNotMatch(res.body, /boom|secret|\.ts:/);
  });
});

describe('autodial', () => {
  const one = [{ index: 0, masked: '+39 •••••4567', region: 'IT' }];
  test('GET sends once (voice for mode phone) and shows the code step', async () => {
    const fake = fakeService(makeView({ autodial: true, authenticationMode: 'phone', channels: ['voice'], registeredNumbers: one }));
    const app = await buildApp(fake);
    const first = await app.inject({ url: pagePath });
    const second = await app.inject({ url: pagePath });
    await app.close();
    assert.deepEqual(fake.calls.send, [{ phoneIndex: 0, channel: 'voice' }]);
    assert.match(first.body, /autocomplete="one-time-code"/);
    assert.match(second.body, /autocomplete="one-time-code"/);
  });

  test('not with mode mixed, several numbers or autodial off', async () => {
    for (const over of [
      { autodial: true, registeredNumbers: one },
      { autodial: true, authenticationMode: 'sms' as const, channels: ['sms' as const], registeredNumbers: [...one, { ...one[0]!, index: 1 }] },
      { autodial: false, authenticationMode: 'sms' as const, channels: ['sms' as const], registeredNumbers: one },
    ]) {
      const fake = fakeService(makeView(over));
      const app = await buildApp(fake);
      await app.inject({ url: pagePath });
      await app.close();
      assert.equal(fake.calls.send.length, 0);
    }
  });

  test('a failing autodial send renders the error', async () => {
    const fake = fakeService(makeView({ autodial: true, authenticationMode: 'sms', channels: ['sms'], registeredNumbers: one }));
    fake.sendError = new TollgateError('country_not_allowed');
    const app = await buildApp(fake);
    const res = await app.inject({ url: pagePath });
    await app.close();
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /role="alert"/);
    assert.match(res.body, /not accepted here/);
    assert.equal(fake.calls.send.length, 1);
  });
});
