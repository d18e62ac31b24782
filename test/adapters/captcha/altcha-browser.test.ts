// The real ALTCHA widget (node_modules/altcha/dist/main/altcha.js) in headless Chromium, under a
// Tollgate-strict CSP plus the sources captchaCspSources('altcha') asks for: it must solve the
// inline challenge without CSP violations or any request off this server, and the adapter must
// accept what the form posts exactly once. Skipped when Chromium is not installed.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { SystemClock } from '../../../src/adapters/clock/system-clock.ts';
import { AltchaCaptcha } from '../../../src/adapters/captcha/altcha.ts';
import { ALTCHA_SCRIPT_PATH, captchaCspSources, captchaFormField, renderCaptchaWidget } from '../../../src/pages/captcha-widget.ts';
import { launchBrowser } from '../../helpers/browser.ts';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const bundle = readFileSync(new URL('../../../node_modules/altcha/dist/main/altcha.js', import.meta.url));

test('the altcha widget solves under a strict CSP and the adapter accepts its payload once', { skip: !existsSync(chromium) && 'no Chromium', timeout: 60_000 }, async () => {
  const captcha = new AltchaCaptcha({ clock: new SystemClock(), hmacKey: new Uint8Array(32).fill(4) });
  const extra = captchaCspSources('altcha');
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' ${extra.styleSrc.join(' ')}`,
    `worker-src ${extra.workerSrc.join(' ')}`,
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
  ].join('; ');
  const posted: string[] = [];
  const server = createServer(async (req, res) => {
    if (req.url === ALTCHA_SCRIPT_PATH) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      return;
    }
    if (req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const token = new URLSearchParams(body).get(captchaFormField('altcha')) ?? '';
      posted.push(token);
      const result = await captcha.verify(token, { sessionId: 'ses_browser', ip: '127.0.0.1' });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      return;
    }
    const info = await captcha.challenge({ sessionId: 'ses_browser' });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>
<form method="post" action="/send">${renderCaptchaWidget(info, { locale: 'en' })}<button type="submit">Send</button></form></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith(origin) && !url.startsWith('blob:')) foreign.push(url);
    });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => (document.querySelector('input[name=altcha]') as HTMLInputElement | null)?.value, null, { timeout: 45_000 });
    await page.click('button[type=submit]');
    await page.waitForLoadState();
    assert.deepEqual(JSON.parse((await page.textContent('body')) ?? ''), { ok: true });
    assert.deepEqual(problems, [], 'no CSP violations or widget errors');
    assert.deepEqual(foreign, [], 'no request leaves Tollgate');
    assert.equal(posted.length, 1);
    assert.deepEqual(await captcha.verify(posted[0]!, { sessionId: 'ses_browser', ip: null }), { ok: false, error: 'captcha_replayed' });
  } finally {
    await browser.close();
    server.closeAllConnections();
    server.close();
  }
});
