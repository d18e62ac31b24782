// One-click block/allow and the Blocks & allows page, through the running service (real SQLite,
// manual clock, signed-in admin and viewer sessions): a block from the form stops the next send,
// undo lifts it, the ttl ends it; roles, CSRF, validation and returnTo are enforced.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';
import { signInThroughForm } from './helpers.ts';

const ADMIN_PW = 'correct horse battery staple';
const VIEWER_PW = 'another long passphrase 42';

interface Browser {
  cookie: string;
  csrf: string;
}

let t: TestTollgate;
let admin: Browser;
let viewer: Browser;

async function signedIn(username: string, password: string): Promise<Browser> {
  const { res, cookie } = await signInThroughForm(t.tg.http, username, password);
  assert.equal(res.statusCode, 303);
  const me = await t.tg.http.inject({ method: 'GET', url: '/v1/admin/me', headers: { cookie } });
  return { cookie, csrf: me.json().csrf };
}

before(async () => {
  t = await startTestTollgate();
  await t.tg.adminAuth.createUser({ username: 'alice', password: ADMIN_PW, role: 'admin' }, 'cli');
  await t.tg.adminAuth.createUser({ username: 'victor', password: VIEWER_PW, role: 'viewer' }, 'cli');
  admin = await signedIn('alice', ADMIN_PW);
  viewer = await signedIn('victor', VIEWER_PW);
});
after(async () => t.close());

/** A form post as a browser sends it (cookie, urlencoded body); `json` asks for the script's answer. */
function post(who: Browser, url: string, fields: Record<string, string>, opts: { json?: boolean; csrf?: string | null; headers?: Record<string, string> } = {}) {
  const body = new URLSearchParams(fields);
  const csrf = opts.csrf === undefined ? who.csrf : opts.csrf;
  if (csrf !== null) body.set('csrf', csrf);
  return t.tg.http.inject({
    method: 'POST',
    url,
    headers: {
      cookie: who.cookie,
      'content-type': 'application/x-www-form-urlencoded',
      accept: opts.json ? 'application/json' : 'text/html,application/xhtml+xml',
      ...opts.headers,
    },
    payload: body.toString(),
  });
}

const page = (who: Browser, query = '') => t.tg.http.inject({ method: 'GET', url: `/admin/mitigations${query}`, headers: { cookie: who.cookie } });

/** A real send through the public API, in a new session. */
async function sendTo(phoneNumber: string) {
  const s = await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: `u-${phoneNumber}-${Math.random()}` });
  assert.equal(s.status, 201, JSON.stringify(s.body));
  return t.call('POST', `/v1/phone-factor/sessions/${s.body.id}/send`, { phoneNumber, channel: 'sms' }, { key: null });
}

const doneId = (location: unknown) => new URL(String(location), 'http://x').searchParams.get('done');

describe('one-click block from the form, undo, expiry', () => {
  test('block → the next send is refused (bad_reputation); the page says so with Undo and Back; undo → the next send goes through', async () => {
    const number = '+447400123401';
    const res = await post(admin, '/admin/mitigations', { kind: 'number', value: number, list: 'block', ttl: '1h', returnTo: '/admin/fraud?range=7d' });
    assert.equal(res.statusCode, 303);
    const location = new URL(String(res.headers.location), 'http://x');
    assert.equal(location.pathname, '/admin/mitigations');
    assert.equal(location.searchParams.get('returnTo'), '/admin/fraud?range=7d');
    const id = location.searchParams.get('done')!;
    const entry = (await t.tg.reputation.list()).find((e) => e.id === id);
    assert.ok(entry, 'the entry is listed');
    assert.equal(entry.value, number);
    assert.equal(entry.note, 'from the dashboard by alice');
    assert.equal(entry.createdBy, 'dashboard:user:alice');
    assert.equal(entry.expiresAt, t.tg.clock.now() + 3_600_000);

    const refused = await sendTo(number);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'bad_reputation');

    const shown = await page(admin, String(res.headers.location).replace('/admin/mitigations', ''));
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /<strong>Blocked number <span dir="ltr">\+447400123401<\/span> for 1 hour<\/strong>/);
    assert.match(shown.body, new RegExp(`<form method="post" action="/admin/mitigations/${id}/undo"`));
    assert.match(shown.body, /<input type="hidden" name="returnTo" value="\/admin\/fraud\?range=7d">/);
    assert.match(shown.body, /<a href="\/admin\/fraud\?range=7d" class="tg-mitigate-back">Back<\/a>/);
    assert.match(shown.body, /<link rel="stylesheet" href="\/assets\/admin-mitigate.css\?v=[0-9a-f]+">/);
    assert.match(shown.body, /<script src="\/assets\/admin-mitigate.js\?v=[0-9a-f]+" defer><\/script>/);

    const undo = await post(admin, `/admin/mitigations/${id}/undo`, { returnTo: '/admin/fraud?range=7d' });
    assert.equal(undo.statusCode, 303);
    assert.equal(undo.headers.location, '/admin/fraud?range=7d');
    assert.equal((await t.tg.reputation.list()).some((e) => e.id === id), false);
    const ok = await sendTo(number);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));

    const [removed, added] = await t.tg.adminAuth.audit.list({ target: id });
    assert.equal(added!.action, 'reputation_add');
    assert.equal(added!.actor, 'user:alice');
    assert.deepEqual(added!.details, {
      kind: 'number', value: number, list: 'block', expiresAt: entry.expiresAt, note: entry.note, createdBy: entry.createdBy, via: 'dashboard', ttl: 3600,
    });
    assert.equal(removed!.action, 'reputation_remove');
    assert.equal(removed!.details.undo, true);
  });

  test('the JSON variant (the script): 201 with the entry, undo 204; without returnTo undo goes to ?undone=', async () => {
    const res = await post(admin, '/admin/mitigations', { kind: 'prefix', value: '+33 6123', list: 'block', ttl: '15m' }, { json: true });
    assert.equal(res.statusCode, 201);
    const entry = res.json();
    assert.deepEqual({ ...entry, id: 'x', createdAt: 'x', expiresAt: 'x' }, {
      id: 'x', kind: 'prefix', value: '+336123', list: 'block', createdAt: 'x', expiresAt: 'x', active: true,
      note: 'from the dashboard by alice', createdBy: 'dashboard:user:alice',
    });
    assert.equal(Date.parse(entry.expiresAt) - Date.parse(entry.createdAt), 15 * 60_000);
    assert.equal((await post(admin, `/admin/mitigations/${entry.id}/undo`, {}, { json: true })).statusCode, 204);
    assert.equal((await post(admin, `/admin/mitigations/${entry.id}/undo`, {}, { json: true })).json().error.code, 'not_found');

    const again = await post(admin, '/admin/mitigations', { kind: 'prefix', value: '+336123', list: 'block', ttl: '15m' });
    const undo = await post(admin, `/admin/mitigations/${doneId(again.headers.location)}/undo`, {});
    assert.equal(undo.headers.location, `/admin/mitigations?undone=${doneId(again.headers.location)}`);
    const shown = await page(admin, `?undone=${doneId(again.headers.location)}`);
    assert.match(shown.body, /Undone: prefix <span dir="ltr">\+336123<\/span> is no longer blocked\./);
  });

  test('a block ends by itself when its time is up: the send after the ttl goes through', async () => {
    const number = '+14155550142';
    const res = await post(admin, '/admin/mitigations', { kind: 'number', value: number, list: 'block', ttl: '15m' }, { json: true });
    assert.equal(res.statusCode, 201);
    assert.equal((await sendTo(number)).body.error.code, 'bad_reputation');
    t.advance(15 * 60_000 + 1000);
    const ok = await sendTo(number);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const shown = await page(admin);
    const ended = shown.body.split('id="tg-ended"')[1] ?? '';
    assert.match(ended, /\+14155550142<\/td>[\s\S]*?<td>expired<\/td>/, 'listed under recently expired');
    assert.match(ended, /<form method="post" action="\/admin\/mitigations" class="tg-mitigate" data-kind="number" data-value="\+14155550142">/, 'with one-click block again');
  });

  test('blocking what is already listed updates that entry, and Undo puts it back as it was', async () => {
    const before = await t.tg.reputation.add({ kind: 'country', value: 'JM', list: 'block', ttlSeconds: 7 * 86_400, note: 'pumping wave 3', createdBy: 'detector:pumping' });
    const res = await post(admin, '/admin/mitigations', { kind: 'country', value: 'jm', list: 'block', ttl: '1h' });
    const id = doneId(res.headers.location);
    assert.equal(id, before.id, 'the same entry');
    const shown = await page(admin, `?done=${id}`);
    assert.match(shown.body, /It was already blocked: that entry was updated/);
    assert.equal((await t.tg.reputation.list()).find((e) => e.id === id)?.expiresAt, before.expiresAt, 'never shortened');

    const undo = await post(admin, `/admin/mitigations/${id}/undo`, {});
    assert.equal(undo.statusCode, 303);
    const after = (await t.tg.reputation.list()).find((e) => e.id === id);
    assert.deepEqual(after, before, 'restored, not removed');
    const [restore] = await t.tg.adminAuth.audit.list({ target: id, limit: 1 });
    assert.equal(restore!.action, 'reputation_restore');
    assert.equal(restore!.details.note, 'pumping wave 3');
    const undone = await page(admin, `?undone=${id}`);
    assert.match(undone.body, /Undone: the block of country <span dir="ltr">JM<\/span> is back as it was/);
    await t.tg.reputation.remove(id!);
  });

  test('a block of a value on the allow list warns that the allow wins', async () => {
    await t.tg.reputation.add({ kind: 'number', value: '+447400123402', list: 'allow', createdBy: 'test' });
    const res = await post(admin, '/admin/mitigations', { kind: 'number', value: '+447400123402', list: 'block', ttl: '1h' });
    const shown = await page(admin, `?done=${doneId(res.headers.location)}`);
    assert.match(shown.body, /is on the allow list, and an allow wins over a block of the same kind/);
  });
});

describe('the page', () => {
  test('admins see the active entries with Remove, the add form, escaped notes; Remove removes and says so', async () => {
    const add = await post(admin, '/admin/mitigations', { kind: 'cidr', value: '203.0.113.77/24', list: 'block', ttl: '24h', note: '<img src=x onerror=alert(1)>' });
    const id = doneId(add.headers.location)!;
    const shown = await page(admin);
    assert.equal(shown.statusCode, 200);
    assert.match(String(shown.headers['content-security-policy']), /script-src 'self'/);
    assert.match(shown.body, /<a href="\/admin\/mitigations" aria-current="page">Blocks &amp; allows<\/a>/);
    const row = shown.body.split(`<tr id="entry-${id}">`)[1]!.split('</tr>')[0]!;
    assert.match(row, /<td>range<\/td>\s*<td dir="ltr" class="tg-mitigate-value">203\.0\.113\.0\/24<\/td>/);
    assert.match(row, /from the dashboard by alice: &lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(row, /<td>dashboard:user:alice<\/td>/);
    assert.match(row, new RegExp(`action="/admin/mitigations/${id}/remove"`));
    assert.doesNotMatch(shown.body, /<img src=x/);
    assert.match(shown.body, /<form method="post" action="\/admin\/mitigations" class="tg-form tg-mitigate-add"/);

    const removed = await post(admin, `/admin/mitigations/${id}/remove`, {});
    assert.equal(removed.statusCode, 303);
    assert.equal(removed.headers.location, `/admin/mitigations?removed=${id}`);
    const after = await page(admin, `?removed=${id}`);
    assert.match(after.body, /Removed: range <span dir="ltr">203\.0\.113\.0\/24<\/span> is no longer blocked\./);
    assert.match(after.body.split('id="tg-ended"')[1]!, /203\.0\.113\.0\/24<\/td>[\s\S]*?removed by user:alice/);
    const [audit] = await t.tg.adminAuth.audit.list({ target: id, limit: 1 });
    assert.equal(audit!.action, 'reputation_remove');
    assert.equal(audit!.details.via, 'dashboard');
  });

  test('viewers see the lists read-only with masked numbers; a POST gets 403', async () => {
    const add = await post(admin, '/admin/mitigations', { kind: 'number', value: '+447400123403', list: 'block', ttl: '1h' });
    const id = doneId(add.headers.location)!;
    const shown = await page(viewer, `?done=${id}`);
    assert.equal(shown.statusCode, 200);
    assert.doesNotMatch(shown.body, /447400123403/, 'no full number anywhere');
    assert.match(shown.body, /\+44 •+3403/);
    assert.doesNotMatch(shown.body, /\/undo"|\/remove"|class="tg-mitigate"|tg-mitigate-add/, 'no actions');

    for (const url of ['/admin/mitigations', `/admin/mitigations/${id}/undo`, `/admin/mitigations/${id}/remove`]) {
      const html = await post(viewer, url, { kind: 'number', value: '+447400123404', list: 'block', ttl: '1h' });
      assert.equal(html.statusCode, 403, url);
      assert.match(html.body, /data-code="forbidden"/);
      assert.match(html.body, /Blocking and allowing need the admin role\./);
      const json = await post(viewer, url, { kind: 'number', value: '+447400123404', list: 'block', ttl: '1h' }, { json: true });
      assert.equal(json.statusCode, 403);
      assert.equal(json.json().error.code, 'forbidden');
    }
    assert.ok((await t.tg.reputation.list()).some((e) => e.id === id), 'still listed');
    assert.equal((await t.tg.reputation.list()).some((e) => e.value === '+447400123404'), false);
  });

  test('signed out: the page and the form go to sign-in; JSON callers get 401', async () => {
    const get = await t.tg.http.inject({ method: 'GET', url: '/admin/mitigations?done=x' });
    assert.equal(get.statusCode, 303);
    assert.equal(get.headers.location, '/admin/sign-in?next=%2Fadmin%2Fmitigations%3Fdone%3Dx');
    const form = await t.tg.http.inject({
      method: 'POST', url: '/admin/mitigations', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'kind=number&value=%2B447400123405&list=block&ttl=1h&returnTo=%2Fadmin%2Ffraud',
    });
    assert.equal(form.statusCode, 303);
    assert.equal(form.headers.location, '/admin/sign-in?next=%2Fadmin%2Ffraud');
    const json = await t.tg.http.inject({ method: 'POST', url: '/admin/mitigations', headers: { accept: 'application/json' }, payload: {} });
    assert.equal(json.statusCode, 401);
    assert.equal(json.json().error.code, 'unauthorized');
  });

  test('an API token (admin) may use the JSON form without a CSRF token', async () => {
    const { token } = await t.tg.adminAuth.createApiToken('alice', { name: 'script', role: 'admin', ttlDays: 1 }, 'cli');
    const res = await t.tg.http.inject({
      method: 'POST', url: '/admin/mitigations', headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      payload: { kind: 'ip', value: '198.51.100.99', list: 'allow', ttl: '7d' },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.match(res.json().createdBy, /^dashboard:user:alice\/token:[0-9a-f]{16}$/);
  });
});

describe('refused input', () => {
  test('a missing or wrong CSRF token: 403 csrf_failed, nothing listed', async () => {
    const fields = { kind: 'number', value: '+447400123406', list: 'block', ttl: '1h' };
    for (const csrf of [null, 'wrong', viewer.csrf]) {
      const html = await post(admin, '/admin/mitigations', fields, { csrf });
      assert.equal(html.statusCode, 403);
      assert.match(html.body, /data-code="csrf_failed"/);
      const json = await post(admin, '/admin/mitigations', fields, { csrf, json: true });
      assert.equal(json.statusCode, 403);
      assert.equal(json.json().error.code, 'csrf_failed');
    }
    const header = await post(admin, '/admin/mitigations', fields, { csrf: null, json: true, headers: { 'x-csrf-token': 'nope' } });
    assert.equal(header.json().error.code, 'csrf_failed');
    const [some] = await t.tg.reputation.list();
    const undo = await post(admin, `/admin/mitigations/${some!.id}/undo`, {}, { csrf: null, json: true });
    assert.equal(undo.json().error.code, 'csrf_failed');
    assert.equal((await t.tg.reputation.list()).some((e) => e.value === '+447400123406'), false);
    assert.ok((await t.tg.reputation.list()).some((e) => e.id === some!.id));
  });

  test('bad kind, value, list or ttl: 400 naming the field (JSON), or the page with the error and the form as sent', async () => {
    const good = { kind: 'number', value: '+447400123407', list: 'block', ttl: '1h' };
    const cases: [Record<string, string>, string][] = [
      [{ ...good, kind: 'email' }, 'kind'],
      [{ ...good, kind: 'asn!' }, 'kind'],
      [{ ...good, value: 'not a number' }, 'value'],
      [{ ...good, value: '' }, 'value'],
      [{ ...good, kind: 'cidr', value: '10.0.0.0/40' }, 'value'],
      [{ ...good, kind: 'country', value: 'UK' }, 'value'],
      [{ ...good, kind: 'ip', value: '999.1.1.1' }, 'value'],
      [{ ...good, list: 'maybe' }, 'list'],
      [{ kind: 'number', value: '+447400123407', list: 'block' }, 'ttl'],
      [{ ...good, ttl: 'forever' }, 'ttl'],
      [{ ...good, ttl: '0' }, 'ttl'],
      [{ ...good, ttl: '31d' }, 'ttl'],
      [{ ...good, ttl: '5w' }, 'ttl'],
    ];
    for (const [fields, field] of cases) {
      const json = await post(admin, '/admin/mitigations', fields, { json: true });
      assert.equal(json.statusCode, 400, JSON.stringify(fields));
      assert.equal(json.json().error.code, 'invalid_request');
      assert.equal(json.json().error.field, field, JSON.stringify(fields));
      const html = await post(admin, '/admin/mitigations', fields);
      assert.equal(html.statusCode, 400);
      assert.match(html.body, new RegExp(`data-code="invalid_request" data-field="${field}"`));
    }
    const html = await post(admin, '/admin/mitigations', { ...good, value: '<b>nope</b>', note: 'keep "me"' });
    assert.match(html.body, /id="tg-add-value" name="value" value="&lt;b&gt;nope&lt;\/b&gt;"[^>]*aria-invalid="true"/);
    assert.match(html.body, /id="tg-add-note" name="note" value="keep &quot;me&quot;"/);
    assert.equal((await t.tg.reputation.list()).some((e) => e.value === '+447400123407'), false);
    // Any parseTtl duration up to 30 days is accepted, not only the offered ones.
    const month = await post(admin, '/admin/mitigations', { ...good, ttl: '30d' }, { json: true });
    assert.equal(month.statusCode, 201);
    assert.equal(Date.parse(month.json().expiresAt) - Date.parse(month.json().createdAt), 30 * 86_400_000);
  });

  test('odd bodies and ids never cause a 500', async () => {
    const arrays = await t.tg.http.inject({
      method: 'POST', url: '/admin/mitigations',
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      payload: `csrf=${encodeURIComponent(admin.csrf)}&kind=number&kind=ip&value=x&list=block&ttl=1h`,
    });
    assert.equal(arrays.statusCode, 400);
    assert.equal(arrays.json().error.field, 'kind');
    const long = await post(admin, `/admin/mitigations/${'a'.repeat(101)}/undo`, {}, { json: true });
    assert.ok(long.statusCode === 400 || long.statusCode === 404, String(long.statusCode));
    const unknown = await post(admin, '/admin/mitigations/no-such-id/remove', {});
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /data-code="not_found"/);
    const garbage = await page(admin, '?done=a&done=b&undone=%00&returnTo=//evil.com');
    assert.equal(garbage.statusCode, 200);
  });

  test('open-redirect attempts in returnTo are neutralised', async () => {
    const attempts = [
      '//evil.com', 'https://evil.com/admin', '/\\evil.com', '/admin/../x', 'javascript:alert(1)', '/admin\n//evil.com',
      '/admin/sign-in?next=//evil.com', ' /admin', '/adminx', 'http://localhost/admin',
    ];
    for (const returnTo of attempts) {
      const res = await post(admin, '/admin/mitigations', { kind: 'prefix', value: '+4474009', list: 'block', ttl: '1h', returnTo });
      assert.equal(res.statusCode, 303, returnTo);
      const location = String(res.headers.location);
      assert.match(location, /^\/admin\/mitigations\?done=[0-9a-f-]{36}$/, `${returnTo} → ${location}`);
      const shown = await page(admin, `?done=${doneId(location)}&returnTo=${encodeURIComponent(returnTo)}`);
      assert.doesNotMatch(shown.body, /class="tg-mitigate-back"/, returnTo);
      assert.doesNotMatch(shown.body, /name="returnTo" value="(?!\/admin\/mitigations")/, returnTo);
      const undo = await post(admin, `/admin/mitigations/${doneId(location)}/undo`, { returnTo });
      assert.equal(undo.headers.location, `/admin/mitigations?undone=${doneId(location)}`, returnTo);
    }
  });
});
