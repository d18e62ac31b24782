// A deliberately naive in-memory workbook: every panel computed straight from the event list with
// the core's definitions. The differential test checks the SQLite rollups against it; plus a
// seeded random event log (heavy tail, late arrivals, shadow reasons) to feed both.
import type { TollgateEvent } from '../../src/core/events/event.ts';
import { isFailure, isFirstSend, phonePrefix } from '../../src/core/workbook/failures.ts';
import { clampLimit, type WorkbookFilters } from '../../src/core/workbook/filters.ts';
import type { PanelId, PanelOptions } from '../../src/core/workbook/panels.ts';
import { binFor, binOf, binStarts } from '../../src/core/workbook/ranges.ts';
import { conversion, denseSeries, expectedRegion, toMicros } from '../../src/core/workbook/shaping.ts';
import { D, ev, T0 } from './helpers.ts';

export function randomEvents(seed: number, n: number): TollgateEvent[] {
  let s = seed;
  const r = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const phones = Array.from({ length: 150 }, (_, i) => (i < 30 ? `+3712000${String(i).padStart(4, '0')}` : `+1415${String(1000000 + i * 7919).slice(-7)}`));
  const regions = ['US', 'LV', 'GB', null];
  const ips = Array.from({ length: 90 }, (_, i) => `10.0.${i % 7}.${i}`);
  const failureKinds = [
    ['code.send_refused', 'failure', 'bad_reputation'], ['code.send_refused', 'client_error', 'invalid_phone_number'], ['code.rejected', 'failure', 'invalid_code'],
    ['session.failed', 'failure', 'too_many_attempts'], ['session.expired', 'failure', 'session_expired'], ['delivery.status', 'failure', 'delivery_failed'],
    ['delivery.status', 'success', 'ok'], ['session.cancelled', 'failure', 'user_cancelled'], ['session.created', 'success', 'ok'],
  ] as const;
  const shadowReason = () => ({ code: pick(['velocity_exceeded', 'pumping_suspected']), rule: pick(['velocity.ip24', 'pumping.prefix']), action: pick(['block', 'challenge']), shadow: true });
  return Array.from({ length: n }, () => {
    const phoneIndex = Math.floor(phones.length * r() ** 3); // heavy head
    const phone = r() < 0.03 ? null : phones[phoneIndex]!;
    const base = {
      time: T0 - D + Math.floor(r() * 12 * D), phoneNumber: phone, phoneRegion: phone?.startsWith('+371') ? 'LV' : pick(regions),
      appId: pick(['app-web', 'app-mobile', null]), policyId: pick(['P1', 'P2', 'P3', null]), channel: pick(['sms', 'voice', null] as const),
      ip: r() < 0.1 ? null : ips[Math.floor(ips.length * r() ** 2)]!, browser: pick(['Chrome', 'Safari', null]), os: pick(['Android', 'iOS', null]),
    };
    const details: Record<string, unknown> = r() < 0.8 ? { ipCountry: pick(['US', 'RU', 'LV']) } : {};
    const x = r();
    if (x < 0.3) {
      if (r() < 0.2) details.decision = { action: 'allow', reasons: [shadowReason(), { code: 'x', rule: 'enforced', action: 'challenge', shadow: false }] };
      return ev({ ...base, type: 'code.sent', cost: pick([0.0079, 0.5, 0.08, 1.2]), details: { ...details, sendCount: pick([1, 1, 2, undefined]) } });
    }
    if (x < 0.42) return ev({ ...base, type: 'session.verified', details });
    const [type, outcome, reason] = pick(failureKinds);
    if (type === 'code.send_refused' && r() < 0.3) details.decision = { action: 'block', reasons: [shadowReason()] };
    return ev({ ...base, type, outcome, reason, reasonDescription: `text of ${reason}`, details });
  });
}

type Row = Record<string, unknown>;
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const cmpText = (a: unknown, b: unknown) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0);

function group(events: TollgateEvent[], key: (e: TollgateEvent) => string[] | null, add: (acc: Row, e: TollgateEvent) => void): Map<string, { keys: string[]; acc: Row }> {
  const out = new Map<string, { keys: string[]; acc: Row }>();
  for (const e of events) {
    const k = key(e);
    if (!k) continue;
    const id = k.join('\u0000');
    const g = out.get(id) ?? { keys: k, acc: {} };
    add(g.acc, e);
    out.set(id, g);
  }
  return out;
}
const count = (field = 'n') => (acc: Row) => void (acc[field] = ((acc[field] as number) ?? 0) + 1);
/** Rows sorted by count desc, then keys asc; `shape` builds the output row. */
function ranked(g: Map<string, { keys: string[]; acc: Row }>, limit: number, shape: (keys: string[], n: number) => Row): Row[] {
  return [...g.values()]
    .sort((a, b) => (b.acc.n as number) - (a.acc.n as number) || a.keys.reduce((c, k, i) => c || cmpText(k, b.keys[i]), 0))
    .slice(0, limit)
    .map((x) => shape(x.keys, x.acc.n as number));
}

export function referencePanel(all: readonly TollgateEvent[], id: PanelId, f: WorkbookFilters, o: PanelOptions = {}): Row[] {
  const inRange = all.filter((e) => e.time >= f.from && e.time < f.to && (f.appId === undefined || e.appId === f.appId) && (f.policyId === undefined || e.policyId === f.policyId) && (f.channel === undefined || e.channel === f.channel));
  const failures = inRange.filter(isFailure);
  const limit = clampLimit(o.limit);
  const orNull = (v: string) => (v === '' ? null : v);
  const ipCountry = (e: TollgateEvent) => text(e.details.ipCountry);
  const chart = (key: (e: TollgateEvent) => string | null, top: string[]) => {
    const bin = binFor(f.from, f.to);
    const points = [...group(failures, (e) => (key(e) === null ? null : [String(binOf(e.time, bin)), key(e)!]), count()).values()].map((g) => ({ bin: Number(g.keys[0]), series: g.keys[1]!, failures: g.acc.n as number }));
    const totals = new Map<number, number>();
    for (const e of failures) totals.set(binOf(e.time, bin), (totals.get(binOf(e.time, bin)) ?? 0) + 1);
    return denseSeries(binStarts(f.from, f.to, bin), top, points, totals).map((r): Row => (r.series === '' ? { ...r, series: null } : { ...r }));
  };
  const topN = clampLimit(o.limit, 10);
  switch (id) {
    case 'total-failures': return [{ failures: failures.length }];
    case 'failure-reasons': {
      const g = group(failures, (e) => [e.reason], (acc, e) => { count()(acc); acc.d = cmpText(e.reasonDescription, acc.d) > 0 ? e.reasonDescription : acc.d; });
      return ranked(g, limit, (k, n) => ({ reason: k[0], reasonDescription: g.get(k[0]!)!.acc.d, failures: n }));
    }
    case 'bad-reputation': return ranked(group(failures.filter((e) => e.reason === 'bad_reputation'), (e) => (e.phoneNumber ? [e.phoneNumber] : null), count()), limit, (k, n) => ({ phoneNumber: k[0], failures: n }));
    case 'failed-phones': return ranked(group(failures, (e) => (e.phoneNumber ? [e.phoneNumber] : null), count()), limit, (k, n) => ({ phoneNumber: k[0], failures: n }));
    case 'failed-ips': return ranked(group(failures, (e) => (e.ip ? [e.ip] : null), count()), limit, (k, n) => ({ ip: k[0], failures: n }));
    case 'phone-ips': return ranked(group(failures, (e) => (e.phoneNumber && e.ip ? [e.phoneNumber, e.ip] : null), count()), limit, (k, n) => ({ phoneNumber: k[0], ip: k[1], failures: n }));
    case 'browsers': return ranked(group(failures, (e) => [text(e.browser)], count()), limit, (k, n) => ({ browser: orNull(k[0]!), failures: n }));
    case 'operating-systems': return ranked(group(failures, (e) => [text(e.os)], count()), limit, (k, n) => ({ os: orNull(k[0]!), failures: n }));
    case 'policy-failures': return ranked(group(failures, (e) => [text(e.policyId)], count()), limit, (k, n) => ({ policyId: orNull(k[0]!), failures: n }));
    case 'ip-countries': return ranked(group(failures, (e) => [ipCountry(e)], count()), limit, (k, n) => ({ ipCountry: orNull(k[0]!), expected: expectedRegion(orNull(k[0]!), o.expectedRegions), failures: n }));
    case 'destination-countries': return ranked(group(failures, (e) => [text(e.phoneRegion)], count()), limit, (k, n) => ({ phoneRegion: orNull(k[0]!), expected: expectedRegion(orNull(k[0]!), o.expectedRegions), failures: n }));
    case 'velocity':
      return [...group(failures, (e) => (e.phoneNumber ? [e.phoneNumber, String(binOf(e.time, D))] : null), count()).values()]
        .sort((a, b) => (b.acc.n as number) - (a.acc.n as number) || cmpText(a.keys[0], b.keys[0]) || Number(a.keys[1]) - Number(b.keys[1]))
        .slice(0, limit).map((g) => ({ day: Number(g.keys[1]), phoneNumber: g.keys[0], failures: g.acc.n }));
    case 'conversion-by-country':
    case 'conversion-by-prefix': {
      const byPrefix = id === 'conversion-by-prefix';
      const g = group(inRange.filter((e) => isFailure(e) || e.type === 'code.sent' || e.type === 'session.verified'), (e) => (byPrefix ? (e.phoneNumber ? [phonePrefix(e.phoneNumber), text(e.phoneRegion)] : null) : [text(e.phoneRegion)]), (acc, e) => {
        const add = (k: string, v: number) => void (acc[k] = ((acc[k] as number) ?? 0) + v);
        add('f', isFailure(e) ? 1 : 0); add('n', e.type === 'code.sent' ? 1 : 0); add('s', isFirstSend(e) ? 1 : 0);
        add('v', e.type === 'session.verified' ? 1 : 0); add('sp', e.type === 'code.sent' ? toMicros(e.cost) : 0);
      });
      return [...g.values()].filter((x) => !byPrefix || (x.acc.sp as number) > 0)
        .sort((a, b) => (b.acc.sp as number) - (a.acc.sp as number) || (b.acc.s as number) - (a.acc.s as number) || a.keys.reduce((c, k, i) => c || cmpText(k, b.keys[i]), 0))
        .slice(0, limit)
        .map(({ keys, acc }) => ({ ...(byPrefix ? { prefix: keys[0] } : {}), phoneRegion: orNull(keys[byPrefix ? 1 : 0]!), ...conversion({ sessionsWithCode: acc.s as number, verifiedSessions: acc.v as number, sends: acc.n as number, spendMicros: acc.sp as number, failures: acc.f as number }) }));
    }
    case 'shadow-rules': {
      const rows = inRange.flatMap((e) => ((e.details.decision as { action?: string; reasons?: Row[] } | undefined)?.reasons ?? []).filter((r) => r.shadow === true).map((r) => ({ e, r })));
      const g = new Map<string, { keys: string[]; acc: Row }>();
      for (const { e, r } of rows) {
        const keys = [text(r.rule), text(r.code), text(r.action), e.type, text((e.details.decision as Row).action)];
        const x = g.get(keys.join('\u0000')) ?? { keys, acc: { n: 0 } };
        x.acc.n = (x.acc.n as number) + 1;
        g.set(keys.join('\u0000'), x);
      }
      return ranked(g, limit, (k, n) => ({ rule: k[0], code: k[1], shadowAction: k[2], happened: k[3], enforcedAction: orNull(k[4]!), events: n }));
    }
    case 'phone-timechart': return chart((e) => e.phoneNumber, referencePanel(all, 'failed-phones', f, { limit: topN }).map((r) => r.phoneNumber as string));
    case 'ip-timechart': return chart((e) => e.ip, referencePanel(all, 'failed-ips', f, { limit: topN }).map((r) => r.ip as string));
    case 'policy-timechart': return chart((e) => text(e.policyId), referencePanel(all, 'policy-failures', f, { limit: topN }).map((r) => text(r.policyId)));
    case 'phone-details':
    case 'ip-details': {
      const mine = failures.filter((e) => (id === 'ip-details' ? e.ip === f.ip : e.phoneNumber === f.phoneNumber));
      return mine.map((e, i) => ({ e, i })).sort((a, b) => b.e.time - a.e.time || b.i - a.i).slice(0, limit).map(({ e }) => ({
        time: e.time, type: e.type, outcome: e.outcome, reason: e.reason, reasonDescription: e.reasonDescription, phoneNumber: e.phoneNumber, ip: e.ip,
        ipCountry: (e.details.ipCountry as string | undefined) ?? null, phoneRegion: e.phoneRegion, browser: e.browser, os: e.os, channel: e.channel, cost: e.cost,
        appId: e.appId, policyId: e.policyId, sessionId: e.sessionId, correlationId: e.correlationId,
      }));
    }
  }
}
