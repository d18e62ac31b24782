// Alerts end to end through the real app: unconfirmed codes to one number block, sent through the
// API, make a rule declared in the configuration fire on POST /v1/admin/alerts/evaluate. Its Slack
// webhook reaches a local HTTP server, its email a real SMTP server, its block lands on the
// reputation list (the next send to the block is refused with bad_reputation) and in the audit
// trail. The episode does not repeat, resolves, and a flap inside the cooldown stays quiet; the
// history shows it all, in the API and on /admin/alerts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mailHeader, mailText, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';
import { signInThroughForm } from '../admin/helpers.ts';
import { configFile, MIN, newSession, sendCode, startWebhookReceiver, unconfirmedSend, type WebhookReceiver } from './helpers.ts';

const PREFIX = '+44740012';
const HOOK_PATH = '/services/T0001/B0001/secret-token-abc123';

describe('alerts through the real app', () => {
  let t: TestTollgate;
  let hooks: WebhookReceiver;
  let sink: SmtpSink;
  let admin: string;
  let viewer: string;
  const logs: string[] = [];

  before(async () => {
    hooks = await startWebhookReceiver();
    sink = await startSmtpSink();
    const file = configFile(`
mail:
  adapter: smtp
  host: 127.0.0.1
  port: ${sink.port}
  requireTLS: false
  from: "Tollgate alerts <alerts@tollgate.test>"
  timeoutSeconds: 5
# The defense would challenge such bursts itself (number-block velocity, the pumping detector):
# here they pass, as with those rules in shadow mode, so that the alert is what catches them.
defense:
  ruleModes: { pumping: shadow }
  velocity: { prefix3: [], prefix4: [] }
alerts:
  evaluateEverySeconds: 3600
  rules:
    - id: pumping-prefix
      name: Pumping on a number block
      metric: count
      counts: unconfirmed
      groupBy: prefix
      windowMinutes: 10
      threshold: 5
      cooldownMinutes: 60
      actions:
        - { type: webhook, url: "${hooks.url(HOOK_PATH)}", format: slack }
        - { type: email, to: [oncall@tollgate.test] }
        - { type: block, minutes: 60 }
`);
    const stream = { write: (line: string) => logs.push(line) };
    t = await startTestTollgate({ TOLLGATE_CONFIG: file, TOLLGATE_LOG_LEVEL: 'info' }, { logger: { level: 'info', stream } });
    await t.tg.adminAuth.createUser({ username: 'alice', password: 'correct horse battery staple', role: 'admin' }, 'cli');
    await t.tg.adminAuth.createUser({ username: 'victor', password: 'another long passphrase 42', role: 'viewer' }, 'cli');
    admin = (await t.tg.adminAuth.createApiToken('alice', { name: 'ci', role: 'admin', ttlDays: 1 }, 'cli')).token;
    viewer = (await t.tg.adminAuth.createApiToken('victor', { name: 'ro', role: 'viewer', ttlDays: 1 }, 'cli')).token;
  });
  after(async () => {
    await t?.close();
    await hooks?.close();
    await sink?.close();
  });

  const evaluate = async () => {
    const r = await t.call('POST', '/v1/admin/alerts/evaluate', {}, { key: admin });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.firings as any[];
  };

  test('the configured rule is seeded beside the defaults', async () => {
    const r = await t.call('GET', '/v1/admin/alerts/rules', undefined, { key: viewer });
    assert.equal(r.status, 200);
    const ids = r.body.rules.map((x: any) => x.id);
    assert.ok(ids.includes('pumping-prefix') && ids.includes('default-unconfirmed-prefix'), ids.join(' '));
    const mine = r.body.rules.find((x: any) => x.id === 'pumping-prefix');
    assert.equal(mine.source, 'config');
    assert.equal(mine.rule.actions[0].url, `${hooks.url('').replace(/\/$/, '')}/…`, 'a viewer sees the webhook origin only');
  });

  test('unconfirmed sends to one block fire: Slack webhook, email, block, audit; the next send is refused', async () => {
    assert.deepEqual(await evaluate(), [], 'nothing yet');
    for (let i = 1; i <= 6; i++) await unconfirmedSend(t, `${PREFIX}340${i}`);
    t.advance(MIN);
    const firings = await evaluate();
    assert.equal(firings.length, 1, JSON.stringify(firings));
    const [f] = firings;
    assert.deepEqual([f.kind, f.ruleId, f.group, f.value, f.threshold], ['fired', 'pumping-prefix', PREFIX, 6, 5]);
    assert.deepEqual(f.actions.map((a: any) => [a.type, a.ok]), [['webhook', true], ['email', true], ['block', true]], JSON.stringify(f.actions));
    assert.ok(!JSON.stringify(f.actions).includes('secret-token'), 'the webhook token never leaves the configuration');

    // The Slack-compatible webhook.
    assert.equal(hooks.received.length, 1);
    const hook = hooks.received[0]!;
    assert.equal(hook.path, HOOK_PATH);
    assert.match(hook.headers['content-type'] ?? '', /^application\/json/);
    assert.equal(typeof hook.body.text, 'string');
    assert.match(hook.body.text, /Pumping on a number block — prefix \+44740012: 6 \(≥ 5\) over 10 min/);
    assert.ok(Array.isArray(hook.body.blocks) && hook.body.blocks.length >= 3);
    assert.equal(hook.body.blocks[0].type, 'header');
    assert.ok(hook.body.blocks.every((b: any) => typeof b.type === 'string'));
    assert.ok(hook.body.blocks.some((b: any) => b.type === 'section' && /Blocked prefix \+44740012 for 60 min/.test(b.text?.text ?? '')));

    // The email, through the real SMTP server.
    const mail = await sink.lastTo('oncall@tollgate.test');
    assert.ok(mail, 'the SMTP server received the alert');
    assert.match(mailHeader(mail.raw, 'subject') ?? '', /\[Tollgate\] Alert: Pumping on a number block \(prefix \+44740012\)/);
    const text = mailText(mail.raw);
    assert.match(text, /Value: 6/);
    assert.match(text, /Blocked prefix \+44740012 for 60 min\./);
    assert.match(mail.raw, /Content-Type: text\/html/i, 'a simple HTML part too');

    // The block: on the reputation list, in the audit trail, and in force.
    const entries = await t.tg.reputation.list();
    const entry = entries.find((e) => e.kind === 'prefix' && e.value === PREFIX);
    assert.ok(entry, JSON.stringify(entries));
    assert.equal(entry.list, 'block');
    assert.equal(entry.createdBy, 'alert:pumping-prefix');
    assert.equal(entry.expiresAt, t.tg.clock.now() + 60 * MIN);
    const audit = await t.tg.adminAuth.audit.list({ limit: 50 });
    assert.ok(audit.some((a) => a.actor === 'alert:pumping-prefix' && a.action === 'reputation_add' && a.target === entry.id));
    const refused = await sendCode(t, await newSession(t), `${PREFIX}3499`);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'bad_reputation');

    assert.ok(logs.some((l) => l.includes('alert fired: Pumping on a number block')), 'logged');
    assert.ok(!logs.some((l) => l.includes('secret-token')), 'the webhook token is never logged');
  });

  test('still firing a minute later: nothing is sent again', async () => {
    t.advance(MIN);
    assert.deepEqual(await evaluate(), []);
    assert.equal(hooks.received.length, 1);
    assert.equal(sink.received.filter((m) => m.to.includes('oncall@tollgate.test')).length, 1);
  });

  test('it resolves when the window slides past; a new burst inside the cooldown stays quiet', async () => {
    t.advance(10 * MIN);
    const resolved = await evaluate();
    assert.deepEqual(resolved.map((f) => [f.kind, f.group]), [['resolved', PREFIX]]);
    assert.deepEqual(resolved[0].actions.map((a: any) => a.type), ['webhook', 'email'], 'a resolution notifies but does not block');
    assert.equal(hooks.received.length, 2);
    assert.match(hooks.received[1]!.body.text, /^:white_check_mark: Tollgate alert resolved: Resolved: Pumping on a number block/);

    // The operator lifts the block; the pumping starts again within the hour.
    const entry = (await t.tg.reputation.list()).find((e) => e.value === PREFIX)!;
    assert.equal((await t.call('DELETE', `/v1/admin/reputation/${entry.id}`, undefined, { key: admin })).status, 204);
    for (let i = 1; i <= 6; i++) await unconfirmedSend(t, `${PREFIX}350${i}`, '198.51.100.11');
    t.advance(MIN);
    assert.deepEqual(await evaluate(), [], 'cooldown: no second notification within 60 minutes of the first');
    assert.equal(hooks.received.length, 2);
    assert.equal((await t.tg.reputation.list()).filter((e) => e.value === PREFIX).length, 0, 'and no second block');
    const firing = await t.tg.admin.alerts.firingNow();
    assert.deepEqual(firing.map((s) => [s.ruleId, s.group, s.notified]), [['pumping-prefix', PREFIX, false]], 'firing, held by the cooldown');
  });

  test('the history, newest first, in the API and on /admin/alerts', async () => {
    const r = await t.call('GET', '/v1/admin/alerts/history', undefined, { key: viewer });
    assert.equal(r.status, 200);
    const mine = r.body.entries.filter((e: any) => e.ruleId === 'pumping-prefix');
    assert.deepEqual(mine.map((e: any) => e.kind), ['resolved', 'fired']);
    const fired = mine[1];
    assert.deepEqual([fired.group, fired.value, fired.threshold, fired.comparison, fired.groupBy], [PREFIX, 6, 5, 'above', 'prefix']);
    assert.match(fired.time, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(fired.actions.map((a: any) => [a.type, a.ok]), [['webhook', true], ['email', true], ['block', true]]);
    assert.equal(fired.actions[0].target, `${hooks.url('').replace(/\/$/, '')}/…`);
    assert.equal((await t.call('GET', '/v1/admin/alerts/history?ruleId=pumping-prefix&limit=1', undefined, { key: viewer })).body.entries[0].kind, 'resolved');
    const bad = await t.call('GET', '/v1/admin/alerts/history?limit=0', undefined, { key: viewer });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'limit');

    const { cookie } = await signInThroughForm(t.tg.http, 'alice', 'correct horse battery staple');
    const page = await t.tg.http.inject({ method: 'GET', url: '/admin/alerts', headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    const history = page.body.slice(page.body.indexOf('id="history-heading"'));
    const rows = [...history.matchAll(/<tr class="tg-alerts-(fired|resolved)">/g)].map((m) => m[1]);
    assert.deepEqual(rows.slice(0, 2), ['resolved', 'fired'], 'newest first');
    assert.match(history, /Pumping on a number block/);
    assert.match(history, /<code>\+44740012<\/code>/);
    assert.match(history, /6 <span class="tg-hint">vs ≥ 5<\/span>/);
    assert.match(history, /block prefix \+44740012 for 60 min: <strong>ok<\/strong>/);
    assert.match(page.body, /<link rel="stylesheet" href="\/assets\/admin-alerts\.css\?v=/);
    assert.ok(!/<script>|style="/.test(page.body), 'no inline script or style');
    const css = await t.tg.http.inject({ method: 'GET', url: '/assets/admin-alerts.css' });
    assert.equal(css.statusCode, 200);
  });
});
