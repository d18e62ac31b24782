// The workbook panels' JSON and CSV API through the real app: credentials (cookie session or admin
// API token, viewer role at least), masking for viewers in JSON and CSV, filters as query
// parameters, CSV headers and content, unknown panels, and 400s (never 500s) for bad parameters.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEV_KEY } from '../helpers/test-tollgate.ts';
import { type DashboardWorld, generateFailures, IP, NUMBERS, PUMPED_BLOCK, pumpBlock, startDashboard } from './dashboard-helpers.ts';

let w: DashboardWorld;
before(async () => {
  w = await startDashboard();
  await generateFailures(w.t);
});
after(async () => w?.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const api = (path: string, who: 'admin' | 'viewer' | 'viewer-cookie' | 'admin-cookie') => {
  if (who === 'admin') return w.get(path, null, bearer(w.adminToken));
  if (who === 'viewer') return w.get(path, null, bearer(w.viewerToken));
  return w.get(path, who === 'admin-cookie' ? w.adminCookie : w.viewerCookie);
};
const P = '/v1/admin/workbook/panels';
const fullNumbers = Object.values(NUMBERS);

describe('credentials', () => {
  test('no credentials, a wrong token or an app API key: 401, for JSON and CSV alike', async () => {
    for (const path of [`${P}/failure-reasons`, `${P}/failure-reasons.csv`, P, `${P}/no-such-panel`]) {
      for (const headers of [{}, bearer('tg_nope'), bearer(DEV_KEY)]) {
        const r = await w.get(path, null, headers);
        assert.equal(r.status, 401, `${path} ${JSON.stringify(headers)}`);
        assert.equal(r.json().error.code, 'unauthorized');
        assert.equal(r.headers['www-authenticate'], 'Bearer');
      }
    }
  });

  test('a viewer (token or sign-in cookie) may read; the list names every panel', async () => {
    const list = await api(P, 'viewer');
    assert.equal(list.status, 200);
    const ids = list.json().panels.map((p: { id: string }) => p.id);
    for (const id of ['total-failures', 'failure-reasons', 'phone-details', 'velocity', 'shadow-rules', 'suspensions']) assert.ok(ids.includes(id), id);
    const viaCookie = await api(`${P}/total-failures`, 'viewer-cookie');
    assert.equal(viaCookie.status, 200);
    assert.deepEqual(viaCookie.json().rows, [{ failures: 6 }]);
    assert.equal(viaCookie.headers['cache-control'], 'no-store');
  });
});

describe('JSON', () => {
  test('rows, columns and the resolved filters', async () => {
    const r = await api(`${P}/failure-reasons?range=7d`, 'admin');
    assert.equal(r.status, 200);
    const body = r.json();
    assert.equal(body.panel, 'failure-reasons');
    assert.equal(body.tab, 'overview');
    assert.deepEqual(body.columns, ['reason', 'reasonDescription', 'failures']);
    assert.deepEqual(body.rows.map((x: { reason: string; failures: number }) => [x.reason, x.failures]), [['invalid_code', 3], ['country_not_allowed', 2], ['bad_reputation', 1]]);
    assert.equal(body.filters.range, '7d');
    assert.equal(Date.parse(body.filters.to) - Date.parse(body.filters.from), 7 * 86_400_000);
    assert.equal(body.fullNumbers, true);
  });

  test('admins get full numbers; viewers masked ones with an opaque reference that drills down', async () => {
    const admin = (await api(`${P}/phone-ips`, 'admin')).json();
    assert.ok(admin.rows.some((r: { phoneNumber: string; ip: string }) => r.phoneNumber === NUMBERS.nigeria && r.ip === IP.ng));
    assert.ok(admin.rows.every((r: object) => !('phoneRef' in r)));

    const viewerRes = await api(`${P}/phone-ips`, 'viewer');
    for (const n of fullNumbers) assert.ok(!viewerRes.body.includes(n) && !viewerRes.body.includes(n.slice(1)), `${n} is not in the viewer's JSON`);
    const viewer = viewerRes.json();
    assert.equal(viewer.fullNumbers, false);
    const ng = viewer.rows.find((r: { ip: string }) => r.ip === IP.ng);
    assert.equal(ng.phoneNumber, '+234 ••••••4567');
    assert.match(ng.phoneRef, /^[A-Za-z0-9_-]{24,}$/);
    // The reference opens the number's details, still masked.
    const details = await api(`${P}/phone-details?phoneRef=${ng.phoneRef}`, 'viewer');
    assert.equal(details.status, 200);
    assert.equal(details.json().rows.length, 2);
    assert.ok(details.json().rows.every((r: { phoneNumber: string; reason: string }) => r.phoneNumber === '+234 ••••••4567' && r.reason === 'country_not_allowed'));
    assert.ok(!details.body.includes(NUMBERS.nigeria));
    // Every panel with numbers is masked for viewers: velocity, the phone time chart's series, IP details.
    for (const path of [`${P}/velocity`, `${P}/failed-phones`, `${P}/bad-reputation`, `${P}/phone-timechart`, `${P}/ip-details?ip=${IP.gb}`]) {
      const r = await api(path, 'viewer');
      assert.equal(r.status, 200, path);
      for (const n of fullNumbers) assert.ok(!r.body.includes(n) && !r.body.includes(n.slice(1)), `${path}: ${n}`);
    }
    const chart = (await api(`${P}/phone-timechart`, 'viewer')).json();
    assert.ok(chart.rows.some((r: { series: string | null; seriesRef?: string }) => r.series === '+44 ••••••3456' && typeof r.seriesRef === 'string'));
  });

  test('filters as query parameters change the rows', async () => {
    const voice = (await api(`${P}/failure-reasons?channel=voice`, 'admin')).json();
    assert.deepEqual(voice.rows.map((r: { reason: string; failures: number }) => [r.reason, r.failures]), [['invalid_code', 1]]);
    const policy = (await api(`${P}/failed-phones?policy=B2C_1A_Factors`, 'admin')).json();
    assert.deepEqual(policy.rows, [{ phoneNumber: NUMBERS.verified, failures: 1 }]);
    const limited = (await api(`${P}/failed-phones?limit=2`, 'admin')).json();
    assert.equal(limited.rows.length, 2);
    const now = w.t.tg.clock.now();
    const before = (await api(`${P}/total-failures?from=${now - 86_400_000 * 3}&to=${now - 86_400_000 * 2}`, 'admin')).json();
    assert.deepEqual(before.rows, [{ failures: 0 }]);
    const byIp = (await api(`${P}/ip-details?ip=${IP.ru}`, 'admin')).json();
    assert.deepEqual(byIp.rows.map((r: { phoneNumber: string; reason: string }) => [r.phoneNumber, r.reason]), [[NUMBERS.blocked, 'bad_reputation']]);
    const conversion = (await api(`${P}/conversion-by-country`, 'admin')).json();
    const us = conversion.rows.find((r: { phoneRegion: string }) => r.phoneRegion === 'US');
    assert.deepEqual([us.sessionsWithCode, us.verifiedSessions, us.conversionRate], [1, 1, 1]);
  });

  test('the automatic suspensions table is there too (the detector state now)', async () => {
    const r = await api(`${P}/suspensions`, 'viewer');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json().columns, ['scope', 'key', 'country', 'channel', 'level', 'action', 'state', 'since', 'until', 'lastKnockAt', 'signal']);
    assert.deepEqual(r.json().rows, []);
  });
});

describe('CSV', () => {
  test('attachment with a file name, RFC 4180 lines, full numbers for admins', async () => {
    const r = await api(`${P}/phone-ips.csv?range=7d`, 'admin-cookie');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/csv; charset=utf-8');
    assert.match(String(r.headers['content-disposition']), /^attachment; filename="tollgate-phone-ips-\d{8}T\d{4}Z-\d{8}T\d{4}Z\.csv"$/);
    assert.equal(r.headers['cache-control'], 'no-store');
    const lines = r.body.split('\r\n');
    assert.equal(lines[0], 'phoneNumber,ip,failures');
    // Numbers start with "+": written formula-safe, as the workbook's CSV does.
    assert.ok(lines.includes(`'${NUMBERS.nigeria},${IP.ng},2`), r.body);
    assert.equal(lines.at(-1), '', 'CRLF after the last line');
  });

  test('viewers get masked numbers in CSV too; ?format=csv is the same as .csv', async () => {
    const r = await api(`${P}/velocity?format=csv`, 'viewer');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-disposition']), /filename="tollgate-velocity-/);
    const lines = r.body.split('\r\n');
    assert.equal(lines[0], 'phoneNumber,day,failures');
    assert.match(lines[1]!, /^'\+234 ••••••4567,\d{4}-\d{2}-\d{2}T00:00:00\.000Z,2$/);
    for (const n of fullNumbers) assert.ok(!r.body.includes(n) && !r.body.includes(n.slice(1)), n);
  });

  test('time columns as ISO 8601; an empty panel is just its header', async () => {
    const details = await api(`${P}/phone-details.csv?phone=${encodeURIComponent(NUMBERS.wrongVoice)}`, 'admin');
    const [header, row] = details.body.split('\r\n');
    assert.equal(header, 'time,type,outcome,reason,reasonDescription,phoneNumber,ip,ipCountry,phoneRegion,browser,os,channel,cost,appId,policyId,sessionId,correlationId');
    assert.match(row!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z,code\.rejected,failure,invalid_code,Phone verification code is incorrect,'\+33612345678,193\.0\.6\.139,NL,FR,Firefox,Linux,voice,0,demo,B2C_1A_TollgateDemo,/);
    const empty = await api(`${P}/shadow-rules.csv`, 'admin');
    assert.equal(empty.body, 'rule,code,shadowAction,happened,enforcedAction,events\r\n');
    const suspensions = await api(`${P}/suspensions.csv`, 'admin');
    assert.equal(suspensions.body, 'scope,key,country,channel,level,action,state,since,until,lastKnockAt,signal\r\n');
  });
});

describe('errors', () => {
  test('unknown panel: 404 not_found', async () => {
    for (const name of ['no-such-panel', 'no-such-panel.csv', 'constructor', '__proto__', 'failure-reasons.xlsx', '.csv']) {
      const r = await api(`${P}/${encodeURIComponent(name)}`, 'viewer');
      assert.equal(r.status, 404, name);
      assert.equal(r.json().error.code, 'not_found');
    }
  });

  const bad: [string, string][] = [
    ['failure-reasons?range=6d', 'range'],
    ['failure-reasons?range=7d&from=2026-01-01', 'range'],
    ['failure-reasons?from=tomorrow', 'from'],
    ['failure-reasons?channel=fax', 'channel'],
    ['failure-reasons?policy=*', 'policy'],
    ['failure-reasons?limit=many', 'limit'],
    ['failure-reasons?format=xlsx', 'format'],
    ['failure-reasons.csv?format=json', 'format'],
    ['failure-reasons?color=blue', ''],
    ['failure-reasons?range=1d&range=7d', 'range'],
    ['phone-details', 'phone'],
    ['ip-details', 'ip'],
    ['phone-details?phoneRef=AAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'phoneRef'],
    ['ip-details?ip=999.1.1.1', 'ip'],
  ];
  for (const [query, field] of bad) {
    test(`${query} → 400 invalid_request${field ? ` on ${field}` : ''}`, async () => {
      const r = await api(`${P}/${query}`, 'viewer');
      assert.equal(r.status, 400, r.body);
      const e = r.json().error;
      assert.equal(e.code, 'invalid_request');
      if (field) assert.equal(e.field, field);
      else assert.match(e.message, /color/);
    });
  }

  test('junk never causes a 500', async () => {
    const junk = ['?from=99999999999999999999', `?app=${'a'.repeat(3000)}`, '?ip=%00', '?phone=%2B%2B%2B', '?limit=0', '?limit=99999', '?to=1', '?channel[x]=1'];
    for (const id of ['failure-reasons', 'phone-details', 'velocity', 'suspensions', 'phone-timechart']) {
      for (const q of junk) {
        const r = await api(`${P}/${id}${q}`, 'admin');
        assert.ok(r.status === 200 || r.status === 400, `${id}${q}: ${r.status} ${r.body.slice(0, 200)}`);
      }
    }
  });
});

describe('after a pumping run', () => {
  test('the detector suspends the number block; the suspensions table and its CSV show it', async () => {
    await pumpBlock(w.t);
    const r = await api(`${P}/suspensions`, 'viewer');
    const block = r.json().rows.find((s: { key: string }) => s.key === PUMPED_BLOCK);
    assert.ok(block, JSON.stringify(r.json().rows));
    assert.deepEqual([block.scope, block.country, block.action, block.state], ['prefix3', 'GB', 'block', 'active']);
    assert.ok(block.until > block.since);
    const csv = await api(`${P}/suspensions.csv`, 'viewer');
    const line = csv.body.split('\r\n').find((l) => l.startsWith(`prefix3,'${PUMPED_BLOCK},GB,`));
    assert.match(line ?? '', /^prefix3,'\+447400987,GB,,\d,block,active,\d{4}-\d{2}-\d{2}T[\d:.]+Z,\d{4}-\d{2}-\d{2}T[\d:.]+Z,\d{4}-\d{2}-\d{2}T[\d:.]+Z,[a-z-]+$/);
    // The refused sends of the run are failures like any other.
    const reasons = (await api(`${P}/failure-reasons`, 'admin')).json().rows.map((x: { reason: string }) => x.reason);
    assert.ok(reasons.includes('pumping_suspected'), reasons.join());
  });
});
