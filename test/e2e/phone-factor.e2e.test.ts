// The hosted page in headless Chromium against a real Tollgate (SQLite, outbox, manual clock):
// the journeys a person takes. Screenshots go to test-output/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPhonePage, screenshot } from '../helpers/browser.ts';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

let t: TestTollgate;
let browser: Browser;
let base: string;

before(async () => {
  t = await startTestTollgate({ HOST: '127.0.0.1' });
  base = await t.tg.listen();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

const newPage = (locale?: string) => newPhonePage(browser, locale);
const shot = screenshot;

async function apiSession(body: Record<string, unknown>): Promise<string> {
  const r = await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: 'e2e-user', ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.url as string;
}

async function codeFor(to: string): Promise<string> {
  const m = await t.lastMessage(to);
  assert.ok(m?.code, `a code was sent to ${to}`);
  return m.code;
}

describe('hosted phone-factor page in Chromium', () => {
  test('enroll a new number with SMS from the demo app, autosubmit, signed result back in the app', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.selectOption('#demo-profile', 'B2C_1A_TollgateDemo/PhoneFactor-InputOrVerify');
    await Promise.all([page.waitForURL(/\/pf\//), page.click('button[type=submit]')]);
    await shot(page, 'enroll-1-number-entry');
    assert.match(await page.textContent('#tg-intro') ?? '', /Enter a number below that we can send a code via SMS or call/);
    await page.selectOption('#tg-country', 'GB');
    await page.fill('#tg-number', '07400 123456');
    await Promise.all([page.waitForLoadState('load'), page.click('button[name=channel][value=sms]')]);
    await page.waitForSelector('#tg-code');
    await shot(page, 'enroll-2-code-entry');
    assert.match(await page.textContent('#tg-sent') ?? '', /3456/);
    const code = await codeFor('+447400123456');
    // Autosubmit: typing the last digit submits the form, no button press.
    await Promise.all([page.waitForURL(/\/demo\/callback/), page.type('#tg-code', code)]);
    await shot(page, 'enroll-3-result');
    const body = await page.textContent('body');
    assert.match(body ?? '', /\+447400123456/);
    assert.match(body ?? '', /newPhoneNumberEntered/);
  });

  test('verify an existing number by voice, in French', async () => {
    const url = await apiSession({ phoneNumbers: ['+33612345678'], locale: 'fr' });
    const page = await newPage('fr-FR');
    await page.goto(url);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.match(await page.textContent('body') ?? '', /•{2,}5678/);
    assert.doesNotMatch(await page.content(), /612345678/, 'the full number never reaches the page');
    await page.click('button[name=channel][value=voice]');
    await page.waitForSelector('#tg-code');
    await shot(page, 'voice-fr-code-entry');
    const m = await t.lastMessage('+33612345678');
    assert.equal(m?.channel, 'voice');
    await Promise.all([page.waitForLoadState('load'), page.type('#tg-code', m!.code!)]);
    await page.waitForFunction(() => document.body.textContent?.includes('vérifié'));
    await shot(page, 'voice-fr-verified');
  });

  test('choose between two registered numbers', async () => {
    const url = await apiSession({ phoneNumbers: ['+14155550201', '+447400123202'] });
    const id = url.split('/pf/')[1]!;
    const page = await newPage();
    await page.goto(url);
    const radios = await page.$$('input[name=phoneIndex]');
    assert.equal(radios.length, 2);
    await shot(page, 'choose-1-numbers');
    await page.check('#tg-phone-1');
    await page.click('form:has(#tg-phone-1) button[name=channel][value=sms]');
    await page.waitForSelector('#tg-code');
    assert.equal(await t.lastMessage('+14155550201'), undefined, 'nothing went to the other number');
    await Promise.all([page.waitForLoadState('load'), page.type('#tg-code', await codeFor('+447400123202'))]);
    await page.waitForFunction(() => document.body.textContent?.includes('verified'));
    const status = await t.call('GET', `/v1/phone-factor/sessions/${id}`);
    assert.equal(status.body.claims['Verified.strongAuthenticationPhoneNumber'], '+447400123202');
  });

  test('wrong code then right code', async () => {
    const url = await apiSession({ phoneNumbers: ['+14155550203'] });
    const page = await newPage();
    await page.goto(url);
    await page.click('button[name=channel][value=sms]');
    await page.waitForSelector('#tg-code');
    const code = await codeFor('+14155550203');
    const wrong = code === '000000' ? '111111' : '000000';
    await Promise.all([page.waitForLoadState('load'), page.type('#tg-code', wrong)]);
    await page.waitForSelector('[role=alert]');
    await shot(page, 'wrong-code');
    const alert = await page.textContent('[role=alert]');
    assert.match(alert ?? '', /code/i);
    assert.match(await page.textContent('#tg-attempts') ?? '', /2/);
    assert.equal(await page.inputValue('#tg-code'), '', 'the field is cleared after a wrong code');
    await Promise.all([page.waitForLoadState('load'), page.type('#tg-code', code)]);
    await page.waitForFunction(() => document.body.textContent?.includes('verified'));
  });

  test('expired code, then a new code', async () => {
    const url = await apiSession({ phoneNumbers: ['+14155550204'] });
    const page = await newPage();
    await page.goto(url);
    await page.click('button[name=channel][value=sms]');
    await page.waitForSelector('#tg-code');
    const first = await codeFor('+14155550204');
    t.advance(11 * 60_000);
    await Promise.all([page.waitForLoadState('load'), page.type('#tg-code', first)]);
    await page.waitForSelector('[role=alert]');
    await shot(page, 'expired-code');
    assert.match(await page.textContent('[role=alert]') ?? '', /expired/i);
    await page.click('button[data-resend][value=sms]');
    await page.waitForSelector('#tg-code');
    const second = await codeFor('+14155550204');
    await Promise.all([page.waitForLoadState('load'), page.type('#tg-code', second)]);
    await page.waitForFunction(() => document.body.textContent?.includes('verified'));
  });

  test('a country outside the allowlist: not offered, and refused when typed', async () => {
    const url = await apiSession({});
    const page = await newPage();
    await page.goto(url);
    const offered = await page.$$eval('#tg-country option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.ok(offered.includes('US') && offered.includes('JP') && offered.includes('BG'));
    assert.ok(!offered.includes('RU'), 'RU is not in the dropdown');
    await page.selectOption('#tg-country', 'US');
    await page.fill('#tg-number', '+7 916 123-45-67');
    await Promise.all([page.waitForLoadState('load'), page.click('button[name=channel][value=sms]')]);
    await page.waitForSelector('[role=alert]');
    await shot(page, 'blocked-country');
    assert.match(await page.textContent('[role=alert]') ?? '', /country|region/i);
    assert.equal(await t.lastMessage('+79161234567'), undefined, 'no message left');
  });
});
