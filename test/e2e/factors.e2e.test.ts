// The stronger factors on the hosted page in headless Chromium against a real Tollgate (SQLite,
// outbox mailer, manual clock): an email-code journey, an authenticator app enrolled (QR code,
// key read off the page, code computed here with otpauth) and then used to sign in, a recovery
// code, and the fallback buttons under a refused phone number. Screenshots: test-output/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPhonePage, screenshot } from '../helpers/browser.ts';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

let t: TestTollgate;
let browser: Browser;

before(async () => {
  t = await startTestTollgate({ HOST: '127.0.0.1' });
  await t.tg.listen();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

const newPage = (locale?: string) => newPhonePage(browser, locale);
const shot = screenshot;

async function methodsSession(userId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-Methods', userId, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.url as string;
}

const appCode = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: t.tg.clock.now() });

describe('stronger factors on the hosted page (Chromium)', () => {
  test('email code: choose email, enter the address, type the code from the mail', async () => {
    const page = await newPage();
    await page.goto(await methodsSession('e2e-email'));
    const choices = await page.$$eval('nav.tg-methods a', (links) => links.map((a) => a.textContent?.trim()));
    assert.deepEqual(choices, ['Text or call', 'Email', 'Authenticator app']);
    assert.equal(await page.getAttribute('nav.tg-methods a[data-method=phone]', 'aria-current'), 'true');
    await shot(page, 'factors-1-method-choice');
    await Promise.all([page.waitForURL(/method=email/), page.click('nav.tg-methods a[data-method=email]')]);
    assert.equal(await page.getAttribute('nav.tg-methods a[data-method=email]', 'aria-current'), 'true');
    await page.fill('#tg-email', 'jane.doe@example.com');
    await shot(page, 'factors-2-email-entry');
    await Promise.all([page.waitForLoadState('load'), page.click('button[name=channel][value=email]')]);
    await page.waitForSelector('#tg-code');
    assert.match((await page.textContent('#tg-sent')) ?? '', /We sent a code to j•••@example\.com/);
    assert.doesNotMatch(await page.content(), /jane\.doe@/, 'the full address never reaches the page');
    await shot(page, 'factors-3-email-code');
    const mail = await t.lastMessage('jane.doe@example.com');
    assert.equal(mail?.channel, 'email');
    await Promise.all([page.waitForLoadState('load'), page.type('#tg-code', mail!.code!)]);
    await page.waitForFunction(() => document.body.textContent?.includes('You are verified.'));
    await shot(page, 'factors-4-email-verified');
  });

  test('authenticator app: enroll with the QR code and key, save recovery codes, then sign in', async () => {
    const page = await newPage();
    const url = await methodsSession('e2e-totp');
    const id = url.split('/pf/')[1]!;
    await page.goto(url);
    await Promise.all([page.waitForURL(/method=totp/), page.click('nav.tg-methods a[data-method=totp]')]);
    assert.match((await page.textContent('#tg-intro')) ?? '', /not set up an authenticator app yet/);
    await Promise.all([page.waitForURL(/method=totp/), page.click('button:has-text("Set up an authenticator app")')]);
    await page.waitForSelector('img.tg-qr');
    const qrWidth = await page.$eval('img.tg-qr', (img) => (img as HTMLImageElement).naturalWidth);
    assert.ok(qrWidth > 0, 'the QR code (a data: URL) is allowed by the CSP and renders');
    const secret = (await page.getAttribute('#tg-totp-secret', 'data-secret'))!;
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal((await page.textContent('#tg-totp-secret'))!.replace(/\s/g, ''), secret);
    await shot(page, 'factors-5-totp-enroll');
    // Autosubmit: the last digit submits the confirm form.
    await Promise.all([page.waitForLoadState('load'), page.type('#tg-code', appCode(secret))]);
    await page.waitForSelector('#tg-recovery-codes');
    const codes = await page.$$eval('#tg-recovery-codes code', (els) => els.map((e) => e.textContent ?? ''));
    assert.equal(codes.length, 10);
    await shot(page, 'factors-6-recovery-codes');
    const status = await t.call('GET', `/v1/phone-factor/sessions/${id}`);
    assert.equal(status.body.status, 'verified');
    await Promise.all([page.waitForLoadState('load'), page.click('a:has-text("Continue")')]);
    assert.doesNotMatch(await page.content(), /tg-recovery-codes/, 'recovery codes are shown once');

    // Sign in with the app in a new session (30 s later: the enrollment code's step is used up).
    t.advance(30_000);
    const signIn = await newPage('fr-FR');
    await signIn.goto(`${await methodsSession('e2e-totp', { locale: 'fr' })}?method=totp`);
    assert.match((await signIn.textContent('#tg-intro')) ?? '', /application d’authentification/);
    await shot(signIn, 'factors-7-totp-code-fr');
    await Promise.all([signIn.waitForLoadState('load'), signIn.type('#tg-code', appCode(secret))]);
    await signIn.waitForFunction(() => document.body.textContent?.includes('Votre identité est vérifiée.'));

    // A recovery code instead of the app.
    const recover = await newPage();
    await recover.goto(`${await methodsSession('e2e-totp')}?method=totp`);
    await Promise.all([recover.waitForURL(/recovery=1/), recover.click('a:has-text("Use a recovery code instead")')]);
    await recover.fill('#tg-recovery', codes[0]!);
    await shot(recover, 'factors-8-recovery-entry');
    await Promise.all([recover.waitForLoadState('load'), recover.click('.tg-recovery button[type=submit]')]);
    await recover.waitForFunction(() => document.body.textContent?.includes('You are verified.'));
  });

  test('a refused phone number offers the fallback methods as buttons under the error', async () => {
    const page = await newPage();
    await page.goto(await methodsSession('e2e-fallback'));
    await page.selectOption('#tg-country', 'US');
    await page.fill('#tg-number', '+7 916 123-45-67');
    await Promise.all([page.waitForLoadState('load'), page.click('button[name=channel][value=sms]')]);
    await page.waitForSelector('#tg-error');
    assert.match((await page.textContent('#tg-error')) ?? '', /not accepted here/);
    const offered = await page.$$eval('.tg-alternatives a', (links) => links.map((a) => a.getAttribute('data-alternative')));
    assert.deepEqual(offered, ['email', 'totp']);
    await shot(page, 'factors-9-fallback');
    await Promise.all([page.waitForURL(/method=email/), page.click('.tg-alternatives a[data-alternative=email]')]);
    await page.waitForSelector('#tg-email');
  });
});
