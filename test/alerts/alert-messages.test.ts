// What alerts say: the Slack body's shape and escaping, the JSON body, and the email (one-line
// subject, text part, escaped HTML part), with phone numbers masked unless the rule reveals them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertRuleSchema } from '../../src/core/alerts/rule.ts';
import { alertEmail, type AlertNotice, jsonPayload, slackPayload, summaryLine } from '../../src/services/alert-messages.ts';

const rule = alertRuleSchema.parse({
  id: 'burst', name: 'Codes <to> one number & more', metric: 'count', counts: 'unconfirmed', groupBy: 'phone', windowMinutes: 30, threshold: 4,
  actions: [{ type: 'block', minutes: 120 }],
});
const notice: AlertNotice = {
  kind: 'fired', rule, group: '+447400123456', value: 7, threshold: 4, volume: 7, time: Date.UTC(2026, 2, 1, 12, 0),
  block: { kind: 'number', value: '+447400123456', minutes: 120, ok: true, detail: 'entry x' }, link: 'https://verify.example.com/admin/alerts',
};

test('Slack: text fallback plus Block Kit blocks, mrkdwn escaped, number masked', () => {
  const body = slackPayload(notice);
  assert.equal(body.text, ':rotating_light: Tollgate alert fired: Codes <to> one number & more — number +44 ••••••3456: 7 (≥ 4) over 30 min');
  assert.deepEqual(body.blocks.map((b) => b.type), ['header', 'section', 'section', 'section', 'context']);
  const json = JSON.stringify(body.blocks.slice(1));
  assert.ok(json.includes('Codes &lt;to&gt; one number &amp; more'), 'escaped for mrkdwn');
  assert.ok(json.includes('Blocked number +44 ••••••3456 for 120 min.'));
  assert.ok(json.includes('<https://verify.example.com/admin/alerts|alert history>'));
  assert.ok(!JSON.stringify(body).includes('+447400123456'));
});

test('JSON: the facts by name', () => {
  const body = jsonPayload(notice);
  assert.equal(body.type, 'alert.fired');
  assert.equal(body.time, '2026-03-01T12:00:00.000Z');
  assert.deepEqual(body.group, { by: 'phone', key: '+44 ••••••3456' });
  assert.deepEqual(body.block, { kind: 'number', value: '+44 ••••••3456', minutes: 120, ok: true });
  assert.deepEqual((body.rule as Record<string, unknown>).id, 'burst');
  const revealed = jsonPayload({ ...notice, rule: { ...rule, revealPhoneNumbers: true } });
  assert.deepEqual(revealed.group, { by: 'phone', key: '+447400123456' });
});

test('email: one-line subject, text and escaped HTML; resolutions say so', () => {
  const mail = alertEmail({ ...notice, rule: { ...rule, name: 'Line one\u2028<b>x</b>' } });
  assert.ok(!/[\r\n]/.test(mail.subject));
  assert.match(mail.subject, /^\[Tollgate\] Alert: /);
  assert.match(mail.text, /^Value: 7$/m);
  assert.match(mail.text, /^Threshold: ≥ 4$/m);
  assert.ok(mail.html.includes('&lt;b&gt;x&lt;/b&gt;') && !mail.html.includes('<b>x</b>'));
  assert.ok(!mail.html.includes('style='), 'no inline styles');
  const resolved = { ...notice, kind: 'resolved' as const, value: 1, block: undefined };
  assert.match(alertEmail(resolved).subject, /^\[Tollgate\] Resolved: /);
  assert.equal(summaryLine(resolved), 'Resolved: Codes <to> one number & more — number +44 ••••••3456: now 1 (threshold ≥ 4) over 30 min');
  const share = alertRuleSchema.parse({ id: 'c', name: 'Conv', metric: 'conversion', groupBy: 'country', threshold: 0.25, comparison: 'below' });
  assert.equal(summaryLine({ ...notice, rule: share, group: 'LV', value: 0.05, threshold: 0.25, block: undefined }), 'Conv — country LV: 5 % (< 25 %) over 60 min');
});
