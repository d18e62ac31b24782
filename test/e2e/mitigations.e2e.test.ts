// One-click block with undo in headless Chromium against a real Tollgate: an admin signs in, opens
// Blocks & allows, blocks a recently removed number again from its row (admin-mitigate.js swaps the
// form for "Blocked for 1 hour · Undo"), the next send to it is refused, Undo brings the form back
// and the send goes through. Screenshots: test-output/screenshots/mitigations-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../helpers/browser.ts';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

const NUMBER = '+447400123477';
const PASSWORD = 'correct horse battery staple';

let t: TestTollgate;
let browser: Browser;
let base: string;

before(async () => {
  t = await startTestTollgate({ HOST: '127.0.0.1' });
  base = await t.tg.listen();
  browser = await launchBrowser();
  await t.tg.adminAuth.createUser({ username: 'alice', password: PASSWORD, role: 'admin' }, 'cli');
  // A number blocked and removed earlier: the page offers to block it again from its row.
  const entry = await t.tg.reputation.add({ kind: 'number', value: NUMBER, list: 'block', ttlSeconds: 3600, note: 'pumping wave 3', createdBy: 'detector:pumping' });
  const { token } = await t.tg.adminAuth.createApiToken('alice', { name: 'e2e', role: 'admin', ttlDays: 1 }, 'cli');
  assert.equal((await t.call('DELETE', `/v1/admin/reputation/${entry.id}`, undefined, { key: token })).status, 204);
});
after(async () => {
  await browser?.close();
  await t?.close();
});

async function sendTo(phoneNumber: string) {
  const s = await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: `e2e-${Math.random()}` });
  return t.call('POST', `/v1/phone-factor/sessions/${s.body.id}/send`, { phoneNumber, channel: 'sms' }, { key: null });
}

async function signedInPage(colorScheme: 'light' | 'dark', javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, colorScheme, javaScriptEnabled });
  const page = await context.newPage();
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) assert.fail(`CSP violation: ${m.text()}`);
  });
  await page.goto(`${base}/admin/sign-in?next=/admin/mitigations`);
  await page.fill('#admin-username', 'alice');
  await page.fill('#admin-password', PASSWORD);
  await Promise.all([page.waitForURL(/\/admin\/mitigations$/), page.click('button[type=submit]')]);
  return page;
}

test('block a number in place, see the next send refused, undo it, see the send go through', async () => {
  const page = await signedInPage('light');
  assert.equal(await page.textContent('h1'), 'Blocks & allows');
  await page.click('#tg-ended summary');
  const form = page.locator(`form.tg-mitigate[data-value="${NUMBER}"]`);
  await form.waitFor();
  await screenshot(page, 'mitigations-1-page');

  await form.locator('select[name=ttl]').selectOption('1h');
  await form.locator('button[value=block]').click();
  const status = page.locator('.tg-mitigate-status');
  await status.waitFor();
  assert.equal((await status.textContent())?.trim(), 'Blocked for 1 hour · Undo');
  assert.equal(await form.isHidden(), true, 'the form is swapped for the status');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Undo', 'focus moves to Undo');
  assert.equal(new URL(page.url()).pathname, '/admin/mitigations', 'no navigation');
  await screenshot(page, 'mitigations-2-blocked');

  const active = (await t.tg.reputation.list()).filter((e) => e.value === NUMBER);
  assert.equal(active.length, 1);
  assert.equal(active[0]!.createdBy, 'dashboard:user:alice');
  const refused = await sendTo(NUMBER);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'bad_reputation');

  await page.click('.tg-mitigate-status button');
  await form.waitFor({ state: 'visible' });
  assert.equal(await page.locator('.tg-mitigate-status').count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Block');
  assert.equal((await t.tg.reputation.list()).some((e) => e.value === NUMBER), false);
  const ok = await sendTo(NUMBER);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  await screenshot(page, 'mitigations-3-undone');

  const actions = (await t.tg.adminAuth.audit.list({ actor: 'user:alice' })).map((e) => e.action);
  assert.deepEqual(actions.slice(0, 3), ['reputation_remove', 'reputation_add', 'sign_in']);

  // The audit trail shows both, newest first.
  await page.click('a[href="/admin/audit"]');
  await page.waitForURL(/\/admin\/audit$/);
  const shown = await page.locator('#tg-audit tbody tr td:nth-child(3)').allTextContents();
  assert.deepEqual(shown.slice(0, 2), ['reputation_remove', 'reputation_add']);
  await screenshot(page, 'mitigations-6-audit');
  await page.context().close();
});

test('an error is shown inline (role=alert) and the form stays', async () => {
  const page = await signedInPage('dark');
  await page.click('#tg-ended summary');
  const form = page.locator(`form.tg-mitigate[data-value="${NUMBER}"]`);
  // The session's CSRF token is replaced, as after signing in again elsewhere: the server refuses.
  await page.evaluate(() => {
    document.querySelector('meta[name="csrf"]')?.setAttribute('content', 'stale');
    for (const input of document.querySelectorAll<HTMLInputElement>('input[name="csrf"]')) input.value = 'stale';
  });
  await form.locator('button[value=allow]').click();
  const alert = page.locator('.tg-mitigate-error[role=alert]');
  await alert.waitFor();
  assert.match((await alert.textContent()) ?? '', /CSRF token/);
  assert.equal(await form.isVisible(), true);
  assert.equal((await t.tg.reputation.list()).some((e) => e.value === NUMBER), false);
  await screenshot(page, 'mitigations-4-error-dark');

  await page.context().close();
});

test('without JavaScript the same form round-trips through the page: notice with Undo, then back', async () => {
  const page = await signedInPage('light', false);
  await page.click('#tg-ended summary');
  const form = page.locator(`form.tg-mitigate[data-value="${NUMBER}"]`);
  await form.locator('select[name=ttl]').selectOption('15m');
  await Promise.all([page.waitForURL(/\?done=/), form.locator('button[value=block]').click()]);
  const notice = page.locator('.tg-mitigate-notice');
  assert.match((await notice.textContent()) ?? '', /Blocked number \+447400123477 for 15 minutes \(until \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
  await screenshot(page, 'mitigations-5-nojs-notice');
  assert.equal((await sendTo(NUMBER)).body.error.code, 'bad_reputation');
  await Promise.all([page.waitForURL(/\?undone=/), notice.locator('button', { hasText: 'Undo' }).click()]);
  assert.match((await page.locator('.tg-mitigate-notice').textContent()) ?? '', /Undone: number \+447400123477 is no longer blocked\./);
  assert.equal((await t.tg.reputation.list()).some((e) => e.value === NUMBER), false);
  await page.context().close();
});
