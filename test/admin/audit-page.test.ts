// The audit trail page and its CSV export through the running service, and the store's listing
// features behind them (cursor pages, actor-with-tokens filter, facets).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';
import { type AdminFixture, adminFixture, signInThroughForm } from './helpers.ts';

describe('audit store listing', () => {
  let f: AdminFixture;
  before(async () => {
    f = await adminFixture({ users: false });
    const actors = ['user:alice', 'user:alice/token:0123456789abcdef', 'user:alice2', 'cli', 'user:al%'];
    for (let i = 0; i < 10; i++) {
      // Pairs share a timestamp: the cursor must not skip or repeat entries with equal times.
      await f.store.appendAudit({ id: `a${i}`, time: 1000 + Math.floor(i / 2), actor: actors[i % actors.length]!, action: i % 3 ? 'sign_in' : 'reputation_add', target: `t${i}`, details: {} });
    }
  });
  after(async () => f.close());

  test('before=<id> continues exactly where the previous page ended', async () => {
    const all = (await f.store.listAudit({})).map((e) => e.id);
    assert.deepEqual(all, ['a9', 'a8', 'a7', 'a6', 'a5', 'a4', 'a3', 'a2', 'a1', 'a0']);
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await f.store.listAudit({ before, limit: 3 });
      seen.push(...page.map((e) => e.id));
      if (page.length < 3) break;
      before = page.at(-1)!.id;
    }
    assert.deepEqual(seen, all);
    assert.deepEqual((await f.store.listAudit({ before: 'a5', action: 'reputation_add' })).map((e) => e.id), ['a3', 'a0']);
    assert.deepEqual(await f.store.listAudit({ before: 'no-such-id' }), []);
  });

  test('actorWithTokens matches the actor and its tokens, not look-alike names or wildcards', async () => {
    assert.deepEqual((await f.store.listAudit({ actorWithTokens: 'user:alice' })).map((e) => e.actor).sort(), [
      'user:alice', 'user:alice', 'user:alice/token:0123456789abcdef', 'user:alice/token:0123456789abcdef',
    ]);
    assert.equal((await f.store.listAudit({ actorWithTokens: 'user:al%' })).length, 2);
    assert.equal((await f.store.listAudit({ actorWithTokens: 'user:al' })).length, 0);
  });

  test('facets: the distinct actions and actors, sorted', async () => {
    assert.deepEqual(await f.store.auditFacets(), {
      actions: ['reputation_add', 'sign_in'],
      actors: ['cli', 'user:al%', 'user:alice', 'user:alice/token:0123456789abcdef', 'user:alice2'],
    });
  });
});

describe('audit page and CSV', () => {
  let t: TestTollgate;
  let admin: string;
  let viewer: string;
  let adminCsrf: string;
  before(async () => {
    t = await startTestTollgate();
    await t.tg.adminAuth.createUser({ username: 'alice', password: 'correct horse battery staple', role: 'admin' }, 'cli');
    await t.tg.adminAuth.createUser({ username: 'victor', password: 'another long passphrase 42', role: 'viewer' }, 'cli');
    admin = (await signInThroughForm(t.tg.http, 'alice', 'correct horse battery staple')).cookie;
    viewer = (await signInThroughForm(t.tg.http, 'victor', 'another long passphrase 42')).cookie;
    adminCsrf = (await t.tg.http.inject({ method: 'GET', url: '/v1/admin/me', headers: { cookie: admin } })).json().csrf;
  });
  after(async () => t.close());

  const get = (url: string, cookie = admin) => t.tg.http.inject({ method: 'GET', url, headers: { cookie } });
  const rowsOf = (body: string) => (body.split('<tbody>')[1]?.split('</tbody>')[0] ?? '').split('<tr>').slice(1);

  test('lists a dashboard block and its undo, newest first, with time, actor, action, target and details', async () => {
    t.advance(60_000);
    const block = await t.tg.http.inject({
      method: 'POST', url: '/admin/mitigations', headers: { cookie: admin, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ csrf: adminCsrf, kind: 'number', value: '+447400123456', list: 'block', ttl: '1h' }).toString(),
    });
    const id = new URL(String(block.headers.location), 'http://x').searchParams.get('done')!;
    t.advance(60_000);
    await t.tg.http.inject({
      method: 'POST', url: `/admin/mitigations/${id}/undo`, headers: { cookie: admin, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `csrf=${encodeURIComponent(adminCsrf)}`,
    });

    const res = await get('/admin/audit');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
    assert.match(res.body, /<a href="\/admin\/audit" aria-current="page">Audit<\/a>/);
    const rows = rowsOf(res.body);
    assert.match(rows[0]!, /<td>user:alice<\/td>\s*<td><code>reputation_remove<\/code><\/td>\s*<td class="tg-audit-target">[0-9a-f-]{36}<\/td>/);
    assert.match(rows[0]!, /<dt>undo<\/dt><dd>true<\/dd>/);
    assert.match(rows[1]!, /<code>reputation_add<\/code>/);
    assert.match(rows[1]!, /<dt>value<\/dt><dd>\+447400123456<\/dd>/);
    assert.match(rows[1]!, /<dt>expiresAt<\/dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/dd>/);
    assert.match(rows[1]!, /<dt>via<\/dt><dd>dashboard<\/dd>/);
    assert.match(rows.at(-1)!, /<code>user_create<\/code>/, 'oldest last');
    const times = [...res.body.matchAll(/<time datetime="([^"]+)"/g)].map((m) => Date.parse(m[1]!));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
  });

  test('details are escaped; long values are clipped', async () => {
    await t.tg.adminAuth.audit.record({ actor: 'cli', action: 'reputation_add', target: '<b>t</b>', details: { note: '<script>alert(1)</script>', nested: { a: '<i>' }, long: 'x'.repeat(1000) } });
    const res = await get('/admin/audit?action=reputation_add');
    assert.doesNotMatch(res.body, /<script>alert|<b>t<\/b>|<i>/);
    assert.match(res.body, /<dd>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/dd>/);
    assert.match(res.body, /<dd>\{&quot;a&quot;:&quot;&lt;i&gt;&quot;\}<\/dd>/);
    assert.match(res.body, /<dd>x{299}…<\/dd>/);
  });

  test('filters by action and by actor (an actor includes its API tokens)', async () => {
    const { token, record } = await t.tg.adminAuth.createApiToken('alice', { name: 'ci', role: 'admin', ttlDays: 1 }, 'user:alice');
    await t.call('POST', '/v1/admin/reputation', { kind: 'ip', value: '203.0.113.9', list: 'block', ttl: '1h' }, { key: token });

    const adds = rowsOf((await get('/admin/audit?action=reputation_add')).body);
    assert.ok(adds.length >= 2);
    for (const row of adds) assert.match(row, /<code>reputation_add<\/code>/);

    const byAlice = await get('/admin/audit?actor=user%3Aalice');
    const actors = rowsOf(byAlice.body).map((r) => /<td>([^<]+)<\/td>/.exec(r.split('</time></td>')[1]!)![1]);
    assert.ok(actors.includes(`user:alice/token:${record.id}`));
    assert.ok(actors.includes('user:alice'));
    assert.ok(actors.every((a) => a === 'user:alice' || a!.startsWith('user:alice/token:')), actors.join());
    assert.match(byAlice.body, /<input type="text" id="tg-audit-actor" name="actor" value="user:alice"/);
    assert.match(byAlice.body, /<option value="user:victor"><\/option>/, 'actor suggestions');
    assert.match(byAlice.body, /<option value="reputation_restore">reputation_restore<\/option>/, 'known actions offered');
    assert.match(byAlice.body, /<a href="\/admin\/audit.csv\?actor=user%3Aalice" download>Export CSV<\/a>/);

    const none = await get('/admin/audit?action=token_revoke');
    assert.match(none.body, /No audit entries match this filter\./);
  });

  test('pages of 50 with an Older link (cursor) and a Newest link; no entry skipped or repeated', async () => {
    for (let i = 0; i < 120; i++) await t.tg.adminAuth.audit.record({ actor: 'system', action: 'bulk_test', target: `n${i}` });
    const seen: string[] = [];
    let url: string | null = '/admin/audit?action=bulk_test';
    let pages = 0;
    while (url) {
      const res = await get(url);
      assert.equal(res.statusCode, 200);
      seen.push(...rowsOf(res.body).map((r) => /tg-audit-target">([^<]+)</.exec(r)![1]!));
      if (pages > 0) assert.match(res.body, /<a href="\/admin\/audit\?action=bulk_test">← Newest<\/a>/);
      const older: RegExpExecArray | null = /<a href="([^"]+)" rel="next">Older →<\/a>/.exec(res.body);
      url = older ? older[1]!.replaceAll('&amp;', '&') : null;
      pages++;
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen, Array.from({ length: 120 }, (_, i) => `n${119 - i}`));
  });

  test('viewers get a 403 page (no entries); signed-out browsers go to sign-in', async () => {
    for (const url of ['/admin/audit', '/admin/audit.csv']) {
      const res = await get(url, viewer);
      assert.equal(res.statusCode, 403, url);
      assert.match(res.body, /data-code="forbidden"/);
      assert.match(res.body, /The audit trail is for admins/);
      assert.doesNotMatch(res.body, /reputation_add|tg-audit-table/);
      const json = await t.tg.http.inject({ method: 'GET', url, headers: { cookie: viewer, accept: 'application/json' } });
      assert.equal(json.json().error.code, 'forbidden');
    }
    const signedOut = await t.tg.http.inject({ method: 'GET', url: '/admin/audit?action=sign_in' });
    assert.equal(signedOut.statusCode, 303);
    assert.equal(signedOut.headers.location, '/admin/sign-in?next=%2Fadmin%2Faudit%3Faction%3Dsign_in');
  });

  test('a bad filter: 400 with the reason, nothing echoed unescaped', async () => {
    const res = await get('/admin/audit?action=%3Cscript%3E');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /data-code="invalid_request"/);
    assert.doesNotMatch(res.body, /<script>/);
    assert.equal((await get(`/admin/audit?actor=${'a'.repeat(201)}`)).statusCode, 400);
    assert.equal((await get('/admin/audit?action=a&action=b')).statusCode, 400);
    assert.equal((await get('/admin/audit.csv?action=%3Cscript%3E')).statusCode, 400);
  });

  test('CSV export: every matching entry, formula-safe cells, as a download', async () => {
    await t.tg.adminAuth.audit.record({ actor: '=HYPERLINK("http://evil.example")', action: 'csv_test', target: '+447400123456', details: { note: 'a,b "c"' } });
    await t.tg.adminAuth.audit.record({ actor: '@SUM(1)', action: 'csv_test', target: '-1+1' });
    const res = await get('/admin/audit.csv?action=csv_test');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="tollgate-audit-\d{4}-\d\d-\d\d\.csv"$/);
    assert.equal(res.headers['cache-control'], 'no-store');
    const lines = res.body.split('\r\n');
    assert.equal(lines[0], 'time,actor,action,target,details');
    assert.match(lines[1]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z,'@SUM\(1\),csv_test,'-1\+1,\{\}$/);
    assert.match(lines[2]!, /^[^,]+,"'=HYPERLINK\(""http:\/\/evil.example""\)",csv_test,'\+447400123456,"\{""note"":""a,b \\""c\\""""\}"$/);
    assert.equal(lines.length, 4, 'two rows and the final CRLF');

    const all = await get('/admin/audit.csv?action=bulk_test');
    assert.equal(all.body.trimEnd().split('\r\n').length, 121, 'not just the first page');
  });
});
