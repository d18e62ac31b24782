// The workbook dashboard in headless Chromium against a real Tollgate: an admin signs in, failures
// produced through the API show on the Overview, Details and Fraud tabs (tables and charts), the
// timeline changes (range preset, then a drag across a time chart), a number is drilled into and
// blocked from its row control, and the next send to it is refused with bad_reputation; after a
// pumping run the Fraud tab lists the detector's suspension; an alert rule made in the Alerts page fires
// on that block and shows in the history.
// Screenshots (light and dark): test-output/screenshots/workbook-*.png.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../helpers/browser.ts';
import { ADMIN, generateFailures, NUMBERS, POLICIES, PUMPED_BLOCK, pumpBlock, send, UA } from '../workbook/dashboard-helpers.ts';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

let t: TestTollgate;
let browser: Browser;
let base: string;

before(async () => {
  const config = join(mkdtempSync(join(tmpdir(), 'tollgate-wb-e2e-')), 'tollgate.yaml');
  // A location rule in shadow mode (what it would have done shows on the Fraud tab) and the
  // regions the operator expects sign-ups from.
  writeFileSync(config, 'defense:\n  location:\n    mode: shadow\n    allowedRegions: [GB, US, FR]\n    action: block\nworkbook:\n  expectedRegions: [GB, US, FR]\n');
  t = await startTestTollgate({ HOST: '127.0.0.1', TOLLGATE_POLICIES: POLICIES, TOLLGATE_CONFIG: config });
  base = await t.tg.listen();
  browser = await launchBrowser();
  await t.tg.adminAuth.createUser({ ...ADMIN, role: 'admin' }, 'cli');
  await generateFailures(t);
});
after(async () => {
  await browser?.close();
  await t?.close();
});

/** A desktop-sized page that fails the test on any page error or CSP violation. */
async function desktopPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) assert.fail(`CSP violation: ${m.text()}`);
  });
  return page;
}

/** Both colour schemes of the page as it is now; the charts are drawn again for each scheme. */
async function shots(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForFunction((s) => {
      const charts = [...document.querySelectorAll<HTMLElement>('.tg-chart-drawn')];
      return charts.length > 0 && charts.every((c) => c.dataset.scheme === s);
    }, scheme);
    await screenshot(page, `workbook-${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** What is shown (innerText: table cells apart), whitespace collapsed. */
const text = async (page: Page, selector: string) => (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();

test('Overview → Details → Fraud, timeline, drill into a number, block it, next send refused', async () => {
  const page = await desktopPage();

  // Signed out: the dashboard sends the browser to sign in, and back.
  await page.goto(`${base}/admin`);
  assert.match(page.url(), /\/admin\/sign-in/);
  await page.fill('#admin-username', ADMIN.username);
  await page.fill('#admin-password', ADMIN.password);
  await Promise.all([page.waitForURL(`${base}/admin`), page.click('button[type=submit]')]);

  // ---- Overview ----
  assert.equal(await text(page, 'h1'), 'Overview');
  assert.equal(await text(page, '#tg-tile-total-failures .tg-wb-tile-value'), '6');
  const reasons = await text(page, '#tg-panel-failure-reasons table');
  assert.match(reasons, /invalid_code Phone verification code is incorrect 3/);
  assert.match(reasons, /country_not_allowed .* 2/);
  assert.match(reasons, /bad_reputation .* 1/);
  assert.match(await text(page, '#tg-panel-bad-reputation table'), /\+447400123400 1/);
  assert.match(await text(page, '#tg-panel-browsers table'), /Chrome 3/);
  assert.match(await text(page, '#tg-panel-operating-systems table'), /Windows 3/);
  // Charts are drawn over the tables' data (Chart.js canvases).
  await page.waitForSelector('#tg-chart-failure-reasons.tg-chart-drawn canvas');
  await page.waitForSelector('#tg-chart-browsers.tg-chart-drawn canvas');
  await shots(page, '1-overview');

  // ---- Details (the tab keeps the filters) ----
  await Promise.all([page.waitForURL(/\/admin\/details/), page.click('.tg-wb-tabs a:text("Details")')]);
  assert.equal(await text(page, 'h1'), 'Details');
  assert.match(await text(page, '#tg-panel-policy-failures table'), /B2C_1A_TollgateDemo 5 B2C_1A_Factors 1/);
  await page.waitForSelector('#tg-chart-phone-timechart.tg-chart-drawn .uplot');
  await page.waitForSelector('#tg-chart-policy-timechart.tg-chart-drawn .uplot');
  await page.waitForSelector('#tg-chart-ip-timechart.tg-chart-drawn .uplot');
  assert.equal(await page.locator('#tg-panel-phone-timechart details.tg-wb-data').getAttribute('open'), null, 'the data table folds under its chart');
  await shots(page, '2-details');

  // ---- the timeline: a preset from the filter bar ----
  await page.selectOption('#tg-f-range', '1h');
  await Promise.all([page.waitForURL(/range=1h/), page.click('.tg-wb-filters button[type=submit]')]);
  assert.match(page.url(), /\/admin\/details\?range=1h$/, 'empty boxes stay out of the URL');
  assert.match(await text(page, '.tg-wb-summary'), /Failures from .* to /);
  assert.match(await page.getAttribute('.tg-wb-tabs a:text("Fraud")', 'href') ?? '', /range=1h/, 'tab links carry the range');
  // One-hour range: 5-minute bins (12 or 13 of them).
  const bins = await page.locator('#tg-panel-policy-timechart .tg-wb-table tbody tr').count();
  assert.ok(bins >= 12 && bins <= 13, `5-minute bins over an hour, got ${bins}`);
  await page.waitForSelector('#tg-chart-policy-timechart.tg-chart-drawn .uplot');
  await screenshot(page, 'workbook-3-details-1h');

  // ---- the timeline: drag across a time chart to zoom into a custom range ----
  const over = page.locator('#tg-chart-policy-timechart .u-over');
  await over.scrollIntoViewIfNeeded();
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
  await Promise.all([page.waitForURL(/from=\d.*&to=\d/), page.mouse.up()]);
  assert.equal(await page.inputValue('#tg-f-range'), 'custom');
  assert.match(await page.inputValue('#tg-f-from'), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
  assert.doesNotMatch(page.url(), /range=/);

  // Back to the last hour, then drill into a number from the list of failing numbers.
  await page.selectOption('#tg-f-range', '1h');
  assert.equal(await page.inputValue('#tg-f-from'), '', 'a preset clears the custom boxes');
  await Promise.all([page.waitForURL(/range=1h/), page.click('.tg-wb-filters button[type=submit]')]);
  await Promise.all([
    page.waitForURL(/phone=%2B447400123456/),
    page.click(`#tg-panel-failed-phones a.tg-wb-number:text("${NUMBERS.wrongSms}")`),
  ]);
  assert.match(page.url(), /range=1h/, 'the drill-down keeps the filters');
  const detail = await text(page, '#tg-panel-phone-details tbody');
  assert.match(detail, /81\.2\.69\.142/);
  assert.match(detail, /GB/);
  assert.match(detail, /Mobile Safari/);
  assert.match(detail, /iOS/);
  assert.match(detail, /invalid_code/);
  assert.match(detail, /sms/);
  await screenshot(page, 'workbook-4-drill-number');

  // ---- block the number from its row control ----
  const subject = page.locator('.tg-wb-subject');
  await subject.locator('summary').click();
  const form = subject.locator(`form.tg-mitigate[data-kind="number"][data-value="${NUMBERS.wrongSms}"]`);
  await form.locator('select[name=ttl]').selectOption('1h');
  await form.locator('button[value=block]').click();
  // admin-mitigate.js blocks in place (fetch) and swaps the form for a status with Undo.
  await subject.locator('.tg-mitigate-status').waitFor();
  assert.match(await text(page, '.tg-wb-subject .tg-mitigate-status'), /Blocked for 1 hour/);
  await screenshot(page, 'workbook-5-blocked');
  const entries = (await t.tg.reputation.list()).filter((e) => e.value === NUMBERS.wrongSms);
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.list, 'block');
  assert.equal(entries[0]!.kind, 'number');

  // ---- the block takes effect on the next send ----
  const next = await send(t, NUMBERS.wrongSms, { ip: '81.2.69.142', userAgent: UA.safariIphone });
  assert.equal(next.status, 403);
  assert.equal(next.body.error.code, 'bad_reputation');

  // ---- Fraud (after a pumping run, so the detector has a suspension to show) ----
  await pumpBlock(t);
  await Promise.all([page.waitForURL(/\/admin\/fraud/), page.click('.tg-wb-tabs a:text("Fraud")')]);
  assert.equal(await text(page, 'h1'), 'Fraud');
  assert.match(await text(page, '.tg-wb-expected'), /GB, US, FR/);
  assert.match(await text(page, '#tg-panel-destination-countries table'), /NG not expected 2/);
  assert.match(await text(page, '#tg-panel-velocity table'), /\+2348031234567 \d{4}-\d{2}-\d{2} 2/);
  assert.match(await text(page, '#tg-panel-conversion-by-country table'), /US 1 1 100\.0 %/);
  assert.match(await text(page, '#tg-panel-suspensions table'), new RegExp(`prefix3 \\${PUMPED_BLOCK} GB \\d block active`));
  assert.match(await text(page, '#tg-panel-shadow-rules table'), /location location_not_allowed block/);
  assert.match(await text(page, '.tg-wb-attribution'), /IP geolocation by DB-IP \(https:\/\/db-ip\.com\), CC BY 4\.0/);
  await page.waitForSelector('#tg-chart-destination-countries.tg-chart-drawn canvas');
  await shots(page, '6-fraud');

  // The block shows on the Overview as a refusal for bad reputation.
  await page.click('.tg-wb-tabs a:text("Overview")');
  await page.waitForSelector('#tg-panel-bad-reputation');
  assert.match(await text(page, '#tg-panel-bad-reputation table'), /\+447400123456 1/);
  await page.context().close();
});

test('the dashboard on a phone-sized screen', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  await page.goto(`${base}/admin/sign-in`);
  await page.fill('#admin-username', ADMIN.username);
  await page.fill('#admin-password', ADMIN.password);
  await Promise.all([page.waitForURL(`${base}/admin`), page.click('button[type=submit]')]);
  await page.waitForSelector('#tg-chart-failure-reasons.tg-chart-drawn canvas');
  // Nothing wider than the screen but the tables' own scrolling regions.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, 'no horizontal scrolling of the page');
  await screenshot(page, 'workbook-7-overview-phone');
  await context.close();
});

test('Alerts: a rule made in the page fires on the pumped block; history shows it (light and dark)', async () => {
  const page = await desktopPage();
  await page.goto(`${base}/admin/sign-in?next=%2Fadmin%2Falerts`);
  await page.fill('#admin-username', ADMIN.username);
  await page.fill('#admin-password', ADMIN.password);
  await Promise.all([page.waitForURL(`${base}/admin/alerts`), page.click('button[type=submit]')]);
  assert.equal(await text(page, 'h1'), 'Alerts');

  // The pumped block of the first test: 8 attempts, most refused by the defense. A rule on failures
  // per number block is made here through the plain form.
  await page.fill('#new-name', 'Failures per number block (test)');
  await page.selectOption('#new-metric', 'count');
  await page.selectOption('#new-counts', 'failures');
  await page.selectOption('#new-groupBy', 'prefix');
  await page.fill('#new-windowMinutes', '120');
  await page.fill('#new-settleMinutes', '0');
  await page.fill('#new-threshold', '5');
  await page.click('.tg-alerts-form button[type=submit]:text("Create rule")');
  await page.waitForSelector('[role=status]:has-text("The rule was created")');
  assert.match(await text(page, 'main'), /Failures per number block \(test\)/);

  await page.click('.tg-alerts-evaluate button');
  await page.waitForSelector('[role=status]:has-text("Evaluated every rule")');
  assert.match(await text(page, '[role=status]'), /[1-9]\d* fired/);
  const history = await text(page, 'section[aria-labelledby=history-heading]');
  assert.match(history, /Failures per number block \(test\)/);
  const block = `${PUMPED_BLOCK}100`.slice(0, -4); // the alert's prefix: E.164 minus its last 4 digits
  assert.match(history, new RegExp(`fired prefix \\${block} \\d+ vs ≥ 5`));
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `workbook-8-alerts-${scheme}`);
  }
  await page.context().close();
});
