// The alerts API and page for people: rule CRUD with validation errors naming the field, roles
// (viewers read with masked numbers and webhook URLs, admins edit), CSRF on cookie sessions for
// the API and the page's plain forms, every change audited; and the default rules staying quiet
// on a burst of legitimate, completed verifications while catching a pumped number block.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SqliteAlertMetrics } from '../../src/adapters/store/sqlite-alerts-metrics.ts';
import type { SqliteStore } from '../../src/adapters/store/sqlite.ts';
import { defaultAlertRules } from '../../src/core/alerts/defaults.ts';
import { parsePhoneNumber } from '../../src/core/phone/phone-number.ts';
import { signInThroughForm } from '../admin/helpers.ts';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';
import { completedVerification, configFile, MIN, unconfirmedSend } from './helpers.ts';

const ADMIN_PW = 'correct horse battery staple';
const VIEWER_PW = 'another long passphrase 42';
const rule = (over: Record<string, unknown> = {}) => ({ name: 'Failures per policy', metric: 'count', counts: 'failures', groupBy: 'policy', windowMinutes: 30, threshold: 50, ...over });

describe('alerts API and page', () => {
  let t: TestTollgate;
  let admin: string;
  let viewer: string;

  before(async () => {
    t = await startTestTollgate({ TOLLGATE_CONFIG: configFile('alerts:\n  evaluateEverySeconds: 3600\n') });
    await t.tg.adminAuth.createUser({ username: 'alice', password: ADMIN_PW, role: 'admin' }, 'cli');
    await t.tg.adminAuth.createUser({ username: 'victor', password: VIEWER_PW, role: 'viewer' }, 'cli');
    admin = (await t.tg.adminAuth.createApiToken('alice', { name: 'ci', role: 'admin', ttlDays: 1 }, 'cli')).token;
    viewer = (await t.tg.adminAuth.createApiToken('victor', { name: 'ro', role: 'viewer', ttlDays: 1 }, 'cli')).token;
  });
  after(async () => t?.close());

  test('create, read, update, delete; every change audited without webhook URLs', async () => {
    const created = await t.call('POST', '/v1/admin/alerts/rules', rule({ actions: [{ type: 'webhook', url: 'https://hooks.example.com/services/T1/B1/tok3n', format: 'slack' }] }), { key: admin });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.id, 'failures-per-policy', 'an id made from the name');
    assert.equal(created.body.source, 'app');
    assert.deepEqual([created.body.rule.enabled, created.body.rule.cooldownMinutes, created.body.rule.minVolume], [true, 60, 0], 'defaults filled in');

    const got = await t.call('GET', '/v1/admin/alerts/rules/failures-per-policy', undefined, { key: admin });
    assert.equal(got.body.rule.actions[0].url, 'https://hooks.example.com/services/T1/B1/tok3n', 'admins see the URL they may edit');
    const seen = await t.call('GET', '/v1/admin/alerts/rules/failures-per-policy', undefined, { key: viewer });
    assert.equal(seen.body.rule.actions[0].url, 'https://hooks.example.com/…');

    const put = await t.call('PUT', '/v1/admin/alerts/rules/failures-per-policy', { ...created.body.rule, threshold: 80, enabled: false }, { key: admin });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual([put.body.rule.threshold, put.body.rule.enabled], [80, false]);

    const del = await t.call('DELETE', '/v1/admin/alerts/rules/failures-per-policy', undefined, { key: admin });
    assert.deepEqual([del.status, del.body], [200, { result: 'deleted' }]);
    assert.equal((await t.call('GET', '/v1/admin/alerts/rules/failures-per-policy', undefined, { key: admin })).status, 404);

    const audit = (await t.tg.adminAuth.audit.list({ limit: 20 })).filter((a) => a.target === 'failures-per-policy');
    assert.deepEqual(audit.map((a) => a.action), ['alert_rule_delete', 'alert_rule_update', 'alert_rule_create']);
    assert.ok(audit.every((a) => a.actor.startsWith('user:alice/token:')));
    assert.ok(!JSON.stringify(audit).includes('tok3n'), 'no webhook URL in the audit trail');
  });

  test('validation errors are 400 invalid_request naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [rule({ threshold: 'lots' }), 'threshold'],
      [rule({ metric: 'median' }), 'metric'],
      [rule({ counts: undefined }), 'counts'],
      [rule({ metric: 'conversion', counts: undefined, threshold: 20 }), 'threshold'],
      [rule({ windowMinutes: 0 }), 'windowMinutes'],
      [rule({ actions: [{ type: 'webhook', url: 'javascript:alert(1)' }] }), 'actions.0.url'],
      [rule({ actions: [{ type: 'block', minutes: 60 }] }), 'actions.0.type'],
      [rule({ groupBy: 'ip', actions: [{ type: 'block', minutes: 0 }] }), 'actions.0.minutes'],
      [rule({ id: 'default-spend-hour' }), 'id'],
      [rule({ id: '../etc' }), 'id'],
    ];
    for (const [body, field] of cases) {
      const r = await t.call('POST', '/v1/admin/alerts/rules', body, { key: admin });
      assert.equal(r.status, 400, `${field}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, 'invalid_request');
      assert.equal(r.body.error.field, field, JSON.stringify(r.body));
    }
    const unknown = await t.call('POST', '/v1/admin/alerts/rules', { ...rule(), extra: 1 }, { key: admin });
    assert.equal(unknown.status, 400);
    const notJson = await t.call('POST', '/v1/admin/alerts/rules', undefined, { key: admin, raw: '{oops', headers: { 'content-type': 'application/json' } });
    assert.equal(notJson.status, 400);
    const array = await t.call('PUT', '/v1/admin/alerts/rules/default-spend-hour', [1, 2], { key: admin });
    assert.equal(array.status, 400);
    const renamed = await t.call('PUT', '/v1/admin/alerts/rules/default-spend-hour', { ...rule(), id: 'other' }, { key: admin });
    assert.deepEqual([renamed.status, renamed.body.error.field], [400, 'id']);
    assert.equal((await t.call('PUT', '/v1/admin/alerts/rules/no-such-rule', rule(), { key: admin })).status, 404);
    assert.equal((await t.call('DELETE', `/v1/admin/alerts/rules/${'x'.repeat(90)}`, undefined, { key: admin })).status, 404);
    const declared = await t.call('DELETE', '/v1/admin/alerts/rules/default-spend-hour', undefined, { key: admin });
    assert.deepEqual([declared.status, declared.body.error.field], [400, 'id']);
    assert.match(declared.body.error.message, /disable it/);
  });

  test('a default rule edited through the API is overridden, and DELETE resets it', async () => {
    const current = (await t.call('GET', '/v1/admin/alerts/rules/default-unconfirmed-ip', undefined, { key: admin })).body;
    const put = await t.call('PUT', '/v1/admin/alerts/rules/default-unconfirmed-ip', { ...current.rule, threshold: 30 }, { key: admin });
    assert.deepEqual([put.status, put.body.overridden, put.body.rule.threshold, put.body.declared.threshold], [200, true, 30, 15]);
    const reset = await t.call('DELETE', '/v1/admin/alerts/rules/default-unconfirmed-ip', undefined, { key: admin });
    assert.deepEqual([reset.body.result, reset.body.rule.overridden, reset.body.rule.rule.threshold], ['reset', false, 15]);
  });

  test('viewers read but cannot change anything (403); no credentials is 401', async () => {
    assert.equal((await t.call('GET', '/v1/admin/alerts/rules', undefined, { key: viewer })).status, 200);
    assert.equal((await t.call('GET', '/v1/admin/alerts/history', undefined, { key: viewer })).status, 200);
    for (const [method, url, body] of [
      ['POST', '/v1/admin/alerts/rules', rule()],
      ['PUT', '/v1/admin/alerts/rules/default-spend-hour', rule()],
      ['DELETE', '/v1/admin/alerts/rules/default-spend-hour', undefined],
      ['POST', '/v1/admin/alerts/evaluate', {}],
    ] as const) {
      const r = await t.call(method, url, body, { key: viewer });
      assert.deepEqual([r.status, r.body.error.code], [403, 'forbidden'], `${method} ${url}`);
    }
    assert.equal((await t.call('GET', '/v1/admin/alerts/rules', undefined, { key: null })).status, 401);
    assert.equal((await t.call('GET', '/v1/admin/alerts/rules')).status, 401, 'an app API key is not an admin credential');
    const page = await t.tg.http.inject({ method: 'GET', url: '/admin/alerts' });
    assert.equal(page.statusCode, 303);
    assert.match(String(page.headers.location), /^\/admin\/sign-in\?next=%2Fadmin%2Falerts/);
  });

  test('cookie sessions: the API and the page forms need the CSRF token', async () => {
    const { cookie } = await signInThroughForm(t.tg.http, 'alice', ADMIN_PW);
    const page = await t.tg.http.inject({ method: 'GET', url: '/admin/alerts', headers: { cookie } });
    assert.equal(page.statusCode, 200);
    const csrf = /<meta name="csrf" content="([^"]+)">/.exec(page.body)![1]!;
    assert.match(page.body, /<form method="post" action="\/admin\/alerts\/rules" class="tg-form tg-alerts-form">\s*<input type="hidden" name="csrf" value="[^"]+">/);

    const json = (headers: Record<string, string>) =>
      t.tg.http.inject({ method: 'POST', url: '/v1/admin/alerts/rules', headers: { cookie, 'content-type': 'application/json', ...headers }, payload: JSON.stringify(rule({ name: 'Via cookie' })) });
    const refused = await json({});
    assert.deepEqual([refused.statusCode, refused.json().error.code], [403, 'csrf_failed']);
    assert.deepEqual([(await json({ 'x-csrf-token': 'forged' })).statusCode], [403]);
    assert.equal((await json({ 'x-csrf-token': csrf })).statusCode, 201);

    const form = (url: string, fields: Record<string, string>) =>
      t.tg.http.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
    const fields = { name: 'Blocked sends per IP', metric: 'count', counts: 'blocked', groupBy: 'ip', windowMinutes: '15', comparison: 'above', threshold: '20', cooldownMinutes: '30', enabled: 'true', webhookUrl: '', emailTo: 'oncall@example.com', blockMinutes: '30' };
    const noCsrf = await form('/admin/alerts/rules', fields);
    assert.equal(noCsrf.statusCode, 403);
    assert.match(noCsrf.body, /Missing or wrong CSRF token/);
    assert.equal((await t.call('GET', '/v1/admin/alerts/rules/blocked-sends-per-ip', undefined, { key: admin })).status, 404, 'nothing was created');

    const ok = await form('/admin/alerts/rules', { ...fields, csrf });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
    assert.equal(ok.headers.location, '/admin/alerts?done=created');
    const made = (await t.call('GET', '/v1/admin/alerts/rules/blocked-sends-per-ip', undefined, { key: admin })).body.rule;
    assert.deepEqual([made.counts, made.groupBy, made.windowMinutes, made.threshold], ['blocked', 'ip', 15, 20]);
    assert.deepEqual(made.actions, [{ type: 'email', to: ['oncall@example.com'] }, { type: 'block', minutes: 30 }]);
    const after = await t.tg.http.inject({ method: 'GET', url: '/admin/alerts?done=created', headers: { cookie } });
    assert.match(after.body, /role="status"><p>The rule was created\.<\/p>/);

    // A refused form comes back with the message, the field marked and what was typed kept.
    const bad = await form('/admin/alerts/rules', { ...fields, name: 'Typo rule', threshold: 'twenty', csrf });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /threshold: Invalid input: expected number, received string/);
    assert.match(bad.body, /id="new-threshold" name="threshold" value="twenty"[^>]*aria-invalid="true"/);
    assert.match(bad.body, /id="new-name" name="name" value="Typo rule"/);
    const badUrl = await form('/admin/alerts/rules', { ...fields, name: 'Bad hook', webhookUrl: 'ftp://x', csrf });
    assert.match(badUrl.body, /id="new-webhookUrl" name="webhookUrl" value="ftp:\/\/x"[^>]*aria-invalid="true"/);

    // Edit, disable, enable and delete through the page's forms.
    const edit = await form('/admin/alerts/rules/blocked-sends-per-ip', { ...fields, threshold: '25', blockMinutes: '', csrf });
    assert.equal(edit.headers.location, '/admin/alerts?done=saved');
    const edited = (await t.call('GET', '/v1/admin/alerts/rules/blocked-sends-per-ip', undefined, { key: admin })).body.rule;
    assert.deepEqual([edited.threshold, edited.actions.map((a: any) => a.type)], [25, ['email']]);
    assert.equal((await form('/admin/alerts/rules/blocked-sends-per-ip/enabled', { enabled: 'false', csrf })).headers.location, '/admin/alerts?done=disabled');
    assert.equal((await t.call('GET', '/v1/admin/alerts/rules/blocked-sends-per-ip', undefined, { key: admin })).body.rule.enabled, false);
    assert.equal((await form('/admin/alerts/rules/blocked-sends-per-ip/enabled', { enabled: 'true' })).statusCode, 403, 'CSRF on every form');
    assert.equal((await form('/admin/alerts/rules/blocked-sends-per-ip/delete', { csrf })).headers.location, '/admin/alerts?done=deleted');
    assert.equal((await t.call('GET', '/v1/admin/alerts/rules/blocked-sends-per-ip', undefined, { key: admin })).status, 404);
    const evaluated = await form('/admin/alerts/evaluate', { csrf });
    assert.match(String(evaluated.headers.location), /^\/admin\/alerts\?done=evaluated&fired=\d+&resolved=\d+$/);
    const actions = (await t.tg.adminAuth.audit.list({ limit: 50 })).filter((a) => a.actor === 'user:alice').map((a) => a.action);
    for (const a of ['alert_rule_create', 'alert_rule_update', 'alert_rule_disable', 'alert_rule_delete', 'alert_evaluate']) assert.ok(actions.includes(a), a);
  });

  test('a viewer sees the page without forms, with masked numbers and webhook URLs', async () => {
    const made = await t.call('POST', '/v1/admin/alerts/rules', {
      id: 'number-burst', name: 'Codes to one number', metric: 'count', counts: 'unconfirmed', groupBy: 'phone', windowMinutes: 60, threshold: 2,
      actions: [{ type: 'webhook', url: 'http://127.0.0.1:9/hooks/s3cr3t', format: 'json' }],
    }, { key: admin });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await unconfirmedSend(t, '+447400900123');
    await unconfirmedSend(t, '+447400900123');
    t.advance(MIN);
    const fired = (await t.call('POST', '/v1/admin/alerts/evaluate', {}, { key: admin })).body.firings.filter((f: any) => f.ruleId === 'number-burst');
    assert.deepEqual(fired.map((f: any) => [f.kind, f.group]), [['fired', '+447400900123']]);
    assert.equal(fired[0].actions[0].ok, false, 'nothing listens on port 9: recorded as failed, not thrown');

    const history = (await t.call('GET', '/v1/admin/alerts/history?ruleId=number-burst', undefined, { key: viewer })).body.entries;
    assert.equal(history[0].group, '+44 ••••••0123');
    assert.equal((await t.call('GET', '/v1/admin/alerts/history?ruleId=number-burst', undefined, { key: admin })).body.entries[0].group, '+447400900123');

    const { cookie } = await signInThroughForm(t.tg.http, 'victor', VIEWER_PW);
    const page = await t.tg.http.inject({ method: 'GET', url: '/admin/alerts', headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('+447400900123'), 'no whole number for a viewer');
    assert.match(page.body, /<code>\+44 ••••••0123<\/code>/);
    assert.ok(!page.body.includes('s3cr3t'), 'no webhook path or token for a viewer');
    assert.match(page.body, /webhook \(json\) http:\/\/127\.0\.0\.1:9\/…/);
    assert.ok(!/action="\/admin\/alerts\/(rules|evaluate)/.test(page.body), 'no editing forms for a viewer');
    assert.match(page.body, /<h2 id="firing-heading">Firing now<\/h2>[\s\S]*Codes to one number/);
    const post = await t.tg.http.inject({ method: 'POST', url: '/admin/alerts/evaluate', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `csrf=${encodeURIComponent(/<meta name="csrf" content="([^"]+)">/.exec(page.body)![1]!)}` });
    assert.equal(post.statusCode, 403);
    assert.match(post.body, /This needs the admin role/);
  });
});

/** Valid GB mobile numbers spread over many number blocks (no Jersey, Guernsey or Isle of Man). */
function gbMobiles(count: number): string[] {
  const out: string[] = [];
  for (let k = 0; out.length < count; k++) {
    const n = `+4478${String(10 + (k % 80)).padStart(2, '0')}${String(100000 + k * 7919).slice(-6)}`;
    const p = parsePhoneNumber(n);
    if (p?.valid && p.region === 'GB' && p.type === 'MOBILE') out.push(n);
  }
  return out;
}

describe('the default rules', () => {
  let t: TestTollgate;
  let admin: string;

  before(async () => {
    // The defense's number-block limits would challenge the pumping burst below before the alert
    // sees it; they are lifted here so that the defaults alone are under test.
    t = await startTestTollgate({ TOLLGATE_CONFIG: configFile('alerts:\n  evaluateEverySeconds: 3600\ndefense:\n  ruleModes: { pumping: shadow }\n  velocity: { prefix3: [], prefix4: [] }\n') });
    await t.tg.adminAuth.createUser({ username: 'alice', password: ADMIN_PW, role: 'admin' }, 'cli');
    admin = (await t.tg.adminAuth.createApiToken('alice', { name: 'ci', role: 'admin', ttlDays: 1 }, 'cli')).token;
  });
  after(async () => t?.close());

  const evaluate = async () => (await t.call('POST', '/v1/admin/alerts/evaluate', {}, { key: admin })).body.firings as any[];

  test('are all enabled, and stay quiet on a burst of legitimate, completed verifications', async () => {
    const rules = (await t.call('GET', '/v1/admin/alerts/rules', undefined, { key: admin })).body.rules;
    assert.deepEqual(rules.map((r: any) => r.id).sort(), defaultAlertRules().map((r) => r.id).sort());
    assert.ok(rules.every((r: any) => r.rule.enabled));

    // 60 people in a few minutes: 20 behind one carrier NAT address, 6 in one number block.
    const others = gbMobiles(54);
    for (let i = 0; i < 60; i++) {
      const number = i < 6 ? `+4474009001${String(i).padStart(2, '0')}` : others[i - 6]!;
      await completedVerification(t, number, i < 20 ? '100.64.0.1' : `198.51.100.${i}`);
      if (i % 10 === 9) t.advance(MIN);
    }
    for (const wait of [1, 10, 60]) {
      t.advance(wait * MIN);
      assert.deepEqual(await evaluate(), [], `nothing fires ${wait} min later`);
    }
    // They did look at this traffic: 60 sessions to GB, all verified.
    const metrics = new SqliteAlertMetrics((t.tg.store as SqliteStore).connection);
    const conversion = defaultAlertRules().find((r) => r.id === 'default-conversion-country')!;
    assert.deepEqual(await metrics.measure(conversion, t.tg.clock.now()), [{ group: 'GB', value: 1, volume: 60 }]);
  });

  test('and catch a pumped number block', async () => {
    for (let i = 0; i < 12; i++) await unconfirmedSend(t, `+4474009555${String(i).padStart(2, '0')}`, `203.0.113.${i}`);
    t.advance(3 * MIN); // past the rule's settle time
    const fired = await evaluate();
    assert.deepEqual(fired.map((f) => [f.ruleId, f.group, f.value]), [['default-unconfirmed-prefix', '+44740095', 12]]);
    assert.deepEqual(fired[0].actions, [], 'no actions configured: the history (and the log) only');
    const page = (await t.call('GET', '/v1/admin/alerts/history', undefined, { key: admin })).body.entries;
    assert.equal(page[0].ruleName, 'Unconfirmed codes to a number block');
  });
});
