// A profile with setting.enableCaptchaChallenge in Chromium: the self-hosted ALTCHA proof of work
// solves in the page under the page's strict CSP, and only then does a code go out.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshotDir } from '../helpers/browser.ts';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

const root = new URL('../..', import.meta.url).pathname;
let t: TestTollgate;
let browser: Browser;

before(async () => {
  t = await startTestTollgate({ HOST: '127.0.0.1', TOLLGATE_POLICIES: join(root, 'test/fixtures/policies/captcha-policy.yaml') });
  await t.tg.listen();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

test('ALTCHA solves in the browser, then the code is sent', async () => {
  const r = await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-Captcha', userId: 'captcha-user' });
  const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.goto(r.body.url);
  await page.waitForSelector('altcha-widget');
  // The widget solves on load and puts its payload in a hidden field named "altcha".
  await page.waitForFunction(() => {
    const input = document.querySelector('input[name="altcha"]') as HTMLInputElement | null;
    return !!input && input.value.length > 20;
  }, undefined, { timeout: 20_000 });
  await page.screenshot({ path: join(screenshotDir, 'captcha-solved.png'), fullPage: true });
  await page.selectOption('#tg-country', 'US');
  await page.fill('#tg-number', '415 555 0310');
  await page.click('form:has(#tg-number) button[name=channel][value=sms]');
  await page.waitForSelector('#tg-code');
  const m = await t.lastMessage('+14155550310');
  assert.ok(m?.code, 'the code went out after the CAPTCHA');
  assert.deepEqual(cspViolations, [], 'no CSP violation');
  const sent = await t.tg.store.listEvents({ type: 'code.sent' });
  assert.equal(sent.at(-1)!.details.captchaPassed, true);
});

test('without a solution, the send is refused and nothing is sent', async () => {
  const r = await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-Captcha', userId: 'no-js' });
  const id = r.body.id as string;
  const res = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { phoneNumber: '+14155550311', channel: 'sms' }, { key: null });
  assert.equal(res.status, 428);
  assert.equal(res.body.error.code, 'captcha_required');
  assert.equal(res.body.error.captcha.provider, 'altcha');
  const forged = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { phoneNumber: '+14155550311', channel: 'sms', captcha: Buffer.from('{"number":1}').toString('base64') }, { key: null });
  assert.equal(forged.body.error.code, 'captcha_failed');
  assert.equal(await t.lastMessage('+14155550311'), undefined);
});
