// The `captcha` configuration block and the factory: ALTCHA by default, the three siteverify
// providers with their keys, readable refusals for incomplete or unsafe settings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.ts';
import { AltchaCaptcha, SiteverifyCaptcha, captchaConfigSchema, createCaptcha } from '../../../src/adapters/captcha/index.ts';

const deps = { clock: new ManualClock(), hmacKey: new Uint8Array(32).fill(5) };

test('no captcha block → self-hosted ALTCHA', () => {
  assert.deepEqual(captchaConfigSchema.parse(undefined), { provider: 'altcha' });
  const captcha = createCaptcha(captchaConfigSchema.parse(undefined), deps);
  assert.ok(captcha instanceof AltchaCaptcha);
  assert.equal(captcha.provider, 'altcha');
});

test('altcha work factors are passed through and bounded', async () => {
  const config = captchaConfigSchema.parse({ provider: 'altcha', cost: 1234, maxNumber: 10 });
  const info = await createCaptcha(config, deps).challenge({ sessionId: 's' });
  assert.equal((info.challenge as { parameters: { cost: number } }).parameters.cost, 1234);
  assert.equal(captchaConfigSchema.safeParse({ provider: 'altcha', cost: 0 }).success, false);
});

test('each third-party provider needs its site key and secret', () => {
  for (const provider of ['turnstile', 'hcaptcha', 'recaptcha'] as const) {
    const config = captchaConfigSchema.parse({ provider, siteKey: 'site-key_1', secret: 's3cret', minScore: 0.7, expectedHostname: 'verify.example.com' });
    const captcha = createCaptcha(config, deps);
    assert.ok(captcha instanceof SiteverifyCaptcha);
    assert.equal(captcha.provider, provider);
    assert.equal(captchaConfigSchema.safeParse({ provider, siteKey: 'k' }).success, false, 'secret missing');
    assert.equal(captchaConfigSchema.safeParse({ provider, secret: 's' }).success, false, 'siteKey missing');
  }
});

test('refusals: unknown provider, site key with markup, score out of range, non-http verifyUrl', () => {
  assert.equal(captchaConfigSchema.safeParse({ provider: 'friendlycaptcha' }).success, false);
  assert.equal(captchaConfigSchema.safeParse({ provider: 'turnstile', siteKey: '"><script>', secret: 's' }).success, false);
  assert.equal(captchaConfigSchema.safeParse({ provider: 'recaptcha', siteKey: 'k', secret: 's', minScore: 2 }).success, false);
  assert.equal(captchaConfigSchema.safeParse({ provider: 'hcaptcha', siteKey: 'k', secret: 's', verifyUrl: 'file:///etc/passwd' }).success, false);
});

test('a plain-http verifyUrl passes the schema only to be refused off loopback', () => {
  const config = captchaConfigSchema.parse({ provider: 'turnstile', siteKey: 'k', secret: 's', verifyUrl: 'http://captcha.example.com/siteverify' });
  assert.throws(() => createCaptcha(config, deps), /https/);
  const local = captchaConfigSchema.parse({ provider: 'turnstile', siteKey: 'k', secret: 's', verifyUrl: 'http://127.0.0.1:9999/siteverify' });
  assert.ok(createCaptcha(local, deps));
});
