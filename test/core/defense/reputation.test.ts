// ReputationLists matching (precedence, expiry, CIDR for both families) and the reasons the
// reputation rules give for one send.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReputationEntry } from '../../../src/ports.ts';
import { combine, type SendContext } from '../../../src/core/defense/decision.ts';
import { isAllowlisted, isIpAllowlisted, isTrusted, ReputationLists, reputationReasons } from '../../../src/core/defense/reputation.ts';
import { validateEntry } from '../../../src/core/defense/reputation-values.ts';

const NOW = 1_750_000_000_000;
let seq = 0;
function entry(kind: ReputationEntry['kind'], value: string, list: 'block' | 'allow' = 'block', o: Partial<ReputationEntry> = {}): ReputationEntry {
  return { id: `r${++seq}`, kind, value: validateEntry(kind, value), list, createdAt: NOW - 1000, expiresAt: null, note: '', createdBy: 'test', ...o };
}

function ctx(o: { e164?: string; region?: string | null; ip?: string | null; asn?: number | null; hosting?: boolean; knownGood?: boolean } = {}): SendContext {
  const e164 = o.e164 ?? '+447400123456';
  return {
    now: NOW, appId: 'app', policyId: 'p', profileId: 'default', sessionId: 's', userIdHash: 'u',
    phone: { e164, region: o.region === undefined ? 'GB' : o.region, countryCallingCode: '44', type: 'MOBILE', prefix3: e164.slice(0, -3), prefix4: e164.slice(0, -4) },
    channel: 'sms', ip: o.ip === undefined ? '198.51.100.7' : o.ip,
    ipInfo: { country: 'GB', asn: o.asn === undefined ? 64500 : o.asn, asOrganization: 'Example ISP', hosting: o.hosting ?? false },
    userAgent: null, captchaPassed: false, knownGood: o.knownGood ?? false, estimatedCost: 0.04, sessionSendCount: 0,
  };
}

describe('ReputationLists.matchPhone', () => {
  test('number exact, then longest prefix, then country', () => {
    const number = entry('number', '+447400123456');
    const long = entry('prefix', '+4474001');
    const short = entry('prefix', '+4474');
    const country = entry('country', 'GB');
    const lists = new ReputationLists([country, short, long, number], NOW);
    assert.equal(lists.matchPhone('+447400123456', 'GB')?.entry, number);
    assert.equal(lists.matchPhone('+447400199999', 'GB')?.entry, long);
    assert.equal(lists.matchPhone('+447499999999', 'GB')?.entry, short);
    assert.equal(lists.matchPhone('+442071838750', 'GB')?.entry, country);
    assert.equal(lists.matchPhone('+14155550100', 'US'), null);
    assert.equal(lists.matchPhone('+88234567890', null), null, 'non-geographic numbers have no country');
  });

  test('allow beats block at the same or a broader scope, not a narrower one', () => {
    const lists = new ReputationLists([
      entry('prefix', '+4474001'), entry('number', '+447400123456', 'allow'), // number allow inside a blocked prefix
      entry('country', 'JM'), entry('country', 'JM', 'allow'), // same scope: allow wins
      entry('prefix', '+1415', 'allow'), entry('number', '+14155550100'), // number block inside an allowed prefix
    ], NOW);
    assert.equal(lists.matchPhone('+447400123456', 'GB')?.list, 'allow');
    assert.equal(lists.matchPhone('+447400123457', 'GB')?.list, 'block');
    assert.equal(lists.matchPhone('+18765550123', 'JM')?.list, 'allow');
    assert.equal(lists.matchPhone('+14155550100', 'US')?.list, 'block');
    assert.equal(lists.matchPhone('+14155550101', 'US')?.list, 'allow');
  });

  test('expired entries are ignored; nextExpiry is the first expiry ahead', () => {
    const gone = entry('number', '+447400123456', 'block', { expiresAt: NOW });
    const soon = entry('prefix', '+4474', 'block', { expiresAt: NOW + 60_000 });
    const later = entry('prefix', '+4475', 'block', { expiresAt: NOW + 120_000 });
    const lists = new ReputationLists([gone, soon, later, entry('country', 'FR')], NOW);
    assert.equal(lists.matchPhone('+447400123456', 'GB')?.entry, soon);
    assert.equal(lists.nextExpiry, NOW + 60_000);
    assert.equal(lists.size, 3);
    assert.equal(new ReputationLists([entry('country', 'FR')], NOW).nextExpiry, null);
  });

  test('of two entries for one value on one list, the longer-lasting one is reported', () => {
    const short = entry('number', '+447400123456', 'block', { expiresAt: NOW + 1000 });
    const forever = entry('number', '+447400123456', 'block');
    assert.equal(new ReputationLists([forever, short], NOW).matchPhone('+447400123456', 'GB')?.entry, forever);
  });
});

describe('ReputationLists.matchIp', () => {
  test('IP exact, then the narrowest CIDR, then ASN, IPv4 and IPv6', () => {
    const ip = entry('ip', '198.51.100.7');
    const c24 = entry('cidr', '198.51.100.0/24');
    const c16 = entry('cidr', '198.51.0.0/16');
    const v6 = entry('cidr', '2001:db8::/32');
    const v6host = entry('ip', '2001:db8::1');
    const asn = entry('asn', 'AS64500');
    const lists = new ReputationLists([asn, c16, v6, c24, ip, v6host], NOW);
    assert.equal(lists.matchIp('198.51.100.7', 64500)?.entry, ip);
    assert.equal(lists.matchIp('::ffff:198.51.100.7', null)?.entry, ip, 'IPv4-mapped');
    assert.equal(lists.matchIp('198.51.100.8', 64500)?.entry, c24);
    assert.equal(lists.matchIp('198.51.7.8', null)?.entry, c16);
    assert.equal(lists.matchIp('198.52.0.1', 64500)?.entry, asn);
    assert.equal(lists.matchIp('2001:db8::1', null)?.entry, v6host);
    assert.equal(lists.matchIp('2001:DB8:ffff::1', null)?.entry, v6);
    assert.equal(lists.matchIp('2001:db9::1', null), null);
    assert.equal(lists.matchIp(null, null), null);
    assert.equal(lists.matchIp('not an ip', 64500)?.entry, asn, 'a garbage IP still matches by ASN');
  });

  test('an allowed /32 beats a blocked /24; a blocked host beats an allowed ASN', () => {
    const lists = new ReputationLists([
      entry('cidr', '203.0.113.0/24'), entry('cidr', '203.0.113.5/32', 'allow'),
      entry('asn', '64501', 'allow'), entry('ip', '192.0.2.1'),
    ], NOW);
    assert.equal(lists.matchIp('203.0.113.5', null)?.list, 'allow');
    assert.equal(lists.matchIp('203.0.113.6', null)?.list, 'block');
    assert.equal(lists.matchIp('192.0.2.1', 64501)?.list, 'block');
    assert.equal(lists.matchIp('192.0.2.2', 64501)?.list, 'allow');
  });

  test('lookups stay fast with many ranges', () => {
    const many: ReputationEntry[] = [];
    for (let i = 0; i < 20_000; i++) many.push(entry('cidr', `${10 + (i % 200)}.${i % 256}.${(i >> 8) % 256}.0/${16 + (i % 17)}`));
    for (let i = 0; i < 2_000; i++) many.push(entry('cidr', `2001:db8:${i.toString(16)}::/${48 + (i % 33)}`));
    const lists = new ReputationLists(many, NOW);
    const start = process.hrtime.bigint();
    for (let i = 0; i < 20_000; i++) lists.matchIp(`${i % 250}.${i % 256}.1.1`, null);
    for (let i = 0; i < 2_000; i++) lists.matchIp(`2001:db8:${i.toString(16)}::1`, null);
    const perLookupUs = Number(process.hrtime.bigint() - start) / 1000 / 22_000;
    assert.ok(perLookupUs < 50, `${perLookupUs.toFixed(2)} µs per lookup`);
    if (process.env.TOLLGATE_BENCH) console.log(`CIDR lookup: ${perLookupUs.toFixed(2)} µs`);
  });
});

describe('reputationReasons', () => {
  test('a blocked phone blocks with the B2C description; the expiry gives retryAfter', () => {
    const lists = new ReputationLists([entry('prefix', '+4474001', 'block', { expiresAt: NOW + 90_500 })], NOW);
    const reasons = reputationReasons(ctx(), lists);
    assert.equal(reasons.length, 1);
    assert.deepEqual({ ...reasons[0], details: undefined }, {
      code: 'bad_reputation', rule: 'reputation.phone', action: 'block', shadow: false,
      message: 'Phone number has bad reputation, blocking.', retryAfter: 91, details: undefined,
    });
    assert.equal(reasons[0]!.details!.value, '+4474001');
    assert.equal(combine(reasons).action, 'block');
    const permanent = reputationReasons(ctx(), new ReputationLists([entry('country', 'GB')], NOW));
    assert.equal(permanent[0]!.retryAfter, undefined, 'no retryAfter for a block until removed');
  });

  test('a blocked IP, CIDR or ASN only challenges, never blocks', () => {
    for (const e of [entry('ip', '198.51.100.7'), entry('cidr', '198.51.100.0/24'), entry('asn', '64500')]) {
      const reasons = reputationReasons(ctx(), new ReputationLists([e], NOW));
      assert.deepEqual(reasons.map((r) => [r.code, r.rule, r.action]), [['ip_reputation', 'reputation.ip', 'challenge']]);
      assert.equal(combine(reasons).action, 'challenge');
    }
  });

  test('a hosting network is recorded, and challenged only from abroad; an allowed IP lifts both IP challenges', () => {
    const empty = new ReputationLists([], NOW);
    assert.deepEqual(reputationReasons(ctx({ hosting: true, asn: 16509 }), empty).map((r) => [r.rule, r.action, r.details?.asn]), [['reputation.hosting', 'allow', 16509]]);
    assert.deepEqual(reputationReasons(ctx({ hosting: true, asn: 16509, e164: '+33612345678', region: 'FR' }), empty).map((r) => [r.rule, r.action]), [['reputation.hosting', 'challenge']]);
    assert.deepEqual(reputationReasons(ctx(), empty), []);
    const both = new ReputationLists([entry('asn', '16509'), entry('ip', '198.51.100.7', 'allow')], NOW);
    assert.deepEqual(reputationReasons(ctx({ hosting: true, asn: 16509 }), both), []);
    assert.equal(isIpAllowlisted(ctx(), both), true);
    assert.equal(reputationReasons(ctx({ hosting: true, asn: 16509, ip: '198.51.100.8' }), both).length, 2);
  });

  test('an allowed IP does not lift a phone block', () => {
    const lists = new ReputationLists([entry('ip', '198.51.100.7', 'allow'), entry('number', '+447400123456')], NOW);
    assert.deepEqual(reputationReasons(ctx(), lists).map((r) => r.rule), ['reputation.phone']);
  });

  test('an allow-listed number gets no reasons at all and is marked allow-listed and trusted', () => {
    const lists = new ReputationLists([entry('number', '+447400123456', 'allow'), entry('country', 'GB'), entry('ip', '198.51.100.7')], NOW);
    const c = ctx({ hosting: true });
    assert.deepEqual(reputationReasons(c, lists), []);
    assert.equal(isAllowlisted(c, lists), true);
    assert.equal(isTrusted(c, lists), true);
    assert.equal(isAllowlisted(ctx({ e164: '+447400123457' }), lists), false);
  });

  test('knownGood is trusted for pumping but a block entry still blocks it', () => {
    const lists = new ReputationLists([entry('number', '+447400123456')], NOW);
    const c = ctx({ knownGood: true });
    assert.equal(isTrusted(c, lists), true);
    assert.equal(isAllowlisted(c, lists), false);
    assert.equal(isTrusted(ctx(), lists), false);
    assert.equal(combine(reputationReasons(c, lists)).action, 'block');
  });

  test('no IP and no IP info: phone rules only', () => {
    const lists = new ReputationLists([entry('asn', '64500')], NOW);
    const c = { ...ctx({ ip: null }), ipInfo: null };
    assert.deepEqual(reputationReasons(c, lists), []);
  });
});
