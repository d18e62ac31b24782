// The admin sign-in routes through Fastify inject(): cookie flags, CSRF on cookie-authenticated
// writes (not on Bearer tokens), roles, tokens over HTTP, open-redirect refusal, page headers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { safeAdminNext } from '../../src/http/routes/admin-auth.ts';
import { ADMIN_PASSWORD, adminApp, type AdminFixture, adminFixture, signInForm, signInThroughForm, VIEWER_PASSWORD } from './helpers.ts';

let f: AdminFixture;
let app: FastifyInstance;
before(async () => {
  f = await adminFixture();
  app = await adminApp(f.auth, true);
});
after(async () => {
  await app.close();
  await f.close();
});

describe('admin sign-in page and form', () => {
  test('the page is escaped, accessible and sent with the strict page headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/admin/sign-in?next=/admin/fraud%3Fq%3D%22%3E%3Cscript%3E' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.body, /<label for="admin-username">/);
    assert.match(res.body, /autocomplete="current-password"/);
    assert.match(res.body, /<meta name="color-scheme" content="light dark">/);
    assert.doesNotMatch(res.body, /<script>/);
    assert.match(res.body, /name="next" value="\/admin\/fraud\?q=%22%3E%3Cscript%3E"/);
  });

  test('success sets the session cookie HttpOnly, SameSite=Strict, Secure, on /admin and /v1/admin, then 303 to /admin', async () => {
    const { res } = await signInThroughForm(app, 'alice', ADMIN_PASSWORD);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/admin');
    const cookies = (res.cookies as { name: string; path?: string; httpOnly?: boolean; sameSite?: string; secure?: boolean; maxAge?: number }[])
      .filter((c) => c.name === 'tg_admin');
    assert.deepEqual(cookies.map((c) => c.path).sort(), ['/admin', '/v1/admin']);
    for (const c of cookies) {
      assert.equal(c.httpOnly, true);
      assert.equal(c.sameSite, 'Strict');
      assert.equal(c.secure, true);
      assert.equal(c.maxAge, 12 * 3600);
    }
  });

  test('wrong password and unknown user render the same 401 page; a missing CSRF token is refused', async () => {
    const wrong = await signInThroughForm(app, 'alice', 'not my password', { ip: '192.0.2.50' });
    const unknown = await signInThroughForm(app, 'mallory', 'not my password', { ip: '192.0.2.51' });
    assert.equal(wrong.res.statusCode, 401);
    assert.equal(unknown.res.statusCode, 401);
    const alert = (body: string) => /role="alert"[^>]*><p>([^<]*)</.exec(body)?.[1];
    assert.equal(alert(wrong.res.body), 'Wrong username or password.');
    assert.equal(alert(unknown.res.body), alert(wrong.res.body));
    assert.equal(wrong.res.cookies.some((c: { name: string }) => c.name === 'tg_admin'), false);

    const form = await signInForm(app);
    const noCsrf = await app.inject({
      method: 'POST', url: '/admin/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
      payload: new URLSearchParams({ username: 'alice', password: ADMIN_PASSWORD }).toString(),
    });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.cookies.some((c: { name: string }) => c.name === 'tg_admin'), false);
  });

  test('throttled sign-ins answer 429 with Retry-After (JSON for scripts)', async () => {
    for (let i = 0; i < 5; i++) await signInThroughForm(app, `guess${i}`, 'bad guess at it', { ip: '192.0.2.77' });
    const page = await signInThroughForm(app, 'alice', ADMIN_PASSWORD, { ip: '192.0.2.77' });
    assert.equal(page.res.statusCode, 429);
    assert.match(page.res.body, /Too many failed sign-ins\. Try again in 15 minute/);
    const form = await signInForm(app);
    const res = await app.inject({
      method: 'POST', url: '/admin/sign-in', remoteAddress: '192.0.2.77',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie, accept: 'application/json' },
      payload: new URLSearchParams({ username: 'alice', password: ADMIN_PASSWORD, csrf: form.csrf }).toString(),
    });
    assert.equal(res.statusCode, 429);
    assert.equal(res.json().error.code, 'rate_limited');
    assert.ok(res.json().error.retryAfter > 0);
    assert.equal(res.headers['retry-after'], String(res.json().error.retryAfter));
  });

  test('next= is followed only to same-origin /admin paths', async () => {
    const ok = await signInThroughForm(app, 'alice', ADMIN_PASSWORD, { next: '/admin/fraud?range=7d' });
    assert.equal(ok.res.headers.location, '/admin/fraud?range=7d');
    for (const evil of ['//evil.com', 'https://evil.com', '/\\evil.com', '/admin/../evil', '/adminx', '/%2F%2Fevil.com', ' /admin', '/admin\t/x', 'javascript:alert(1)']) {
      const { res } = await signInThroughForm(app, 'alice', ADMIN_PASSWORD, { next: evil });
      assert.equal(res.headers.location, '/admin', evil);
      assert.equal(safeAdminNext(evil), null, evil);
    }
  });
});

describe('admin API authentication', () => {
  test('/v1/admin/me needs a session or a token', async () => {
    const anon = await app.inject({ method: 'GET', url: '/v1/admin/me' });
    assert.equal(anon.statusCode, 401);
    assert.equal(anon.json().error.code, 'unauthorized');
    const { cookie } = await signInThroughForm(app, 'victor', VIEWER_PASSWORD, { ip: '192.0.2.90' });
    const me = await app.inject({ method: 'GET', url: '/v1/admin/me', headers: { cookie } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().username, 'victor');
    assert.equal(me.json().role, 'viewer');
    assert.equal(me.json().canSeeFullNumbers, false);
    assert.equal(me.headers['cache-control'], 'no-store');
  });

  test('cookie-authenticated writes need the CSRF token; Bearer tokens do not; viewers get 403', async () => {
    const { cookie } = await signInThroughForm(app, 'alice', ADMIN_PASSWORD, { ip: '192.0.2.91' });
    const csrf = (await app.inject({ method: 'GET', url: '/v1/admin/me', headers: { cookie } })).json().csrf as string;
    const create = (headers: Record<string, string>, body: unknown = { name: 'ci', role: 'admin', ttlDays: 30 }) =>
      app.inject({ method: 'POST', url: '/v1/admin/tokens', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });

    const noCsrf = await create({ cookie });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().error.code, 'csrf_failed');
    assert.equal((await create({ cookie, 'x-csrf-token': 'A'.repeat(43) })).statusCode, 403);

    const made = await create({ cookie, 'x-csrf-token': csrf });
    assert.equal(made.statusCode, 201);
    assert.equal(made.headers['cache-control'], 'no-store');
    const { token, id, role } = made.json();
    assert.match(token, /^tg_[0-9a-f]{16}_/);
    assert.equal(role, 'admin');
    const listed = await app.inject({ method: 'GET', url: '/v1/admin/tokens', headers: { authorization: `Bearer ${token}` } });
    assert.equal(listed.statusCode, 200);
    assert.ok(!listed.body.includes(token) && !listed.body.includes('tokenHash'));
    assert.equal(listed.json().tokens.find((t: { id: string }) => t.id === id).username, 'alice');

    // Tokens skip CSRF, but may not mint tokens themselves.
    assert.equal((await create({ authorization: `Bearer ${token}` })).json().error.code, 'forbidden');
    const viewer = await signInThroughForm(app, 'victor', VIEWER_PASSWORD, { ip: '192.0.2.92' });
    const viewerCsrf = (await app.inject({ method: 'GET', url: '/v1/admin/me', headers: { cookie: viewer.cookie } })).json().csrf;
    const denied = await create({ cookie: viewer.cookie, 'x-csrf-token': viewerCsrf }, { name: 'x', role: 'viewer' });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().error.code, 'forbidden');

    const del = (headers: Record<string, string>) => app.inject({ method: 'DELETE', url: `/v1/admin/tokens/${id}`, headers });
    assert.equal((await del({ cookie })).statusCode, 403); // cookie without CSRF
    assert.equal((await del({ authorization: `Bearer ${token}` })).statusCode, 204); // a token may revoke (itself here)
    assert.equal((await app.inject({ method: 'GET', url: '/v1/admin/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 401);
    assert.equal((await del({ cookie, 'x-csrf-token': csrf })).statusCode, 404);
  });

  test('sign-out needs the CSRF field, ends the session and clears both cookies', async () => {
    const { cookie } = await signInThroughForm(app, 'alice', ADMIN_PASSWORD, { ip: '192.0.2.93' });
    const csrf = (await app.inject({ method: 'GET', url: '/v1/admin/me', headers: { cookie } })).json().csrf as string;
    const form = (body: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/admin/sign-out', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(body).toString() });
    assert.equal((await form({})).statusCode, 403);
    const out = await form({ csrf });
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/admin/sign-in?signed_out=1');
    const cleared = (out.cookies as { name: string; value: string; path?: string }[]).filter((c) => c.name === 'tg_admin');
    assert.deepEqual(cleared.map((c) => [c.path, c.value]).sort(), [['/admin', ''], ['/v1/admin', '']]);
    assert.equal((await app.inject({ method: 'GET', url: '/v1/admin/me', headers: { cookie } })).statusCode, 401);
  });
});
