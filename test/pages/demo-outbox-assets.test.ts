// The demo app pages (start form with CSRF, callback), the dev outbox page, the asset route and
// the html`` template's escaping.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { TollgateError } from '../../src/core/errors.ts';
import { registerAssets } from '../../src/http/routes/assets.ts';
import { registerDemoPages } from '../../src/http/routes/demo-pages.ts';
import { html, raw, safeUrl } from '../../src/pages/html.ts';
import { renderOutboxPage } from '../../src/pages/outbox-page.ts';
import type { OutboxMessage } from '../../src/ports.ts';

async function demoApp(overrides: { startError?: unknown; verifyError?: unknown } = {}) {
  const started: unknown[] = [];
  const app = Fastify({ logger: false });
  await app.register(formbody);
  await app.register(cookie);
  await registerDemoPages(app, {
    profiles: [
      { name: 'PhoneFactor-InputOrVerify', description: 'SMS or call' },
      { name: '<evil>', description: '"quoted"' },
    ],
    async startSession(input) {
      started.push(input);
      if (overrides.startError) throw overrides.startError;
      return { url: '/pf/abc123' };
    },
    async verifyResult(token) {
      if (overrides.verifyError) throw overrides.verifyError;
      return { sub: 'user-1', phone_number: '+14155550123', token, iat: 1767225600 };
    },
  });
  await app.ready();
  return { app, started };
}

async function demoCsrf(app: Awaited<ReturnType<typeof demoApp>>['app']) {
  const res = await app.inject({ url: '/' });
  const c = res.cookies.find((x) => x.name === 'tg_demo_csrf');
  const m = /name="csrf" value="([^"]+)"/.exec(res.body);
  assert.ok(c && m);
  return { home: res, cookie: c.value, token: m[1]! };
}

function post(app: Awaited<ReturnType<typeof demoApp>>['app'], fields: Record<string, string>, cookieValue?: string) {
  return app.inject({
    method: 'POST',
    url: '/demo/start',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
    ...(cookieValue ? { cookies: { tg_demo_csrf: cookieValue } } : {}),
  });
}

describe('demo pages', () => {
  test('home explains Tollgate, escapes profile names, links outbox and OpenAPI', async () => {
    const { app } = await demoApp();
    const { home } = await demoCsrf(app);
    await app.close();
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /self-hosted phone verification service/);
    assert.match(home.body, /&lt;evil&gt; — &quot;quoted&quot;/);
    assert.match(home.body, /href="\/dev\/outbox"/);
    assert.match(home.body, /href="\/openapi\.json"/);
    assert.match(home.body, /name="userId"[^>]*value="demo-user-[0-9a-f]{12}"/);
    assert.match(String(home.headers['content-security-policy']), /script-src 'self'/);
    assert.match(String(home.headers['set-cookie']), /Path=\/demo/);
  });

  test('start: CSRF required, then 303 to the hosted page', async () => {
    const { app, started } = await demoApp();
    const { cookie: c, token } = await demoCsrf(app);
    const fields = { profile: 'PhoneFactor-InputOrVerify', userId: 'u1', phone1: '+14155550123', phone2: '', locale: 'fr' };
    const refused = await post(app, fields, c);
    assert.equal(refused.statusCode, 403);
    assert.equal(started.length, 0);
    const ok = await post(app, { ...fields, csrf: token }, c);
    await app.close();
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/pf/abc123');
    assert.deepEqual(started, [{ profile: 'PhoneFactor-InputOrVerify', userId: 'u1', phoneNumbers: ['+14155550123'], locale: 'fr' }]);
  });

  test('start errors re-render the form with the message', async () => {
    const { app } = await demoApp({ startError: new TollgateError('too_many_phone_numbers') });
    const { cookie: c, token } = await demoCsrf(app);
    const res = await post(app, { profile: 'PhoneFactor-InputOrVerify', userId: 'u1', phone1: '+1', phone2: '+2', csrf: token }, c);
    const unknownProfile = await post(app, { profile: 'nope', userId: 'u1', csrf: token }, c);
    await app.close();
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /role="alert"/);
    assert.match(res.body, /too_many_phone_numbers/);
    assert.equal(unknownProfile.statusCode, 400);
  });

  test('callback shows verified claims, or a clear error', async () => {
    const { app } = await demoApp();
    const ok = await app.inject({ url: '/demo/callback?result=abc.def.ghi' });
    const missing = await app.inject({ url: '/demo/callback' });
    await app.close();
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /<code>phone_number<\/code><\/th><td class="tg-body">\+14155550123</);
    assert.match(ok.body, /1767225600 \(2026-01-01T00:00:00\.000Z\)/);
    assert.equal(missing.statusCode, 400);
    const bad = await demoApp({ verifyError: new Error('signature verification failed') });
    const res = await bad.app.inject({ url: '/demo/callback?result=x' });
    await bad.app.close();
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /The result token was rejected: signature verification failed/);
  });
});

describe('outbox page', () => {
  const msg = (over: Partial<OutboxMessage>): OutboxMessage => ({
    id: 'm', time: 0, channel: 'sms', to: '+14155550123', body: 'x', code: null, sessionId: null, locale: 'en', ...over,
  });
  test('newest first, code shown, body escaped, auto-refresh', () => {
    const page = renderOutboxPage(
      [
        msg({ id: 'a', time: 1000, body: 'old <b>', code: '111111' }),
        msg({ id: 'b', time: 5000, body: 'new', code: '222222', channel: 'voice' }),
      ],
      { now: 65_000 },
    );
    assert.ok(page.indexOf('222222') < page.indexOf('111111'));
    assert.match(page, /old &lt;b&gt;/);
    assert.match(page, /<meta http-equiv="refresh" content="5">/);
    assert.match(page, /1 min ago/);
    assert.match(page, />Voice</);
    assert.match(renderOutboxPage([]), /No messages yet/);
  });
});

describe('assets and html``', () => {
  test('assets are served with long cache headers', async () => {
    const app = Fastify({ logger: false });
    await registerAssets(app);
    const css = await app.inject({ url: '/assets/phone-factor.css?v=1' });
    const js = await app.inject({ url: '/assets/phone-factor.js' });
    const up = await app.inject({ url: '/assets/../html.ts' });
    await app.close();
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers['content-type']), /text\/css/);
    assert.match(String(css.headers['cache-control']), /max-age=31536000/);
    assert.match(String(css.headers['cache-control']), /immutable/);
    assert.match(String(css.body), /prefers-color-scheme: dark/);
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.notEqual(up.statusCode, 200);
  });

  test('html escapes by default, raw() opts out, arrays and nullish', () => {
    const bad = `<a href="x" onclick='y'>&\``;
    assert.equal(html`<p>${bad}</p>`.value, '<p>&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;</p>');
    assert.equal(html`${raw('<b>')}${[1, html`<i>${'<'}</i>`]}${null}${undefined}${false}${0}`.value, '<b>1<i>&lt;</i>0');
    assert.equal(safeUrl('javascript:alert(1)'), '#');
    assert.equal(safeUrl('//evil.example'), '#');
    assert.equal(safeUrl('/pf/x'), '/pf/x');
    assert.equal(safeUrl('https://a.example/x?y=1'), 'https://a.example/x?y=1');
  });
});
