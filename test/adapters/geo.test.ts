// OfflineGeo against the real npm data (DB-IP country mmdb, @ip-location-db/asn CSVs): known
// addresses, private and garbage input, IPv6, hosting detection, shared lazy loading, speed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { asnAttribution, geoAttribution, NullGeo, OfflineGeo } from '../../src/adapters/geo/offline-geo.ts';
import { hostingAsns, isHostingNetwork } from '../../src/adapters/geo/hosting-asns.ts';

const geo = new OfflineGeo();

describe('OfflineGeo', () => {
  test('8.8.8.8 is Google in the US, a hosting network', () => {
    const info = geo.lookup('8.8.8.8');
    assert.deepEqual(info, { country: 'US', asn: 15169, asOrganization: 'Google LLC', hosting: true });
  });

  test('an AWS address is hosting; a home ISP address is not', () => {
    assert.deepEqual(geo.lookup('52.95.110.1'), { country: 'US', asn: 16509, asOrganization: 'Amazon.com, Inc.', hosting: true });
    const isp = geo.lookup('81.2.69.142');
    assert.equal(isp?.country, 'GB');
    assert.equal(isp?.asn, 20712);
    assert.equal(isp?.hosting, false);
  });

  test('private and reserved addresses: known to be IPs, nothing about them', () => {
    for (const ip of ['10.0.0.1', '192.168.1.20', '127.0.0.1', '::1', 'fd00::1']) {
      assert.deepEqual(geo.lookup(ip), { country: null, asn: null, asOrganization: null, hosting: false }, ip);
    }
  });

  test('IPv6 and IPv4-mapped addresses', () => {
    const hetzner = geo.lookup('2a01:4f8::1');
    assert.equal(hetzner?.country, 'DE');
    assert.equal(hetzner?.asn, 24940);
    assert.equal(hetzner?.hosting, true);
    assert.equal(geo.lookup('2001:4860:4860::8888')?.asn, 15169);
    assert.equal(geo.lookup('2600:1f18::1')?.asn, 14618);
    assert.deepEqual(geo.lookup('::ffff:8.8.8.8'), geo.lookup('8.8.8.8'));
  });

  test('garbage gives null and never throws', () => {
    for (const bad of ['', 'garbage', '999.1.1.1', '1.2.3', '8.8.8.8/32', 'fe80::1%eth0', ' 8.8.8.8', 'x'.repeat(10_000), null, undefined, 42, {}]) {
      assert.equal(geo.lookup(bad as unknown as string), null, String(bad).slice(0, 20));
    }
  });

  test('agrees with the text CSVs on sampled rows (range ends, both families)', () => {
    const dir = 'node_modules/@ip-location-db/asn/';
    for (const file of ['asn-ipv4.csv', 'asn-ipv6.csv']) {
      const lines = readFileSync(dir + file, 'utf8').split('\n').filter(Boolean);
      for (let i = 0; i < lines.length; i += Math.floor(lines.length / 300)) {
        const [start, end, asn] = lines[i]!.split(',');
        assert.equal(geo.lookup(end!)?.asn, Number(asn), `${file} row ${i}: ${end}`);
        if (i > 0 && start !== end) assert.equal(geo.lookup(start!)?.asn, Number(asn), `${file} row ${i}: ${start}`);
      }
    }
  });

  test('data is loaded once per process and shared by every instance', () => {
    geo.warmUp();
    const again = new OfflineGeo();
    const start = performance.now();
    assert.equal(again.lookup('1.1.1.1')?.asn, 13335);
    assert.equal(again.lookup('2a01:4f8::2')?.asn, 24940);
    assert.ok(performance.now() - start < 50, 'no reload');
    assert.deepEqual(again.status(), geo.status());
    for (const s of geo.status()) assert.equal(s.loaded, true, s.file);
  });

  test('lookups take microseconds', () => {
    geo.warmUp();
    const n = 20_000;
    const ips = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? `2a0${i % 10}:${(i % 65535).toString(16)}::1` : `${(i * 7) % 223 + 1}.${i % 256}.${(i >> 8) % 256}.${i % 251}`));
    const start = process.hrtime.bigint();
    for (const ip of ips) geo.lookup(ip);
    const perLookupUs = Number(process.hrtime.bigint() - start) / 1000 / n;
    assert.ok(perLookupUs < 100, `${perLookupUs.toFixed(2)} µs per lookup`);
    if (process.env.TOLLGATE_BENCH) console.log(`geo lookup: ${perLookupUs.toFixed(2)} µs; status ${JSON.stringify(geo.status().map((s) => s.loadMs))} ms; rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
  });

  test('a missing data file degrades to fewer answers, not errors', () => {
    const partial = new OfflineGeo({ asnIpv4Csv: '/nonexistent/asn.csv', asnIpv6Csv: null });
    assert.deepEqual(partial.lookup('8.8.8.8'), { country: 'US', asn: null, asOrganization: null, hosting: false });
    assert.equal(partial.lookup('2a01:4f8::1')?.asn, null);
    const status = partial.status().find((s) => s.file === '/nonexistent/asn.csv');
    assert.equal(status?.loaded, false);
    assert.match(status?.error ?? '', /ENOENT/);
    const none = new OfflineGeo({ countryMmdb: '/nonexistent/country.mmdb' });
    assert.equal(none.lookup('8.8.8.8')?.country, null);
    assert.equal(none.lookup('8.8.8.8')?.asn, 15169);
  });

  test('NullGeo knows nothing', () => {
    assert.equal(new NullGeo().lookup('8.8.8.8'), null);
  });

  test('attribution names DB-IP with a link and the licence', () => {
    assert.match(geoAttribution, /DB-IP \(https:\/\/db-ip\.com\), CC BY 4\.0/);
    assert.match(asnAttribution, /RouteViews.*DB-IP.*CC BY 4\.0/);
  });
});

describe('hosting networks', () => {
  test('listed ASNs and organisation keywords', () => {
    for (const asn of [16509, 14618, 396982, 15169, 8075, 14061, 24940, 16276, 63949, 20473, 31898, 45102, 132203, 51167, 12876, 60781, 16265]) {
      assert.ok(hostingAsns.has(asn), `AS${asn}`);
      assert.equal(isHostingNetwork(asn, null), true);
    }
    for (const org of ['Example Hosting Ltd', 'Acme Cloud', 'Foo Data Center LLC', 'Bar Datacentre', 'The Center of Dedicated Servers LLC', 'Cheap VPS Inc']) {
      assert.equal(isHostingNetwork(64500, org), true, org);
    }
    for (const org of ['Deutsche Telekom AG', 'Observer Networks', 'Comcast Cable Communications, LLC', 'Serverless? no: Serverlessly Ltd']) {
      assert.equal(isHostingNetwork(64500, org), false, org);
    }
    assert.equal(isHostingNetwork(null, null), false);
  });
});
