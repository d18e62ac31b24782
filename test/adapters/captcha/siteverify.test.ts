// Turnstile, hCaptcha and reCAPTCHA verification against a local fake of their siteverify APIs:
// request format, real-shaped answers, score and hostname checks, session binding (Turnstile
// cdata), replay, and every way the provider can fail to answer (→ captcha_unavailable).
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.ts';
import { SiteverifyCaptcha, type SiteverifyProvider, type SiteverifyOptions } from '../../../src/adapters/captcha/siteverify.ts';
import { HcaptchaCaptcha, RecaptchaCaptcha, TurnstileCaptcha } from '../../../src/adapters/captcha/siteverify.ts';
import { CaptchaErrorCode } from '../../../src/adapters/captcha/verification.ts';
import { FakeSiteverify } from './fake-siteverify.ts';

const SECRET = 'sk_live_Sup3rS3cret-do-not-leak';
const SITE_KEY = '0x4AAAAAAABkMYinukE8nzY';
const bindKey = new Uint8Array(32).fill(3);
const session = { sessionId: 'ses_A', ip: '203.0.113.9' };

function make(provider: SiteverifyProvider, fake: FakeSiteverify, extra: Partial<SiteverifyOptions> = {}, bound = false): SiteverifyCaptcha {
  const opts = { siteKey: SITE_KEY, secret: SECRET, verifyUrl: fake.url, ...extra };
  const deps = { clock: new ManualClock(), ...(bound ? { bindKey } : {}) };
  if (provider === 'turnstile') return new TurnstileCaptcha(opts, deps);
  if (provider === 'hcaptcha') return new HcaptchaCaptcha(opts, deps);
  return new RecaptchaCaptcha(opts, deps);
}

for (const provider of ['turnstile', 'hcaptcha', 'recaptcha'] as const) {
  describe(`${provider} siteverify`, () => {
    const fake = new FakeSiteverify(provider, SECRET, SITE_KEY);
    before(() => fake.start());
    after(() => fake.stop());

    test('challenge() gives the page the provider and the site key, never the secret', async () => {
      const info = await make(provider, fake).challenge({ sessionId: 'ses_A' });
      assert.equal(info.provider, provider);
      assert.equal(info.siteKey, SITE_KEY);
      assert.ok(!JSON.stringify(info).includes(SECRET));
    });

    test('a valid token passes; the request is a form POST with secret, response and remoteip', async () => {
      const captcha = make(provider, fake);
      const token = fake.issue(`${provider}-good-1`);
      assert.deepEqual(await captcha.verify(token, session), { ok: true });
      const req = fake.requests.at(-1)!;
      assert.equal(req.method, 'POST');
      assert.equal(req.path, '/siteverify');
      assert.match(req.contentType, /^application\/x-www-form-urlencoded/);
      assert.equal(req.form.secret, SECRET);
      assert.equal(req.form.response, token);
      assert.equal(req.form.remoteip, '203.0.113.9');
      assert.equal(req.form.sitekey, provider === 'hcaptcha' ? SITE_KEY : undefined);
    });

    test('no remoteip field when the client IP is unknown', async () => {
      const token = fake.issue(`${provider}-good-noip`);
      assert.equal((await make(provider, fake).verify(token, { sessionId: 'ses_A', ip: null })).ok, true);
      assert.equal('remoteip' in fake.requests.at(-1)!.form, false);
    });

    test('an unknown token fails with the provider error code', async () => {
      const r = await make(provider, fake).verify('forged-token', session);
      assert.deepEqual(r, { ok: false, error: CaptchaErrorCode.INVALID, providerCodes: ['invalid-input-response'] });
    });

    test('the provider refuses a token twice (expired or used)', async () => {
      const token = fake.issue(`${provider}-twice`);
      assert.equal((await make(provider, fake).verify(token, session)).ok, true);
      const again = await make(provider, fake).verify(token, session);
      assert.equal(again.ok, false);
      assert.equal(again.error, CaptchaErrorCode.EXPIRED);
    });

    test('the local replay guard refuses a token the provider would accept again', async () => {
      const captcha = make(provider, fake);
      const token = fake.misbehaveOn(fake.issue(`${provider}-testkey`), 'always-pass');
      assert.equal((await captcha.verify(token, session)).ok, true);
      assert.deepEqual(await captcha.verify(token, session), { ok: false, error: CaptchaErrorCode.REPLAYED });
    });

    test('a wrong secret is reported as misconfiguration, without the secret', async () => {
      const captcha = make(provider, fake, { secret: 'wrong-secret-value' });
      const r = await captcha.verify(fake.issue(`${provider}-badsecret`), session);
      assert.deepEqual(r, { ok: false, error: CaptchaErrorCode.MISCONFIGURED, providerCodes: ['invalid-input-secret'] });
    });

    test('hostname mismatch fails when expectedHostname is set', async () => {
      const token = fake.issue(`${provider}-otherhost`, { hostname: 'evil.example.net' });
      assert.deepEqual(await make(provider, fake, { expectedHostname: 'verify.example.com' }).verify(token, session), {
        ok: false,
        error: CaptchaErrorCode.HOSTNAME_MISMATCH,
      });
      const good = fake.issue(`${provider}-samehost`, { hostname: 'Verify.Example.com' });
      assert.equal((await make(provider, fake, { expectedHostname: 'verify.example.com' }).verify(good, session)).ok, true);
    });

    test('timeout → captcha_unavailable, quickly', async () => {
      const start = Date.now();
      const r = await make(provider, fake, { timeoutMs: 200 }).verify(fake.misbehaveOn('hang-token', 'hang'), session);
      assert.deepEqual(r, { ok: false, error: CaptchaErrorCode.UNAVAILABLE });
      assert.ok(Date.now() - start < 3_000);
    });

    test('HTTP 500, non-JSON and wrong-shaped answers → captcha_unavailable', async () => {
      for (const how of ['http500', 'not-json', 'wrong-shape'] as const) {
        const r = await make(provider, fake).verify(fake.misbehaveOn(`${provider}-${how}`, how), session);
        assert.deepEqual(r, { ok: false, error: CaptchaErrorCode.UNAVAILABLE }, how);
      }
    });

    test('empty or oversized tokens fail without calling the provider', async () => {
      const before = fake.requests.length;
      assert.equal((await make(provider, fake).verify('', session)).error, CaptchaErrorCode.MISSING);
      assert.equal((await make(provider, fake).verify('x'.repeat(10_000), session)).error, CaptchaErrorCode.INVALID);
      assert.equal(fake.requests.length, before);
    });
  });
}

describe('reCAPTCHA scores', () => {
  const fake = new FakeSiteverify('recaptcha', SECRET, SITE_KEY);
  before(() => fake.start());
  after(() => fake.stop());

  test('a v3 score below minScore fails; at or above passes', async () => {
    assert.deepEqual(await make('recaptcha', fake).verify(fake.issue('low', { score: 0.3 }), session), {
      ok: false,
      error: CaptchaErrorCode.SCORE_TOO_LOW,
    });
    assert.equal((await make('recaptcha', fake).verify(fake.issue('mid', { score: 0.5 }), session)).ok, true);
    assert.equal((await make('recaptcha', fake, { minScore: 0.8 }).verify(fake.issue('mid2', { score: 0.7 }), session)).ok, false);
    // v2 checkbox answers carry no score: success alone decides.
    assert.equal((await make('recaptcha', fake, { minScore: 0.9 }).verify(fake.issue('v2'), session)).ok, true);
  });
});

describe('Turnstile session binding (cdata)', () => {
  const fake = new FakeSiteverify('turnstile', SECRET, SITE_KEY);
  before(() => fake.start());
  after(() => fake.stop());

  test('a token solved with another session’s cdata fails; its own passes', async () => {
    const captcha = make('turnstile', fake, {}, true);
    const mine = await captcha.challenge({ sessionId: 'ses_A' });
    const theirs = await captcha.challenge({ sessionId: 'ses_B' });
    assert.match(String(mine.cdata), /^[0-9a-f]{32}$/);
    assert.notEqual(mine.cdata, theirs.cdata);
    assert.ok(!String(mine.cdata).includes('ses_A'));
    const stolen = fake.issue('solved-for-B', { cdata: String(theirs.cdata) });
    assert.deepEqual(await captcha.verify(stolen, session), { ok: false, error: CaptchaErrorCode.SESSION_MISMATCH });
    const own = fake.issue('solved-for-A', { cdata: String(mine.cdata) });
    assert.deepEqual(await captcha.verify(own, session), { ok: true });
  });
});

describe('unreachable provider and secrecy', () => {
  test('connection refused → captcha_unavailable', async () => {
    const fake = new FakeSiteverify('turnstile', SECRET, SITE_KEY);
    await fake.start();
    const url = fake.url;
    await fake.stop();
    const captcha = new TurnstileCaptcha({ siteKey: SITE_KEY, secret: SECRET, verifyUrl: url }, { clock: new ManualClock() });
    assert.deepEqual(await captcha.verify('some-token', session), { ok: false, error: CaptchaErrorCode.UNAVAILABLE });
  });

  test('the secret never leaks: not in results, thrown errors or inspect()', async () => {
    const leakyFetch: typeof fetch = async (_url, init) => {
      throw new Error(`socket hang up while sending ${String(init?.body)}`);
    };
    const captcha = new HcaptchaCaptcha({ siteKey: SITE_KEY, secret: SECRET }, { clock: new ManualClock(), fetch: leakyFetch });
    const r = await captcha.verify('tok', session);
    assert.deepEqual(r, { ok: false, error: CaptchaErrorCode.UNAVAILABLE });
    assert.ok(!JSON.stringify(r).includes(SECRET));
    assert.ok(!inspect(captcha, { depth: 5, showHidden: true }).includes(SECRET));
    assert.ok(!JSON.stringify(captcha).includes(SECRET));
  });

  test('the real endpoints are the defaults; a plain-http verifyUrl off loopback is refused', async () => {
    const seen: string[] = [];
    const spy: typeof fetch = async (url) => {
      seen.push(String(url));
      return new Response(JSON.stringify({ success: false, 'error-codes': ['invalid-input-response'] }), { headers: { 'content-type': 'application/json' } });
    };
    for (const p of ['turnstile', 'hcaptcha', 'recaptcha'] as const) {
      await new SiteverifyCaptcha(p, { siteKey: SITE_KEY, secret: SECRET }, { clock: new ManualClock(), fetch: spy }).verify('t', session);
    }
    assert.deepEqual(seen, [
      'https://challenges.cloudflare.com/turnstile/v0/siteverify',
      'https://api.hcaptcha.com/siteverify',
      'https://www.google.com/recaptcha/api/siteverify',
    ]);
    assert.throws(() => new TurnstileCaptcha({ siteKey: SITE_KEY, secret: SECRET, verifyUrl: 'http://captcha.example.com/siteverify' }, { clock: new ManualClock() }));
  });
});
