// The dashboard pages through the real app: sign-in redirect, the three tabs for admins and
// viewers (masked numbers, no row controls for viewers), filters in the URL, drill-downs, invalid
// filters as a 400 page with a message, and no 500 whatever the query string holds.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type DashboardWorld, generateFailures, IP, NUMBERS, PUMPED_BLOCK, pumpBlock, startDashboard } from './dashboard-helpers.ts';

let w: DashboardWorld;
before(async () => {
  const config = join(mkdtempSync(join(tmpdir(), 'tollgate-dashboard-')), 'tollgate.yaml');
  writeFileSync(config, 'defense:\n  location:\n    mode: shadow\n    allowedRegions: [GB, US, FR]\n    action: block\nworkbook:\n  expectedRegions: [GB, US, FR]\n');
  w = await startDashboard({ TOLLGATE_CONFIG: config });
  await generateFailures(w.t);
});
after(async () => w?.close());

const total = (body: string) => /id="tg-tile-total-failures"[^]*?tg-wb-tile-value">([\d,]+)</.exec(body)?.[1];
/** The text of one panel's section. */
const panel = (body: string, id: string) => new RegExp(`<section[^>]* id="tg-panel-${id}"[^]*?</section>`).exec(body)?.[0] ?? '';
const fullNumbers = Object.values(NUMBERS);
/** A number in any form a page could leak it: E.164, its digits, URL-encoded. */
const leaks = (body: string) => fullNumbers.filter((n) => body.includes(n) || body.includes(n.slice(1)) || body.includes(encodeURIComponent(n)));

describe('signed out', () => {
  test('the pages send the browser to sign in, coming back to the same page and filters', async () => {
    const overview = await w.get('/admin', null);
    assert.equal(overview.status, 303);
    assert.equal(overview.headers.location, '/admin/sign-in');
    const fraud = await w.get('/admin/fraud?range=7d&channel=sms', null);
    assert.equal(fraud.status, 303);
    assert.equal(fraud.headers.location, `/admin/sign-in?next=${encodeURIComponent('/admin/fraud?range=7d&channel=sms')}`);
    const junk = await w.get('/admin/details', 'tg_admin=not-a-session');
    assert.equal(junk.status, 303);
  });
});

describe('admin', () => {
  test('Overview: the totals, every panel, full numbers, row controls, CSV links, charts data', async () => {
    const r = await w.get('/admin', w.adminCookie);
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /text\/html/);
    assert.match(String(r.headers['content-security-policy']), /script-src 'self'; style-src 'self'/);
    assert.equal(total(r.body), '6');
    assert.match(panel(r.body, 'failure-reasons'), /<code>invalid_code<\/code><\/td><td>Phone verification code is incorrect<\/td><td class="tg-num">3</);
    assert.match(panel(r.body, 'failure-reasons'), /<code>country_not_allowed<\/code>[^]*?<td class="tg-num">2</);
    assert.match(panel(r.body, 'bad-reputation'), new RegExp(`>\\${NUMBERS.blocked}</a>`));
    assert.match(panel(r.body, 'failed-ips'), new RegExp(`>${IP.ng.replaceAll('.', '\\.')}</a></td><td class="tg-num">2<`));
    assert.match(panel(r.body, 'phone-ips'), new RegExp(`\\${NUMBERS.nigeria}</a></td><td><a [^>]*>${IP.ng.replaceAll('.', '\\.')}</a>`));
    assert.match(panel(r.body, 'browsers'), /<td>Chrome<\/td><td class="tg-num">3</);
    assert.match(panel(r.body, 'operating-systems'), /<td>Windows<\/td><td class="tg-num">3</);
    // Numbers link into the Details drill-down; IPs too.
    assert.match(r.body, new RegExp(`href="/admin/details\\?phone=${encodeURIComponent(NUMBERS.blocked)}#tg-drill"`));
    assert.match(r.body, /href="\/admin\/details\?ip=41\.58\.0\.1#tg-drill"/);
    // Row actions: number, its prefix (the number minus 3 digits), IP; with the CSRF field.
    assert.match(r.body, new RegExp(`<form method="post" action="/admin/mitigations" class="tg-mitigate" data-kind="number" data-value="\\${NUMBERS.blocked}">`));
    assert.match(r.body, new RegExp(`data-kind="prefix" data-value="\\${NUMBERS.blocked.slice(0, -3)}"`));
    assert.match(r.body, /data-kind="ip" data-value="41\.58\.0\.1"/);
    assert.match(r.body, /<input type="hidden" name="returnTo" value="\/admin">/);
    // Every table has its CSV export, with the page's filters.
    for (const id of ['failure-reasons', 'bad-reputation', 'failed-ips', 'phone-ips', 'browsers', 'operating-systems']) {
      assert.match(r.body, new RegExp(`href="/v1/admin/workbook/panels/${id}\\.csv\\?limit=1000" download`), id);
    }
    // Self-hosted chart libraries, the page script, and the data island (not executed).
    assert.match(r.body, /<script src="\/assets\/vendor\/uplot\/uPlot\.iife\.min\.js\?v=[\d.]+" defer><\/script>/);
    assert.match(r.body, /<script src="\/assets\/vendor\/chartjs\/chart\.umd\.min\.js\?v=[\d.]+" defer><\/script>/);
    assert.match(r.body, /<script src="\/assets\/admin-workbook\.js\?v=\w+" defer><\/script>/);
    const island = JSON.parse(/<script type="application\/json" id="tg-wb-chart-data">([^<]*)<\/script>/.exec(r.body)![1]!);
    assert.deepEqual(island.bars[0], { id: 'failure-reasons', title: 'Failure reasons', labels: ['invalid_code', 'country_not_allowed', 'bad_reputation'], values: [3, 2, 1], measure: 'Failures' });
  });

  test('the chart libraries and the page script are served from this origin', async () => {
    for (const path of ['/assets/vendor/uplot/uPlot.iife.min.js', '/assets/vendor/chartjs/chart.umd.min.js', '/assets/admin-workbook.js']) {
      const r = await w.get(path, null);
      assert.equal(r.status, 200, path);
      assert.match(String(r.headers['content-type']), /javascript/, path);
    }
    assert.match(String((await w.get('/assets/vendor/uplot/uPlot.min.css', null)).headers['content-type']), /text\/css/);
    // Only the listed dist files: nothing else of the packages.
    assert.equal((await w.get('/assets/vendor/uplot/uPlot.esm.js', null)).status, 404);
    assert.equal((await w.get('/assets/vendor/chartjs/../../../package.json', null)).status, 404);
  });

  test('Details: per policy, time charts, the numbers to pick from, and a number drilled into', async () => {
    const r = await w.get('/admin/details', w.adminCookie);
    assert.equal(r.status, 200);
    assert.match(panel(r.body, 'policy-failures'), /<td>B2C_1A_TollgateDemo<\/td><td class="tg-num">5<\/td>[^]*<td>B2C_1A_Factors<\/td><td class="tg-num">1</);
    for (const id of ['phone-timechart', 'policy-timechart', 'ip-timechart']) {
      assert.match(panel(r.body, id), new RegExp(`id="tg-chart-${id}"`), id);
      assert.match(panel(r.body, id), /<details class="tg-wb-data" open><summary>Data table<\/summary>/, `${id}: the table is there without JS`);
    }
    // 30 days: daily bins; the pivot's columns are the series, numbers linking to their drill-down.
    assert.match(panel(r.body, 'policy-timechart'), /<th scope="col" class="tg-num">B2C_1A_TollgateDemo<\/th>/);
    assert.match(panel(r.body, 'phone-timechart'), new RegExp(`<th scope="col" class="tg-num"><a class="tg-wb-number" href="/admin/details\\?phone=${encodeURIComponent(NUMBERS.nigeria)}#tg-drill">`));
    assert.match(panel(r.body, 'failed-phones'), new RegExp(`\\${NUMBERS.nigeria}</a></td><td class="tg-num">2<`));
    assert.doesNotMatch(r.body, /id="tg-panel-phone-details"/, 'no drill-down until a number is picked');

    const drill = await w.get(`/admin/details?range=7d&phone=${encodeURIComponent(NUMBERS.wrongSms)}`, w.adminCookie);
    assert.equal(drill.status, 200);
    const rows = panel(drill.body, 'phone-details');
    assert.match(rows, /<td><time datetime="[^"]+">\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC<\/time><\/td><td><a class="tg-wb-ip" href="\/admin\/details\?range=7d&amp;ip=81\.2\.69\.142#tg-drill">81\.2\.69\.142<\/a><\/td><td>GB<\/td><td>GB<\/td><td>Mobile Safari<\/td><td>iOS<\/td><td><code>invalid_code<\/code>/);
    assert.match(rows, /<td>sms<\/td><td class="tg-num">\$0\.00<\/td>/);
    assert.match(drill.body, new RegExp(`Failures of <strong class="tg-wb-number">\\${NUMBERS.wrongSms}</strong>`));
    assert.match(drill.body, new RegExp(`data-kind="number" data-value="\\${NUMBERS.wrongSms}"`));
    assert.match(drill.body, /<input type="hidden" name="phone" value="\+447400123456">/, 'the filter bar keeps the drill-down');
    assert.match(drill.body, /href="\/v1\/admin\/workbook\/panels\/phone-details\.csv\?range=7d&amp;phone=%2B447400123456&amp;limit=1000"/);
    // The search box takes a number as people type it.
    const typed = await w.get(`/admin/details?phone=${encodeURIComponent('+44 7400 123456')}`, w.adminCookie);
    assert.equal(typed.status, 200);
    assert.match(panel(typed.body, 'phone-details'), /invalid_code/);

    const byIp = await w.get(`/admin/details?ip=${IP.ng}`, w.adminCookie);
    const ipRows = panel(byIp.body, 'ip-details');
    assert.equal((ipRows.match(/<tr><td><time/g) ?? []).length, 2);
    assert.match(ipRows, /country_not_allowed/);
    assert.match(byIp.body, /data-kind="ip" data-value="41\.58\.0\.1"/);
  });

  test('Fraud: expected regions, destinations, velocity, conversion, suspensions, shadow rules, DB-IP attribution', async () => {
    const r = await w.get('/admin/fraud', w.adminCookie);
    assert.equal(r.status, 200);
    assert.match(r.body, /Sign-ups are expected from <strong>GB, US, FR<\/strong>/);
    assert.match(panel(r.body, 'destination-countries'), /<td>NG<\/td><td><span class="tg-wb-flag">not expected<\/span><\/td><td class="tg-num">2</);
    assert.match(panel(r.body, 'destination-countries'), /data-kind="country" data-value="NG"/);
    assert.match(panel(r.body, 'velocity'), new RegExp(`\\${NUMBERS.nigeria}</a></td><td><time datetime="\\d{4}-\\d{2}-\\d{2}">\\d{4}-\\d{2}-\\d{2}</time></td><td class="tg-num">2<`));
    assert.match(panel(r.body, 'conversion-by-country'), /<td>US<\/td><td class="tg-num">1<\/td><td class="tg-num">1<\/td><td class="tg-num">100\.0 %<\/td><td class="tg-num">1<\/td><td class="tg-num">\$0\.0079<\/td>/);
    assert.match(panel(r.body, 'conversion-by-prefix'), /<code>\+44740012<\/code>[^]*data-kind="prefix" data-value="\+44740012"/);
    assert.match(panel(r.body, 'suspensions'), /Nothing is suspended\./);
    assert.match(panel(r.body, 'suspensions'), /href="\/v1\/admin\/workbook\/panels\/suspensions\.csv\?limit=1000"/);
    const shadow = panel(r.body, 'shadow-rules');
    assert.match(shadow, /Rules in shadow mode show what they would have done, beside what happened\./);
    assert.match(shadow, /<code>location<\/code><\/td><td><code>location_not_allowed<\/code><\/td><td><strong>block<\/strong><\/td><td>code sent<\/td><td>allow<\/td>/);
    assert.match(r.body, /<p class="tg-hint tg-wb-attribution">IP geolocation by DB-IP \(<a href="https:\/\/db-ip\.com" rel="noopener noreferrer">https:\/\/db-ip\.com<\/a>\), CC BY 4\.0<\/p>/);
  });
});

describe('filters in the URL', () => {
  test('channel, policy and app narrow every panel; tabs and CSV links keep them', async () => {
    const voice = await w.get('/admin?channel=voice', w.adminCookie);
    assert.equal(total(voice.body), '1');
    assert.match(voice.body, /<option value="voice" selected>Voice<\/option>/);
    assert.match(voice.body, /<a href="\/admin\/fraud\?channel=voice">Fraud<\/a>/);
    assert.match(voice.body, /href="\/v1\/admin\/workbook\/panels\/failure-reasons\.csv\?channel=voice&amp;limit=1000"/);
    assert.equal(total((await w.get('/admin?channel=email', w.adminCookie)).body), '0');
    assert.equal(total((await w.get('/admin?policy=B2C_1A_Factors', w.adminCookie)).body), '1');
    assert.equal(total((await w.get('/admin?app=demo&channel=sms', w.adminCookie)).body), '5');
    assert.equal(total((await w.get('/admin?app=another-app', w.adminCookie)).body), '0');
  });

  test('time range: presets move with the clock, a custom range stays put', async () => {
    const now = w.t.tg.clock.now();
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    // Two hours on, a sign-in session would be idle: this test looks through an API token instead.
    const get = (url: string) => w.get(url, null, { authorization: `Bearer ${w.adminToken}` });
    const custom = `/admin?range=custom&from=${iso(now - 3_600_000)}&to=${iso(now + 60_000)}`;
    assert.equal(total((await get(custom)).body), '6');
    w.t.advance(2 * 3_600_000);
    try {
      assert.equal(total((await get('/admin?range=1h')).body), '0');
      assert.equal(total((await get('/admin?range=4h')).body), '6');
      const page = await get(custom);
      assert.equal(total(page.body), '6', 'a custom range is absolute');
      assert.match(page.body, /<option value="custom" selected>/);
      assert.match(page.body, new RegExp(`<input type="datetime-local" id="tg-f-from" name="from" value="${iso(now - 3_600_000)}">`));
      // Links repeat the custom range (without range=custom).
      assert.match(page.body, new RegExp(`<a href="/admin/details\\?from=${encodeURIComponent(iso(now - 3_600_000))}&amp;to=`));
      // Epoch milliseconds work too.
      assert.equal(total((await get(`/admin?from=${now - 3_600_000}&to=${now + 60_000}`)).body), '6');
      // On a page a preset wins over From/To left in the form.
      assert.equal(total((await get(`/admin?range=1h&from=${iso(now - 3_600_000)}&to=`)).body), '0');
    } finally {
      w.t.tg.manualClock!.set(now);
    }
  });
});

describe('viewer', () => {
  test('sees every tab with masked numbers only, and no row controls', async () => {
    for (const path of ['/admin', '/admin/details', '/admin/fraud']) {
      const r = await w.get(path, w.viewerCookie);
      assert.equal(r.status, 200, path);
      assert.deepEqual(leaks(r.body), [], `${path}: no full number in the page`);
      assert.doesNotMatch(r.body, /class="tg-mitigate"/, `${path}: no block / allow`);
      assert.doesNotMatch(r.body, /<th scope="col">Actions<\/th>/, path);
      assert.match(r.body, /\(<span class="tg-admin-role">viewer<\/span>\)/);
    }
    const overview = await w.get('/admin', w.viewerCookie);
    assert.equal(total(overview.body), '6');
    assert.match(panel(overview.body, 'bad-reputation'), />\+44 ••••••3400<\/a>/);
  });

  test('drills into a number through an opaque reference, never the number', async () => {
    const list = await w.get('/admin/details', w.viewerCookie);
    const link = new RegExp(`<a class="tg-wb-number" href="(/admin/details\\?phoneRef=[A-Za-z0-9_-]+#tg-drill)">\\+44 ••••••3456</a>`).exec(list.body);
    assert.ok(link, 'the masked number links by reference');
    const drill = await w.get(link[1]!.replace('#tg-drill', ''), w.viewerCookie);
    assert.equal(drill.status, 200);
    assert.deepEqual(leaks(drill.body), []);
    assert.match(drill.body, /Failures of <strong class="tg-wb-number">\+44 ••••••3456<\/strong>/);
    assert.match(panel(drill.body, 'phone-details'), /invalid_code/);
    assert.match(drill.body, /<input type="tel" id="tg-drill-phone" name="phone" value=""/, 'the search box does not echo it');
    // A reference that was tampered with is refused, with a message.
    const ref = /phoneRef=([A-Za-z0-9_-]+)/.exec(link[1]!)![1]!;
    const flipped = ref.slice(0, 20) + (ref[20] === 'A' ? 'B' : 'A') + ref.slice(21);
    const bad = await w.get(`/admin/details?phoneRef=${flipped}`, w.viewerCookie);
    assert.equal(bad.status, 400);
    assert.match(bad.body, /This phone number reference is not valid here/);
    // A viewer typing a number they know sees its failures, masked.
    const typed = await w.get(`/admin/details?phone=${encodeURIComponent(NUMBERS.nigeria)}`, w.viewerCookie);
    assert.equal(typed.status, 200);
    assert.match(typed.body, /Failures of <strong class="tg-wb-number">\+234 ••••••4567<\/strong>/);
    assert.deepEqual(leaks(typed.body), []);
  });
});

describe('invalid filters', () => {
  const cases: [string, string, RegExp][] = [
    ['/admin?range=6d', 'range', /range must be one of 5m, 15m, 30m, 1h/],
    ['/admin/fraud?range=custom', 'from', /A custom range needs a start/],
    ['/admin?from=2026-02-30T00:00', 'from', /from must be a date and time/],
    ['/admin?from=2026-01-02T00:00&to=2026-01-01T00:00', 'to', /to must be after from/],
    ['/admin?from=2020-01-01&to=2022-01-01', 'from', /at most 366 days/],
    ['/admin?channel=fax', 'channel', /channel must be sms, voice or email/],
    ['/admin?policy=*', 'policy', /policy may not be/],
    ['/admin/details?phone=07400123456', 'phone', /international form/],
    ['/admin/details?ip=not-an-ip', 'ip', /ip must be an IPv4 or IPv6 address/],
    ['/admin?range=1d&range=7d', 'range', /range: give it once/],
  ];
  for (const [url, field, message] of cases) {
    test(`${url} → 400 page naming ${field}`, async () => {
      const r = await w.get(url, w.adminCookie);
      assert.equal(r.status, 400);
      assert.match(String(r.headers['content-type']), /text\/html/);
      assert.match(r.body, /<div id="tg-wb-error" class="tg-alert" role="alert" tabindex="-1">\n<p><strong>These filters cannot be used\.<\/strong> /);
      assert.match(r.body, message);
      assert.match(r.body, new RegExp(`name="${field}"[^>]*aria-invalid="true" aria-describedby="tg-wb-error"`), 'the field is marked');
      assert.doesNotMatch(r.body, /tg-panel-/, 'no panels');
    });
  }

  test('what was sent is shown back escaped, so it can be corrected', async () => {
    const r = await w.get(`/admin?range=zz&policy=${encodeURIComponent('"><script>alert(1)</script>')}`, w.adminCookie);
    assert.equal(r.status, 400);
    assert.match(r.body, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
    assert.doesNotMatch(r.body, /<script>alert/);
    assert.match(r.body, /<option value="zz" selected>zz<\/option>/);
  });

  test('junk query strings never cause a 500', async () => {
    const junk = [
      '?x=1', '?range=', '?range=%00', '?from=99999999999999999999', '?from=abc&to=def', '?to=5', `?policy=${'p'.repeat(5000)}`,
      '?channel[]=sms', '?phoneRef=%%%', '?phoneRef=' + 'A'.repeat(300), '?ip=::ffff:1.2.3.4', '?phone=+', '?limit=-1', '?range=__proto__',
      '?from=2026-01-01T25:00', '?from=2026-01-01T10:00%2B99:00', '?constructor=1&__proto__=1',
    ];
    for (const tab of ['/admin', '/admin/details', '/admin/fraud']) {
      for (const q of junk) {
        const r = await w.get(tab + q, w.adminCookie);
        assert.ok(r.status === 200 || r.status === 400, `${tab}${q}: ${r.status}`);
      }
    }
  });
});

describe('after a pumping run', () => {
  test('Fraud lists the automatic suspension with a prefix control for admins, not for viewers', async () => {
    await pumpBlock(w.t);
    const admin = await w.get('/admin/fraud', w.adminCookie);
    const table = panel(admin.body, 'suspensions');
    assert.match(table, new RegExp(`<td>prefix3</td><td><code>\\${PUMPED_BLOCK}</code></td><td>GB</td><td class="tg-num">\\d</td><td>block</td><td><span class="tg-wb-flag">active</span></td>`));
    assert.match(table, new RegExp(`data-kind="prefix" data-value="\\${PUMPED_BLOCK}"`));
    const viewer = await w.get('/admin/fraud', w.viewerCookie);
    assert.match(panel(viewer.body, 'suspensions'), new RegExp(`<code>\\${PUMPED_BLOCK}</code>`));
    assert.doesNotMatch(viewer.body, /class="tg-mitigate"/);
  });
});
