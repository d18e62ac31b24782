// The alert metrics on SQLite against a naive reference computed over the same events in plain
// TypeScript (random events; every metric, thing counted and grouping; windows with and without a
// settle time), and the query plans: no metric scans the events table.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { metricSql, SqliteAlertMetrics } from '../../src/adapters/store/sqlite-alerts-metrics.ts';
import { SqliteStore } from '../../src/adapters/store/sqlite.ts';
import type { MetricRow } from '../../src/core/alerts/evaluation.ts';
import { alertCounts, alertGroupings, type AlertRule, alertRuleSchema } from '../../src/core/alerts/rule.ts';
import type { TollgateEvent } from '../../src/core/events/event.ts';
import { FAILURE_TYPES, isFailure } from '../../src/core/workbook/failures.ts';

const MIN = 60_000;
const NOW = Date.UTC(2026, 2, 1, 12, 0);

let seed = 7;
const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const numbers = ['+447400123401', '+447400123499', '+447400125555', '+447700900123', '+33612345678', '+33612340000', '+14155550100', '+14155559999', '+37120001234', '+882345678901'];
const regionOf = (n: string) => (n.startsWith('+44') ? 'GB' : n.startsWith('+33') ? 'FR' : n.startsWith('+1') ? 'US' : n.startsWith('+371') ? 'LV' : null);
const ips = ['203.0.113.1', '203.0.113.2', '198.51.100.7', '2001:db8::1', null];

let n = 0;
function event(over: Partial<TollgateEvent>): TollgateEvent {
  n++;
  const phone = over.phoneNumber === undefined ? pick(numbers) : over.phoneNumber;
  return {
    id: `evt-${n}`, time: NOW, type: 'code.sent', outcome: 'success', reason: 'ok', reasonDescription: 'N/A', appId: 'web', policyId: pick(['P1', 'P2', null]),
    profileId: 'PF', sessionId: null, userIdHash: null, phoneNumber: phone, countryCallingCode: null, phoneRegion: phone ? regionOf(phone) : null,
    channel: 'sms', ip: pick(ips), userAgent: null, browser: null, browserVersion: null, os: null, osVersion: null, deviceType: null,
    cost: 0, currency: 'USD', correlationId: null, details: {}, ...over,
  } as TollgateEvent;
}

/** Sessions over the last 6 hours (and a few after "now"): sends, resends, verifications, refusals, failures. */
function randomEvents(count: number): TollgateEvent[] {
  const out: TollgateEvent[] = [];
  for (let s = 0; s < count; s++) {
    const sessionId = r() < 0.05 ? null : `sess-${s}`;
    const phoneNumber = r() < 0.07 ? null : pick(numbers);
    const base = { sessionId, phoneNumber, phoneRegion: phoneNumber ? regionOf(phoneNumber) : null, ip: pick(ips), policyId: pick(['P1', 'P2', null]) };
    let t = NOW - Math.floor(r() * 6 * 60) * MIN + Math.floor(r() * 30) * MIN - 20 * MIN;
    const sends = 1 + Math.floor(r() * 3);
    for (let i = 1; i <= sends; i++) {
      if (r() < 0.2) {
        const block = r() < 0.6;
        out.push(event({ ...base, time: t, type: 'code.send_refused', outcome: 'failure', reason: block ? 'bad_reputation' : 'captcha_required', details: r() < 0.8 ? { decision: { action: block ? 'block' : 'challenge', reasons: [] } } : {} }));
      } else {
        out.push(event({ ...base, time: t, type: 'code.sent', cost: Math.round(r() * 1000) / 10000, details: r() < 0.1 ? {} : { sendCount: i } }));
      }
      t += Math.floor(r() * 4) * MIN;
    }
    const end = r();
    if (end < 0.5) {
      if (r() < 0.3) out.push(event({ ...base, time: t, type: 'code.rejected', outcome: pick(['failure', 'client_error']), reason: 'invalid_code' }));
      out.push(event({ ...base, time: t + Math.floor(r() * 20) * MIN, type: 'code.verified' }));
      out.push(event({ ...base, time: t + Math.floor(r() * 20) * MIN, type: 'session.verified' }));
    } else if (end < 0.7) out.push(event({ ...base, time: t + 30 * MIN, type: 'session.expired', outcome: 'failure', reason: 'session_expired' }));
    else if (end < 0.8) out.push(event({ ...base, time: t, type: 'session.failed', outcome: 'failure', reason: 'too_many_attempts' }));
    else if (end < 0.85) out.push(event({ ...base, time: t, type: 'session.cancelled', outcome: 'failure', reason: 'user_cancelled' }));
    if (r() < 0.1) out.push(event({ ...base, time: t + MIN, type: 'delivery.status', outcome: pick(['success', 'failure']), reason: 'ok' }));
  }
  return out;
}

const prefixOf = (e164: string) => e164.slice(0, Math.max(2, e164.length - 4));
function groupOf(rule: AlertRule, e: TollgateEvent): string | null {
  switch (rule.groupBy) {
    case 'none': return 'all';
    case 'ip': return e.ip;
    case 'phone': return e.phoneNumber;
    case 'prefix': return e.phoneNumber ? prefixOf(e.phoneNumber) : null;
    case 'country': return e.phoneNumber ? (e.phoneRegion ?? '001') : null;
    case 'policy': return e.policyId;
  }
}

/** The metric computed the obvious way, from the definitions in docs/alerts.md. */
function reference(events: TollgateEvent[], rule: AlertRule, now: number): MetricRow[] {
  const to = now - rule.settleMinutes * MIN;
  const from = to - rule.windowMinutes * MIN;
  const verified = (sessionId: string | null) => sessionId !== null && events.some((v) => v.type === 'session.verified' && v.sessionId === sessionId && v.time < now);
  const blocked = (e: TollgateEvent) => e.type === 'code.send_refused' && (e.details.decision as { action?: string } | undefined)?.action === 'block';
  const inWindow = events.filter((e) => e.time >= from && e.time < to);
  const groups = new Map<string, TollgateEvent[]>();
  for (const e of inWindow) {
    const g = groupOf(rule, e);
    if (g === null) continue;
    groups.set(g, [...(groups.get(g) ?? []), e]);
  }
  const rows: MetricRow[] = [];
  for (const [g, es] of groups) {
    const sent = es.filter((e) => e.type === 'code.sent');
    let value: number | null = null;
    let volume = 0;
    if (rule.metric === 'count') {
      const hit = { failures: es.filter(isFailure), unconfirmed: sent.filter((e) => !verified(e.sessionId)), sends: sent, blocked: es.filter(blocked) }[rule.counts!];
      value = volume = hit.length;
    } else if (rule.metric === 'rate') {
      const base = {
        failures: es.filter((e) => [...FAILURE_TYPES, 'code.sent', 'code.verified', 'session.verified'].includes(e.type)),
        unconfirmed: sent,
        sends: es.filter((e) => e.type === 'code.sent' || e.type === 'code.send_refused'),
        blocked: es.filter((e) => e.type === 'code.sent' || e.type === 'code.send_refused'),
      }[rule.counts!];
      const hit = { failures: isFailure, unconfirmed: (e: TollgateEvent) => !verified(e.sessionId), sends: (e: TollgateEvent) => e.type === 'code.sent', blocked }[rule.counts!];
      volume = base.length;
      value = volume ? base.filter(hit).length / volume : null;
    } else if (rule.metric === 'spend') {
      volume = sent.length;
      value = sent.reduce((sum, e) => sum + Math.round(e.cost * 1e6), 0) / 1e6;
    } else {
      const first = sent.filter((e) => e.details.sendCount === undefined || e.details.sendCount === 1);
      const sessions = new Set(first.map((e) => e.sessionId ?? e.id));
      volume = sessions.size;
      value = volume ? [...sessions].filter((s) => verified(s)).length / volume : null;
    }
    if (volume === 0) continue; // the SQL has no row for a group without the events it reads
    rows.push({ group: g, value, volume });
  }
  if (rule.groupBy === 'none' && rows.length === 0) rows.push({ group: 'all', value: rule.metric === 'count' || rule.metric === 'spend' ? 0 : null, volume: 0 });
  return rows.sort((a, b) => (a.group < b.group ? -1 : 1));
}

function rules(): AlertRule[] {
  const out: AlertRule[] = [];
  for (const groupBy of alertGroupings) {
    for (const metric of ['count', 'rate', 'spend', 'conversion'] as const) {
      for (const counts of metric === 'count' || metric === 'rate' ? alertCounts : [undefined]) {
        const windowMinutes = pick([5, 30, 60, 180, 1440]);
        out.push(alertRuleSchema.parse({ id: 'r', name: 'R', metric, counts, groupBy, windowMinutes, settleMinutes: pick([0, 0, 5]), threshold: 0 }));
      }
    }
  }
  return out;
}

describe('alert metrics (SQLite) vs a naive reference', () => {
  let dir: string;
  let store: SqliteStore;
  let metrics: SqliteAlertMetrics;
  const events = randomEvents(700);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tollgate-alerts-'));
    store = new SqliteStore(join(dir, 'tollgate.db'));
    await store.migrate();
    for (const e of events) await store.appendEvent(e);
    metrics = new SqliteAlertMetrics(store.connection);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every metric, counted thing and grouping, at several instants', async () => {
    let compared = 0;
    let nonEmpty = 0;
    for (const now of [NOW, NOW - 47 * MIN, NOW - 3 * 60 * MIN + 13]) {
      for (const rule of rules()) {
        const got = (await metrics.measure(rule, now)).sort((a, b) => (a.group < b.group ? -1 : 1));
        const want = reference(events, rule, now);
        const label = `${rule.metric}/${rule.counts ?? '-'} by ${rule.groupBy}, ${rule.windowMinutes} min, settle ${rule.settleMinutes}, at ${now}`;
        assert.deepEqual(got.map((x) => [x.group, x.volume]), want.map((x) => [x.group, x.volume]), label);
        got.forEach((x, i) => {
          const w = want[i]!.value;
          if (w === null || x.value === null) assert.equal(x.value, w, label);
          else assert.ok(Math.abs(x.value - w) < 1e-9, `${label}: ${x.group} ${x.value} vs ${w}`);
        });
        compared++;
        if (want.some((x) => x.volume > 0)) nonEmpty++;
      }
    }
    assert.ok(nonEmpty > compared * 0.8, `most cases have data (${nonEmpty}/${compared})`);
  });

  test('a session verified after "now" does not count as confirmed then', async () => {
    const rule = alertRuleSchema.parse({ id: 'u', name: 'U', metric: 'count', counts: 'unconfirmed', groupBy: 'phone', windowMinutes: 60, threshold: 1 });
    const at = NOW + 10 * 60 * MIN;
    await store.appendEvent(event({ time: at - 30 * MIN, type: 'code.sent', sessionId: 'late', phoneNumber: '+447400777777', phoneRegion: 'GB' }));
    await store.appendEvent(event({ time: at + 5 * MIN, type: 'session.verified', sessionId: 'late', phoneNumber: '+447400777777', phoneRegion: 'GB' }));
    assert.deepEqual(await metrics.measure(rule, at), [{ group: '+447400777777', value: 1, volume: 1 }]);
    assert.deepEqual(await metrics.measure(rule, at + 6 * MIN), [], 'verified by then');
  });

  test('query plans: every metric reads through an index, never a scan of the events table', () => {
    for (const rule of rules()) {
      const plan = (store.connection.prepare(`EXPLAIN QUERY PLAN ${metricSql(rule)}`).all({ from: 0, to: 1, now: 2 }) as { detail: string }[]).map((p) => p.detail);
      const label = `${rule.metric}/${rule.counts ?? '-'} by ${rule.groupBy}: ${plan.join(' | ')}`;
      assert.ok(plan.some((d) => /^SEARCH e USING (COVERING )?INDEX (events_type_time|wb_events_failures) \(.*time>\? AND time<\?\)/.test(d)), label);
      assert.ok(!plan.some((d) => /^SCAN (e|v|events)\b/.test(d)), label);
      if (rule.counts === 'unconfirmed' || rule.metric === 'conversion') assert.ok(plan.some((d) => d.includes('alert_events_verified_session')), label);
    }
  });
});
