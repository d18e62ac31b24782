import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { AltchaCaptcha } from './src/adapters/captcha/altcha.ts';
import { renderCaptchaWidget } from './src/pages/captcha-widget.ts';
import { contentSecurityPolicy } from './src/pages/security-headers.ts';
import { launchBrowser } from './test/helpers/browser.ts';

const variant = process.argv[2] ?? 'base';
const clock = { now: () => Date.now() };
const c = new AltchaCaptcha({ clock, hmacKey: new Uint8Array(32).fill(7) });
const js = readFileSync('node_modules/altcha/dist/main/altcha.js');
let cspHeader = contentSecurityPolicy();
if (variant !== 'base') cspHeader += '; worker-src blob:';
if (variant === 'full') cspHeader = cspHeader.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
const results: unknown[] = [];
const server = createServer(async (req, res) => {
  if (req.url === '/assets/vendor/altcha.js') { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(js); return; }
  if (req.method === 'POST') {
    let body = ''; for await (const ch of req) body += ch;
    const token = new URLSearchParams(body).get('altcha') ?? '';
    const r = await c.verify(token, { sessionId: 's1', ip: null }); results.push(r);
    res.writeHead(200, { 'content-type': 'text/plain' }); res.end(JSON.stringify(r)); return;
  }
  const info = await c.challenge({ sessionId: 's1' });
  res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': cspHeader });
  res.end(`<!doctype html><html><head><meta charset="utf-8"></head><body><form method="post" action="/submit">${renderCaptchaWidget(info, { locale: 'fr-FR' })}<button type="submit">Go</button></form></body></html>`);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;
const browser = await launchBrowser();
const page = await browser.newPage();
const msgs: string[] = [];
page.on('console', (m) => msgs.push(`${m.type()}: ${m.text()}`.slice(0, 300)));
const t0 = Date.now();
await page.goto(`http://127.0.0.1:${port}/`);
try {
  await page.waitForFunction(() => (document.querySelector('input[name=altcha]') as HTMLInputElement | null)?.value?.length, null, { timeout: 30000 });
  console.log(variant, 'solved in', Date.now() - t0, 'ms');
  await page.click('button[type=submit]');
  await page.waitForLoadState();
  console.log('server:', await page.textContent('body'));
} catch (e) { console.log(variant, 'not solved', String(e).slice(0, 200)); }
console.log(msgs.join('\n'));
await browser.close(); server.close();
