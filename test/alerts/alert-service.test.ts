// AlertService over a real SQLite store and a real local webhook server: which rule is in force
// (defaults, configuration, app; seeding at every start), webhook retry and timeout recorded in the
// history without throwing, the JSON payload with numbers masked unless the rule reveals them, and
// an email rule without a mailer.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { SqliteAdminStore } from '../../src/adapters/store/sqlite-admin.ts';
import { SqliteAlertMetrics } from '../../src/adapters/store/sqlite-alerts-metrics.ts';
import { SqliteAlertStore } from '../../src/adapters/store/sqlite-alerts.ts';
import { SqliteStore } from '../../src/adapters/store/sqlite.ts';
import { AuditLog } from '../../src/core/admin/audit.ts';
import { alertsConfigSchema } from '../../src/core/alerts/config.ts';
import { parseDefenseConfig } from '../../src/core/defense/defense-config.ts';
import type { TollgateEvent } from '../../src/core/events/event.ts';
import { TollgateError } from '../../src/core/errors.ts';
import { AlertService } from '../../src/services/alert-service.ts';
import { ReputationService } from '../../src/services/reputation-service.ts';
import { MIN, startWebhookReceiver, type WebhookReceiver } from './helpers.ts';

const T0 = Date.UTC(2026, 2, 1, 12, 0);

describe('AlertService', () => {
  let dir: string;
  let store: SqliteStore;
  let clock: ManualClock;
  let hooks: WebhookReceiver;
  const logs: string[] = [];

  before(async () => {
    hooks = await startWebhookReceiver();
  });
  after(async () => {
    await hooks.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    if (store) {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
    dir = mkdtempSync(join(tmpdir(), 'tollgate-alert-service-'));
    store = new SqliteStore(join(dir, 'tollgate.db'));
    await store.migrate();
    clock = new ManualClock(T0);
    logs.length = 0;
  });

  /** The service over the `alerts` configuration `config` (raw, as in the file). */
  function service(config: Record<string, unknown>) {
    return new AlertService({
      store: new SqliteAlertStore(store.connection),
      metrics: new SqliteAlertMetrics(store.connection),
      clock,
      config: alertsConfigSchema.parse(config),
      spendCaps: parseDefenseConfig({}).spend,
      reputation: new ReputationService(store, clock),
      audit: new AuditLog(new SqliteAdminStore(store.connection), clock),
      mailer: null,
      log: (level, message, details) => logs.push(`${level} ${message} ${JSON.stringify(details ?? {})}`),
      publicUrl: 'https://verify.example.com',
      webhookRetryDelayMs: 10,
    });
  }

  let n = 0;
  async function unconfirmed(phoneNumber: string, count: number, at = clock.now() - MIN) {
    for (let i = 0; i < count; i++) {
      n++;
      await store.appendEvent({
        id: `e${n}`, time: at, type: 'code.sent', outcome: 'success', reason: 'ok', reasonDescription: 'N/A', appId: 'web', policyId: 'P',
        profileId: 'PF', sessionId: `s${n}`, userIdHash: null, phoneNumber, countryCallingCode: '44', phoneRegion: 'GB', channel: 'sms',
        ip: '203.0.113.9', userAgent: null, browser: null, browserVersion: null, os: null, osVersion: null, deviceType: null,
        cost: 0.04, currency: 'USD', correlationId: null, details: { sendCount: 1 },
      } as TollgateEvent);
    }
  }

  const phoneRule = (over: Record<string, unknown> = {}) => ({
    id: 'one-number', name: 'One number', metric: 'count', counts: 'unconfirmed', groupBy: 'phone', windowMinutes: 60, threshold: 3, ...over,
  });

  test('precedence: a configured rule replaces a default; app edits win until reset; seeding follows the configuration', async () => {
    const v1 = { defaults: true, rules: [phoneRule(), { ...phoneRule({ id: 'default-unconfirmed-ip', name: 'My IP rule', groupBy: 'ip', threshold: 50 }) }] };
    const a = service(v1);
    await a.seed();
    let rules = await a.listRules();
    const ipRule = rules.find((r) => r.id === 'default-unconfirmed-ip')!;
    assert.deepEqual([ipRule.source, ipRule.rule.name, ipRule.rule.threshold], ['config', 'My IP rule', 50], 'the configuration wins over the default of the same id');
    assert.equal(rules.find((r) => r.id === 'default-unconfirmed-prefix')!.source, 'default');

    // Edited in the app: an override of the declared rule.
    await a.setEnabled('one-number', false, 'user:alice');
    await a.createRule({ name: 'Made in the app', metric: 'count', counts: 'failures', threshold: 100 }, 'user:alice');

    // Next start: the configuration changed the threshold; the app's version stays in force.
    const b = service({ ...v1, rules: [phoneRule({ threshold: 7 }), v1.rules[1]] });
    await b.seed();
    let one = (await b.listRules()).find((r) => r.id === 'one-number')!;
    assert.deepEqual([one.overridden, one.rule.enabled, one.rule.threshold, one.declared?.threshold], [true, false, 3, 7]);
    // Reset: back to the declared version.
    const reset = await b.deleteRule('one-number', 'user:alice');
    assert.equal(reset.result, 'reset');
    one = (await b.listRules()).find((r) => r.id === 'one-number')!;
    assert.deepEqual([one.overridden, one.rule.enabled, one.rule.threshold], [false, true, 7]);
    await assert.rejects(b.deleteRule('one-number', 'user:alice'), (e: TollgateError) => e.code === 'invalid_request' && e.steering.field === 'id' && /disable it/.test(e.message));

    // Defaults off and the rule gone from the configuration: both leave the store; the app's rule stays.
    const c = service({ defaults: false, rules: [] });
    await c.seed();
    rules = await c.listRules();
    assert.deepEqual(rules.map((r) => [r.id, r.source]), [['made-in-the-app', 'app']]);

    // A configured rule taking over an app rule's id keeps the app's version as its override.
    const d = service({ defaults: false, rules: [{ id: 'made-in-the-app', name: 'Declared', metric: 'count', counts: 'failures', threshold: 5 }] });
    await d.seed();
    const taken = (await d.listRules())[0]!;
    assert.deepEqual([taken.source, taken.overridden, taken.rule.name, taken.declared?.name], ['config', true, 'Made in the app', 'Declared']);

    const audit = await new AuditLog(new SqliteAdminStore(store.connection), clock).list({ limit: 20 });
    assert.deepEqual(audit.map((e) => e.action).reverse(), ['alert_rule_disable', 'alert_rule_create', 'alert_rule_reset']);
  });

  test('webhooks: a 500 is retried once; a hung endpoint times out; both end up in the history, nothing throws', async () => {
    const s = service({
      defaults: false,
      webhookTimeoutSeconds: 1,
      rules: [phoneRule({ actions: [{ type: 'webhook', url: hooks.url('/flaky?token=s3cr3t') }, { type: 'webhook', url: hooks.url('/hung/s3cr3t') }, { type: 'email', to: ['oncall@example.com'] }] })],
    });
    await s.seed();
    hooks.hang('/hung/s3cr3t');
    hooks.failNext(1, 503);
    await unconfirmed('+447400123456', 3);
    const before = hooks.received.length;
    const [fired] = await s.evaluate();
    assert.ok(fired);
    const got = hooks.received.slice(before);
    assert.equal(got.filter((h) => h.path === '/flaky?token=s3cr3t').length, 2, 'retried once after the 503');
    assert.equal(got.filter((h) => h.path === '/hung/s3cr3t').length, 2, 'the timeout is retried once too');
    assert.deepEqual(fired.actions.map((a) => [a.type, a.ok]), [['webhook', true], ['webhook', false], ['email', false]]);
    assert.match(fired.actions[0]!.detail, /HTTP 200 \(after a retry: HTTP 503\)/);
    assert.equal(fired.actions[1]!.detail, 'timeout after a retry');
    assert.equal(fired.actions[2]!.detail, 'no mailer configured (mail.*)');
    const [entry] = await s.history();
    assert.deepEqual(entry!.actions, fired.actions, 'the outcomes are in the history');
    const everything = JSON.stringify({ fired, entry, logs });
    assert.ok(!everything.includes('s3cr3t'), 'no webhook path or token in outcomes, history or logs');
    assert.equal(fired.actions[0]!.target, `${hooks.url('')}/…`, 'the origin only');
  });

  test('the JSON payload: numbers masked unless the rule reveals them', async () => {
    const s = service({
      defaults: false,
      rules: [
        phoneRule({ actions: [{ type: 'webhook', url: hooks.url('/json'), format: 'json' }] }),
        phoneRule({ id: 'revealed', name: 'Revealed', revealPhoneNumbers: true, actions: [{ type: 'webhook', url: hooks.url('/json-full'), format: 'json' }] }),
      ],
    });
    await s.seed();
    await unconfirmed('+447400123456', 4);
    await s.evaluate();
    const masked = hooks.received.find((h) => h.path === '/json')!.body;
    assert.equal(masked.type, 'alert.fired');
    assert.deepEqual(masked.group, { by: 'phone', key: '+44 ••••••3456' });
    assert.deepEqual([masked.value, masked.threshold, masked.volume], [4, 3, 4]);
    assert.equal(masked.rule.id, 'one-number');
    assert.equal(masked.url, 'https://verify.example.com/admin/alerts');
    assert.ok(!JSON.stringify(masked).includes('+447400123456'));
    const full = hooks.received.find((h) => h.path === '/json-full')!.body;
    assert.deepEqual(full.group, { by: 'phone', key: '+447400123456' });
    // The history keeps the full key (masking is the reader's job, per role).
    assert.ok((await s.history()).every((h) => h.group === '+447400123456'));
  });

  test('a disabled rule is not evaluated and forgets its state', async () => {
    const s = service({ defaults: false, rules: [phoneRule()] });
    await s.seed();
    await unconfirmed('+447400123456', 3);
    assert.equal((await s.evaluate()).length, 1);
    assert.equal((await s.firingNow()).length, 1);
    await s.setEnabled('one-number', false, 'user:alice');
    assert.deepEqual(await s.firingNow(), []);
    clock.advance(MIN);
    assert.deepEqual(await s.evaluate(), []);
  });
});
