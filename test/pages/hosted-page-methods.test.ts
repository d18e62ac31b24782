// The hosted page's method choice and the stronger factors' states, against a stand-in service:
// phone-only pages unchanged, the choice and each method's form, CSRF on the new POSTs, email and
// authenticator errors on the right field, fallback buttons under a refusal, the QR code and the
// recovery codes escaped and shown once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TollgateError } from '../../src/core/errors.ts';
import type { TotpView } from '../../src/services/phone-factor-view.ts';
import { buildApp, csrfPair, fakeService, makeView, pagePath, postForm, sentView } from './helpers.ts';

const methods = makeView({ methods: ['phone', 'email', 'totp'], fallbackMethods: ['email', 'totp'] });
const qr = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`;
const enrolled: TotpView = { enrolled: true, pending: null, digits: 6 };

/** The stand-in plus the authenticator steps, recording their calls. */
function withTotp(view = methods) {
  const fake = fakeService(view);
  const calls: { totp: unknown[]; begin: number; confirm: string[] } = { totp: [], begin: 0, confirm: [] };
  let totpError: unknown = null;
  Object.assign(fake.service, {
    async totp(_id: string, submission: unknown) {
      calls.totp.push(submission);
      if (totpError) throw totpError;
      fake.view = { ...fake.view, status: 'verified', verifiedMethod: 'totp' };
      return { view: fake.view, result: 'jwt', redirectTo: null };
    },
    async beginTotpEnrollment() {
      calls.begin++;
    },
    async confirmTotpEnrollment(_id: string, code: string) {
      calls.confirm.push(code);
      fake.view = { ...fake.view, status: 'verified', verifiedMethod: 'totp' };
      return { outcome: { view: fake.view, result: 'jwt', redirectTo: 'https://app.example/done?result=jwt' }, recoveryCodes: ['abcd-efgh-jk', '<b>x</b>'] };
    },
  });
  return { fake, calls, failTotp: (err: unknown) => (totpError = err) };
}

describe('method choice', () => {
  test('a phone-only session looks as before: no choice, the phone heading', async () => {
    const app = await buildApp(fakeService(makeView()));
    const res = await app.inject({ url: pagePath });
    await app.close();
    assert.doesNotMatch(res.body, /tg-methods/);
    assert.match(res.body, /Verify your phone number/);
    assert.match(res.body, /asks you to confirm a phone number/);
  });

  test('several methods: a labelled choice, the first is current; ?method= picks another (unknown ignored)', async () => {
    const app = await buildApp(fakeService(methods));
    const first = await app.inject({ url: `${pagePath}?ui_locales=it` });
    const email = await app.inject({ url: `${pagePath}?method=email` });
    const bogus = await app.inject({ url: `${pagePath}?method=fax` });
    await app.close();
    assert.match(first.body, /<nav class="tg-methods" aria-labelledby="tg-methods-label">/);
    assert.match(first.body, /href="\/pf\/[^"?]+\?ui_locales=it&amp;method=email" data-method="email">Email</);
    assert.match(first.body, /data-method="phone" aria-current="true">SMS o chiamata</);
    assert.match(email.body, /<input id="tg-email" name="email" type="email"/);
    assert.match(email.body, /data-method="email" aria-current="true"/);
    assert.match(email.body, /name="csrf"/);
    assert.match(bogus.body, /id="tg-number"/);
  });
});

describe('email', () => {
  test('send posts channel email with the address, then Post/Redirect/Get', async () => {
    const { fake } = withTotp();
    const app = await buildApp(fake);
    const { cookie, token } = await csrfPair(app, `${pagePath}?method=email`);
    const noCsrf = await postForm(app, `${pagePath}/send`, { channel: 'email', email: 'jane@example.com' }, cookie);
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(fake.calls.send.length, 0);
    const empty = await postForm(app, `${pagePath}/send`, { channel: 'email', email: ' ', csrf: token }, cookie);
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /id="tg-email"[^>]*aria-invalid="true"/);
    const res = await postForm(app, `${pagePath}/send`, { channel: 'email', email: ' jane@example.com ', csrf: token }, cookie);
    await app.close();
    assert.equal(res.statusCode, 303);
    assert.deepEqual(fake.calls.send, [{ channel: 'email', email: 'jane@example.com' }]);
  });

  test('a refused domain is shown on the email field, on the email form', async () => {
    const { fake } = withTotp();
    fake.sendError = new TollgateError('email_domain_not_allowed', 'internal detail', { field: 'email' });
    const app = await buildApp(fake);
    const { cookie, token } = await csrfPair(app);
    const res = await postForm(app, `${pagePath}/send`, { channel: 'email', email: 'x@mailinator.com', csrf: token }, cookie);
    await app.close();
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /Addresses from this email provider are not accepted/);
    assert.match(res.body, /id="tg-email"[^>]*aria-describedby="tg-error"[^>]*aria-invalid="true"/);
    assert.doesNotMatch(res.body, /internal detail/);
  });

  test('the code step names the masked address, escaped, and offers no call/text resend', async () => {
    const view = sentView({ methods: ['phone', 'email'] }, { channel: 'email', maskedTo: 'j•••@<b>x</b>.com' });
    const app = await buildApp(fakeService(view));
    const res = await app.inject({ url: pagePath });
    await app.close();
    assert.match(res.body, /We sent a code to j•••@&lt;b&gt;x&lt;\/b&gt;\.com/);
    assert.match(res.body, /Verify your email address/);
    assert.doesNotMatch(res.body, /value="voice"/);
    assert.match(res.body, /name="channel" value="email"/);
  });
});

describe('fallback', () => {
  test('a refused phone number shows the unlocked methods as buttons under the error', async () => {
    const { fake } = withTotp();
    fake.sendError = new TollgateError('country_not_allowed', undefined, { region: 'RU', alternatives: ['email', 'totp'] });
    const app = await buildApp(fake);
    const { cookie, token } = await csrfPair(app);
    const res = await postForm(app, `${pagePath}/send`, { channel: 'sms', phoneNumber: '+79161234567', csrf: token }, cookie);
    await app.close();
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /You can verify another way instead:/);
    assert.match(res.body, /data-alternative="email">Email</);
    assert.match(res.body, /data-alternative="totp">Authenticator app</);
  });

  test('alternatives the session does not offer are not shown', async () => {
    const fake = fakeService(makeView());
    fake.sendError = new TollgateError('country_not_allowed', undefined, { alternatives: ['email'] });
    const app = await buildApp(fake);
    const { cookie, token } = await csrfPair(app);
    const res = await postForm(app, `${pagePath}/send`, { channel: 'sms', phoneNumber: '+79161234567', csrf: token }, cookie);
    await app.close();
    assert.doesNotMatch(res.body, /tg-alternatives/);
  });
});

describe('authenticator app', () => {
  test('enrolled: the code form, a link to the recovery form; posts go to /totp', async () => {
    const { fake, calls, failTotp } = withTotp({ ...methods, totp: enrolled });
    const app = await buildApp(fake);
    const code = await app.inject({ url: `${pagePath}?method=totp` });
    assert.match(code.body, /action="\/pf\/[^"]+\/totp"/);
    assert.match(code.body, /href="[^"]*method=totp&amp;recovery=1">Use a recovery code instead/);
    const recovery = await app.inject({ url: `${pagePath}?method=totp&recovery=1` });
    assert.match(recovery.body, /name="recoveryCode"/);
    const { cookie, token } = await csrfPair(app, `${pagePath}?method=totp`);
    assert.equal((await postForm(app, `${pagePath}/totp`, { code: '123456' }, cookie)).statusCode, 403);
    failTotp(new TollgateError('invalid_code', 'x', { attemptsLeft: 2 }));
    const wrong = await postForm(app, `${pagePath}/totp`, { code: '123 456', csrf: token }, cookie);
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /That code is not right/);
    assert.match(wrong.body, /Attempts left: 2/);
    assert.match(wrong.body, /id="tg-code"[^>]*aria-invalid="true"/);
    failTotp(new TollgateError('invalid_code', 'x', { attemptsLeft: 1 }));
    const wrongRecovery = await postForm(app, `${pagePath}/totp`, { recoveryCode: 'abcd-efgh-jk', csrf: token }, cookie);
    assert.match(wrongRecovery.body, /That recovery code is not right/);
    assert.match(wrongRecovery.body, /id="tg-recovery"[^>]*aria-invalid="true"/);
    failTotp(null);
    const ok = await postForm(app, `${pagePath}/totp`, { code: '123456', csrf: token }, cookie);
    await app.close();
    assert.equal(ok.statusCode, 303);
    assert.deepEqual(calls.totp, [{ code: '123456' }, { recoveryCode: 'abcd-efgh-jk' }, { code: '123456' }]);
  });

  test('not enrolled: the set-up offer; enrolling redirects to the QR screen', async () => {
    const { fake, calls } = withTotp({ ...methods, totp: { enrolled: false, pending: null, digits: 6 } });
    const app = await buildApp(fake);
    const offer = await app.inject({ url: `${pagePath}?method=totp` });
    assert.match(offer.body, /Set up an authenticator app/);
    const { cookie, token } = await csrfPair(app, `${pagePath}?method=totp`);
    const res = await postForm(app, `${pagePath}/totp/enroll?ui_locales=fr`, { csrf: token }, cookie);
    await app.close();
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `${pagePath}?ui_locales=fr&method=totp`);
    assert.equal(calls.begin, 1);
  });

  test('pending: QR image from our data URL only, the key escaped; confirm shows the recovery codes once, escaped', async () => {
    const pending = { uri: 'otpauth://totp/x', qrSvgDataUrl: qr, secret: 'JBSWY3DPEHPK3PXP"<x' };
    const { fake, calls } = withTotp({ ...methods, totp: { enrolled: false, pending, digits: 6 } });
    const app = await buildApp(fake);
    const screen = await app.inject({ url: `${pagePath}?method=totp` });
    assert.match(screen.body, /<img class="tg-qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="QR code to add this account/);
    assert.match(screen.body, /JBSW Y3DP EHPK 3PXP &quot;&lt;x/);
    assert.match(screen.body, /action="\/pf\/[^"]+\/totp\/confirm"/);
    assert.match(String(screen.headers['content-security-policy']), /img-src 'self' data:/);
    fake.view = { ...fake.view, totp: { enrolled: false, pending: { ...pending, qrSvgDataUrl: 'javascript:alert(1)' }, digits: 6 } };
    const hostile = await app.inject({ url: `${pagePath}?method=totp` });
    assert.doesNotMatch(hostile.body, /javascript:/);
    fake.view = { ...fake.view, totp: { enrolled: false, pending, digits: 6 } };
    const { cookie, token } = await csrfPair(app, `${pagePath}?method=totp`);
    const done = await postForm(app, `${pagePath}/totp/confirm`, { code: '654321', csrf: token }, cookie);
    await app.close();
    assert.equal(done.statusCode, 200);
    assert.equal(done.headers['cache-control'], 'no-store');
    assert.match(done.body, /<li><code>abcd-efgh-jk<\/code><\/li>/);
    assert.match(done.body, /<li><code>&lt;b&gt;x&lt;\/b&gt;<\/code><\/li>/);
    assert.match(done.body, /href="https:\/\/app\.example\/done\?result=jwt">Continue/);
    assert.deepEqual(calls.confirm, ['654321']);
  });
});
