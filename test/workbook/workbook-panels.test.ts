// Every workbook panel against a small hand-made event log, with exact expected rows: filters
// (policy, app, channel), range edges, the top-N "other" series, drill-downs, conversion and spend
// by country and prefix, the shadow-mode view, velocity; before and after the rollups are applied.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { D, ev, H, MIN, T0, workbookFixture, type WorkbookFixture } from './helpers.ts';

const X = '+14155550100'; // US
const Y = '+447700900123'; // GB
const Z = '+37120000001'; // LV, pumped block +3712000
const Z2 = '+37120000002';
const W = '+4915112345678'; // DE
const ip1 = '203.0.113.1'; // US
const ip2 = '198.51.100.7'; // RU
const P1 = { appId: 'app-web', policyId: 'B2C_1A_signin' };
const P2 = { appId: 'app-mobile', policyId: 'B2C_1A_mfa' };
const x = { phoneNumber: X, phoneRegion: 'US', ip: ip1, browser: 'Chrome', os: 'Android', channel: 'sms' as const, ...P1 };
const y = { phoneNumber: Y, phoneRegion: 'GB', ip: ip2, browser: 'Mobile Safari', os: 'iOS', channel: 'voice' as const, ...P2 };
const z = { phoneNumber: Z, phoneRegion: 'LV', ip: ip2, browser: null, os: null, channel: 'voice' as const, ...P1 };
const w = { phoneNumber: W, phoneRegion: 'DE', ip: '192.0.2.5', browser: 'Firefox', os: 'Windows', channel: 'sms' as const, ...P2 };
const us = { ipCountry: 'US' };
const ru = { ipCountry: 'RU' };
const badRep = { type: 'code.send_refused', outcome: 'failure', reason: 'bad_reputation', reasonDescription: 'Phone number has bad reputation, blocking.' } as const;

const events = [
  ev({ ...x, ...badRep, time: T0 + H, details: us }), // 1
  ev({ ...x, ...badRep, time: T0 + H + 5 * MIN, ip: ip2, details: ru }), // 2
  ev({ ...y, type: 'code.rejected', outcome: 'failure', reason: 'invalid_code', reasonDescription: 'Phone verification code is incorrect', time: T0 + 2 * H, details: ru }), // 3
  ev({ ...y, type: 'session.failed', outcome: 'failure', reason: 'too_many_attempts', reasonDescription: 'User has exceeded the number of retry attempts.', time: T0 + 26 * H, details: ru }), // 4
  ev({ ...z, time: T0 + 3 * H, cost: 0.5, details: { sendCount: 1, ...ru } }), // 5 sent
  ev({ ...z, type: 'session.expired', outcome: 'failure', reason: 'session_expired', reasonDescription: 'The phone verification session has expired.', channel: null, time: T0 + 3 * H + 10 * MIN, details: ru }), // 6
  ev({ ...z, phoneNumber: Z2, time: T0 + 4 * H, cost: 0.5, details: { sendCount: 1, decision: { action: 'allow', reasons: [{ code: 'pumping_suspected', rule: 'pumping.prefix', action: 'block', shadow: true }] }, ...ru } }), // 7
  ev({ ...z, phoneNumber: Z2, time: T0 + 4 * H + MIN, cost: 0.5, details: { sendCount: 2, ...ru } }), // 8
  ev({ ...w, time: T0 + 5 * H, cost: 0.08, details: { sendCount: 1 } }), // 9
  ev({ ...w, type: 'session.verified', time: T0 + 5 * H + MIN }), // 10
  ev({ ...x, time: T0 + 6 * H, cost: 0.0079, details: { sendCount: 1, ...us } }), // 11
  ev({ ...x, type: 'session.verified', time: T0 + 6 * H + MIN, details: us }), // 12
  ev({ ...x, type: 'code.send_refused', outcome: 'failure', reason: 'velocity_exceeded', reasonDescription: 'Too many sends from this network.', time: T0 + 7 * H,
    details: { ...us, decision: { action: 'block', reasons: [{ code: 'velocity_exceeded', rule: 'velocity.ip24', action: 'block', shadow: false }, { code: 'captcha_required', rule: 'captcha', action: 'challenge', shadow: true }] } } }), // 13
  ev({ ...w, type: 'delivery.status', outcome: 'failure', reason: 'delivery_failed', reasonDescription: 'The message could not be delivered to the phone number.', ip: null, browser: null, os: null, time: T0 + 8 * H }), // 14
  ev({ ...x, type: 'delivery.status', time: T0 + 8 * H + MIN, details: us }), // 15 success: not a failure
  ev({ ...y, type: 'session.cancelled', outcome: 'failure', reason: 'user_cancelled', time: T0 + 9 * H, details: ru }), // 16 not a failure
  ev({ ...y, type: 'code.rejected', outcome: 'client_error', reason: 'invalid_request', reasonDescription: 'The request is malformed.', time: T0 + 30 * H, details: ru }), // 17
  ev({ ...x, type: 'code.send_refused', outcome: 'client_error', reason: 'invalid_phone_number', reasonDescription: 'The phone number entered is invalid.', time: T0 + 2 * D, details: us }), // 18
];

const range = { from: T0, to: T0 + 3 * D };

function panelSuite(name: string, prepare: (fx: WorkbookFixture) => Promise<void>) {
  describe(name, () => {
    let fx: WorkbookFixture;
    before(async () => {
      fx = await workbookFixture();
      await fx.append(events);
      await prepare(fx);
    });
    after(() => fx.close());
    const s = () => fx.service;

    test('overview: total, reasons, bad reputation, IPs, phone + IP, browser, OS', async () => {
      assert.deepEqual(await s().totalFailures(range), [{ failures: 9 }]);
      assert.deepEqual(await s().failureReasons(range), [
        { reason: 'bad_reputation', reasonDescription: 'Phone number has bad reputation, blocking.', failures: 2 },
        { reason: 'delivery_failed', reasonDescription: 'The message could not be delivered to the phone number.', failures: 1 },
        { reason: 'invalid_code', reasonDescription: 'Phone verification code is incorrect', failures: 1 },
        { reason: 'invalid_phone_number', reasonDescription: 'The phone number entered is invalid.', failures: 1 },
        { reason: 'invalid_request', reasonDescription: 'The request is malformed.', failures: 1 },
        { reason: 'session_expired', reasonDescription: 'The phone verification session has expired.', failures: 1 },
        { reason: 'too_many_attempts', reasonDescription: 'User has exceeded the number of retry attempts.', failures: 1 },
        { reason: 'velocity_exceeded', reasonDescription: 'Too many sends from this network.', failures: 1 },
      ]);
      assert.deepEqual(await s().badReputation(range), [{ phoneNumber: X, failures: 2 }]);
      assert.deepEqual(await s().failedIps(range), [{ ip: ip2, failures: 5 }, { ip: ip1, failures: 3 }]);
      assert.deepEqual(await s().phoneIps(range), [
        { phoneNumber: X, ip: ip1, failures: 3 }, { phoneNumber: Y, ip: ip2, failures: 3 }, { phoneNumber: X, ip: ip2, failures: 1 }, { phoneNumber: Z, ip: ip2, failures: 1 },
      ]);
      assert.deepEqual(await s().browsers(range), [{ browser: 'Chrome', failures: 4 }, { browser: 'Mobile Safari', failures: 3 }, { browser: null, failures: 2 }]);
      assert.deepEqual(await s().operatingSystems(range), [{ os: 'Android', failures: 4 }, { os: 'iOS', failures: 3 }, { os: null, failures: 2 }]);
      assert.deepEqual(await s().failedIps(range, { limit: 1 }), [{ ip: ip2, failures: 5 }]);
    });

    test('filters: policy, app, channel; range edges are [from, to)', async () => {
      const p2 = { ...range, policyId: P2.policyId };
      assert.deepEqual(await s().totalFailures(p2), [{ failures: 4 }]);
      assert.deepEqual((await s().failureReasons(p2)).map((r) => [r.reason, r.failures]), [['delivery_failed', 1], ['invalid_code', 1], ['invalid_request', 1], ['too_many_attempts', 1]]);
      assert.deepEqual(await s().totalFailures({ ...range, appId: 'app-mobile' }), [{ failures: 4 }]);
      assert.deepEqual(await s().failedPhones({ ...range, channel: 'voice' }), [{ phoneNumber: Y, failures: 3 }], 'session.expired has no channel');
      assert.deepEqual(await s().totalFailures({ ...range, policyId: 'nope' }), [{ failures: 0 }]);
      // #2 sits on `from` (in), #4 on `to` (out); the edges are raw events, the middle rollups.
      const edges = { from: T0 + H + 5 * MIN, to: T0 + 26 * H };
      assert.deepEqual(await s().totalFailures(edges), [{ failures: 5 }]);
      assert.deepEqual(await s().failedPhones(edges), [{ phoneNumber: X, failures: 2 }, { phoneNumber: W, failures: 1 }, { phoneNumber: Y, failures: 1 }, { phoneNumber: Z, failures: 1 }].sort((a, b) => b.failures - a.failures || (a.phoneNumber < b.phoneNumber ? -1 : 1)));
      assert.deepEqual(await s().totalFailures({ from: T0 + 26 * H, to: T0 + 26 * H + 1 }), [{ failures: 1 }]);
      assert.deepEqual(await s().totalFailures({ range: '7d' }), [{ failures: 0 }], 'the clock is 10 days later');
    });

    test('details: per policy, time charts with top N and "other", drill-downs', async () => {
      assert.deepEqual(await s().policyFailures(range), [{ policyId: P1.policyId, failures: 5 }, { policyId: P2.policyId, failures: 4 }]);
      assert.deepEqual(await s().failedPhones(range), [{ phoneNumber: X, failures: 4 }, { phoneNumber: Y, failures: 3 }, { phoneNumber: Z, failures: 1 }, { phoneNumber: W, failures: 1 }]);
      // 8 days: daily bins; top 1 is X, everything else is "other".
      const chart = await s().phoneTimechart({ from: T0, to: T0 + 8 * D }, { limit: 1 });
      const expected = [[3, 3], [0, 2], [1, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]].flatMap(([top, other], day) => [
        { bin: T0 + day! * D, series: X, other: false, failures: top },
        { bin: T0 + day! * D, series: null, other: true, failures: other },
      ]);
      assert.deepEqual(chart, expected);
      const byPolicy = await s().policyTimechart({ from: T0, to: T0 + 8 * D });
      assert.deepEqual(byPolicy.filter((r) => r.failures > 0), [
        { bin: T0, series: P1.policyId, other: false, failures: 4 }, { bin: T0, series: P2.policyId, other: false, failures: 2 },
        { bin: T0 + D, series: P2.policyId, other: false, failures: 2 }, { bin: T0 + 2 * D, series: P1.policyId, other: false, failures: 1 },
      ]);
      // 3 days: hourly bins.
      const byIp = await s().ipTimechart(range, { limit: 5 });
      assert.equal(byIp.length, 72 * 3, 'two IPs and "other" (the delivery callback without an IP) per hour');
      assert.deepEqual(byIp.filter((r) => r.failures > 0 && r.bin < T0 + 2 * H), [
        { bin: T0 + H, series: ip2, other: false, failures: 1 }, { bin: T0 + H, series: ip1, other: false, failures: 1 },
      ]);
      const detail = await s().phoneDetails({ ...range, phoneNumber: X });
      assert.deepEqual(detail.map((r) => [r.time, r.reason, r.ip, r.ipCountry]), [
        [T0 + 2 * D, 'invalid_phone_number', ip1, 'US'], [T0 + 7 * H, 'velocity_exceeded', ip1, 'US'], [T0 + H + 5 * MIN, 'bad_reputation', ip2, 'RU'], [T0 + H, 'bad_reputation', ip1, 'US'],
      ]);
      assert.deepEqual(detail[3], {
        time: T0 + H, type: 'code.send_refused', outcome: 'failure', reason: 'bad_reputation', reasonDescription: 'Phone number has bad reputation, blocking.',
        phoneNumber: X, ip: ip1, ipCountry: 'US', phoneRegion: 'US', browser: 'Chrome', os: 'Android', channel: 'sms', cost: 0,
        appId: P1.appId, policyId: P1.policyId, sessionId: events[0]!.sessionId, correlationId: null,
      });
      assert.deepEqual((await s().ipDetails({ ...range, ip: ip2, policyId: P2.policyId })).map((r) => r.reason), ['invalid_request', 'too_many_attempts', 'invalid_code']);
      await assert.rejects(s().phoneDetails(range), /needs phoneNumber/);
    });

    test('fraud: IP and destination countries vs expected, velocity', async () => {
      const expectedRegions = ['US', 'GB'];
      assert.deepEqual(await s().ipCountries(range, { expectedRegions }), [
        { ipCountry: 'RU', expected: false, failures: 5 }, { ipCountry: 'US', expected: true, failures: 3 }, { ipCountry: null, expected: null, failures: 1 },
      ]);
      assert.deepEqual(await s().destinationCountries(range, { expectedRegions }), [
        { phoneRegion: 'US', expected: true, failures: 4 }, { phoneRegion: 'GB', expected: true, failures: 3 },
        { phoneRegion: 'DE', expected: false, failures: 1 }, { phoneRegion: 'LV', expected: false, failures: 1 },
      ]);
      assert.deepEqual(await s().velocity(range), [
        { day: T0, phoneNumber: X, failures: 3 }, { day: T0 + D, phoneNumber: Y, failures: 2 }, { day: T0 + 2 * D, phoneNumber: X, failures: 1 },
        { day: T0, phoneNumber: Z, failures: 1 }, { day: T0, phoneNumber: Y, failures: 1 }, { day: T0, phoneNumber: W, failures: 1 },
      ]);
      assert.deepEqual(await s().velocity({ from: T0 + 12 * H, to: T0 + 3 * D }, { limit: 2 }), [{ day: T0 + D, phoneNumber: Y, failures: 2 }, { day: T0 + 2 * D, phoneNumber: X, failures: 1 }]);
    });

    test('fraud: conversion and spend by country and prefix, shadow-mode rules', async () => {
      assert.deepEqual(await s().conversionByCountry(range), [
        { phoneRegion: 'LV', sessionsWithCode: 2, verifiedSessions: 0, conversionRate: 0, sends: 3, spend: 1.5, failures: 1 },
        { phoneRegion: 'DE', sessionsWithCode: 1, verifiedSessions: 1, conversionRate: 1, sends: 1, spend: 0.08, failures: 1 },
        { phoneRegion: 'US', sessionsWithCode: 1, verifiedSessions: 1, conversionRate: 1, sends: 1, spend: 0.0079, failures: 4 },
        { phoneRegion: 'GB', sessionsWithCode: 0, verifiedSessions: 0, conversionRate: null, sends: 0, spend: 0, failures: 3 },
      ]);
      assert.deepEqual(await s().conversionByPrefix(range), [
        { prefix: '+3712000', phoneRegion: 'LV', sessionsWithCode: 2, verifiedSessions: 0, conversionRate: 0, sends: 3, spend: 1.5, failures: 1 },
        { prefix: '+491511234', phoneRegion: 'DE', sessionsWithCode: 1, verifiedSessions: 1, conversionRate: 1, sends: 1, spend: 0.08, failures: 1 },
        { prefix: '+1415555', phoneRegion: 'US', sessionsWithCode: 1, verifiedSessions: 1, conversionRate: 1, sends: 1, spend: 0.0079, failures: 4 },
      ]);
      assert.deepEqual(await s().shadowRules(range), [
        { rule: 'captcha', code: 'captcha_required', shadowAction: 'challenge', happened: 'code.send_refused', enforcedAction: 'block', events: 1 },
        { rule: 'pumping.prefix', code: 'pumping_suspected', shadowAction: 'block', happened: 'code.sent', enforcedAction: 'allow', events: 1 },
      ]);
      assert.deepEqual(await s().shadowRules({ ...range, channel: 'voice' }), [
        { rule: 'pumping.prefix', code: 'pumping_suspected', shadowAction: 'block', happened: 'code.sent', enforcedAction: 'allow', events: 1 },
      ]);
    });

    test('CSV export of a panel: header, ISO times, guarded phone numbers', async () => {
      assert.equal(await s().csv('bad-reputation', range), `phoneNumber,failures\r\n'${X},2\r\n`);
      const csv = await s().csv('velocity', range, { limit: 1 });
      assert.equal(csv, `phoneNumber,day,failures\r\n'${X},2025-01-15T00:00:00.000Z,3\r\n`);
    });
  });
}

panelSuite('panels, rollups applied', async (fx) => {
  await fx.service.refresh();
});
panelSuite('panels, nothing rolled up yet (raw events past the watermark)', async () => {});
panelSuite('panels, rollups applied in two steps with events in between', async (fx) => {
  fx.db.prepare('DELETE FROM wb_rollup').run();
  await fx.service.rebuild();
  await fx.append([ev({ ...x, type: 'code.sent', time: T0 + 20 * D })]); // outside every range tested
  await fx.service.refresh();
});
