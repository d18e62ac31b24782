// The workbook's panels: their ids, which stock B2C workbook item each stands for, the row each
// returns and its columns (CSV header order). Rows carry full phone numbers: masking for viewers
// is the HTTP layer's job, so exports made by operators stay usable.
import type { CodeChannel } from '../events/event.ts';

export type WorkbookTab = 'overview' | 'details' | 'fraud';

export interface CountRow {
  failures: number;
}
export interface ReasonRow extends CountRow {
  reason: string;
  /** The B2C-style `ResultDescription` text of the reason, as last recorded. */
  reasonDescription: string;
}
export interface PhoneRow extends CountRow {
  phoneNumber: string;
}
export interface IpRow extends CountRow {
  ip: string;
}
export interface PhoneIpRow extends CountRow {
  phoneNumber: string;
  ip: string;
}
export interface BrowserRow extends CountRow {
  /** null: no parsable User-Agent. */
  browser: string | null;
}
export interface OsRow extends CountRow {
  os: string | null;
}
export interface PolicyRow extends CountRow {
  policyId: string | null;
}
/** One point of a time chart, in long form (one row per bin and series). */
export interface SeriesPoint extends CountRow {
  /** Bin start, epoch ms (UTC-aligned; see `binFor`). */
  bin: number;
  series: string | null;
  /** The "other" series: everything outside the top N. */
  other: boolean;
}
export interface FailureDetailRow {
  time: number;
  type: string;
  outcome: string;
  reason: string;
  reasonDescription: string;
  phoneNumber: string | null;
  ip: string | null;
  /** IP country from `details.ipCountry` when the defense resolved one, else null. */
  ipCountry: string | null;
  phoneRegion: string | null;
  browser: string | null;
  os: string | null;
  channel: CodeChannel | null;
  cost: number;
  appId: string | null;
  policyId: string | null;
  sessionId: string | null;
  correlationId: string | null;
}
export interface IpCountryRow extends CountRow {
  ipCountry: string | null;
  /** In the operator's expected regions; null when the IP country is unknown. */
  expected: boolean | null;
}
export interface DestinationRow extends CountRow {
  phoneRegion: string | null;
  expected: boolean | null;
}
export interface VelocityRow extends CountRow {
  phoneNumber: string;
  /** UTC day start, epoch ms. */
  day: number;
}
export interface ConversionRow {
  /** Sessions whose first code went out in the range (`code.sent` with sendCount 1). */
  sessionsWithCode: number;
  verifiedSessions: number;
  /** verified / sessions with a code; null when no code was sent. Can exceed 1 at range edges. */
  conversionRate: number | null;
  sends: number;
  /** Sum of `cost` over every `code.sent`, in the configured currency. */
  spend: number;
  failures: number;
}
export interface CountryConversionRow extends ConversionRow {
  phoneRegion: string | null;
}
export interface PrefixConversionRow extends ConversionRow {
  prefix: string;
  phoneRegion: string | null;
}
export interface ShadowRow {
  rule: string;
  code: string;
  /** What the shadow rule would have done. */
  shadowAction: string;
  /** What happened instead: the event type (`code.sent`: went out; `code.send_refused`: refused). */
  happened: string;
  /** The enforced decision (`details.decision.action`), null when the event has none. */
  enforcedAction: string | null;
  events: number;
}

export interface PanelRows {
  'total-failures': CountRow;
  'failure-reasons': ReasonRow;
  'bad-reputation': PhoneRow;
  'failed-ips': IpRow;
  'phone-ips': PhoneIpRow;
  browsers: BrowserRow;
  'operating-systems': OsRow;
  'policy-failures': PolicyRow;
  'failed-phones': PhoneRow;
  'phone-timechart': SeriesPoint;
  'policy-timechart': SeriesPoint;
  'ip-timechart': SeriesPoint;
  'phone-details': FailureDetailRow;
  'ip-details': FailureDetailRow;
  'ip-countries': IpCountryRow;
  'destination-countries': DestinationRow;
  velocity: VelocityRow;
  'conversion-by-country': CountryConversionRow;
  'conversion-by-prefix': PrefixConversionRow;
  'shadow-rules': ShadowRow;
}
export type PanelId = keyof PanelRows;

export interface PanelDefinition<K extends PanelId = PanelId> {
  id: K;
  tab: WorkbookTab;
  title: string;
  /** The stock "Phone Authentication Failures" workbook item it replaces (b2c-facts §1.4), if any. */
  stockItem: string | null;
  /** Column order for tables and CSV; epoch-ms columns are written as ISO 8601 in CSV. */
  columns: readonly (keyof PanelRows[K] & string)[];
  timeColumns?: readonly (keyof PanelRows[K] & string)[];
  /** Needs `filters.phoneNumber` / `filters.ip`. */
  requires?: 'phoneNumber' | 'ip';
}

const conversionColumns = ['sessionsWithCode', 'verifiedSessions', 'conversionRate', 'sends', 'spend', 'failures'] as const;
const detailColumns = [
  'time', 'type', 'outcome', 'reason', 'reasonDescription', 'phoneNumber', 'ip', 'ipCountry', 'phoneRegion',
  'browser', 'os', 'channel', 'cost', 'appId', 'policyId', 'sessionId', 'correlationId',
] as const;
const seriesColumns = ['bin', 'series', 'other', 'failures'] as const;

export const panels: { readonly [K in PanelId]: PanelDefinition<K> } = {
  'total-failures': { id: 'total-failures', tab: 'overview', title: 'Total failures (phone related)', stockItem: 'query - 11', columns: ['failures'] },
  'failure-reasons': { id: 'failure-reasons', tab: 'overview', title: 'Failure reasons', stockItem: 'query - 0', columns: ['reason', 'reasonDescription', 'failures'] },
  'bad-reputation': { id: 'bad-reputation', tab: 'overview', title: 'Blocked due to bad reputation', stockItem: 'query - 1', columns: ['phoneNumber', 'failures'] },
  'failed-ips': { id: 'failed-ips', tab: 'overview', title: 'IP addresses with failed phone authentications', stockItem: 'query - 1 - Copy', columns: ['ip', 'failures'] },
  'phone-ips': { id: 'phone-ips', tab: 'overview', title: 'Phone numbers with IP address - failed phone authentications', stockItem: 'query - 1 - Copy - Copy', columns: ['phoneNumber', 'ip', 'failures'] },
  browsers: { id: 'browsers', tab: 'overview', title: 'Browser', stockItem: 'query - 1 - Copy - Copy - Copy', columns: ['browser', 'failures'] },
  'operating-systems': { id: 'operating-systems', tab: 'overview', title: 'Operating system', stockItem: 'query - 1 - Copy - Copy - Copy - Copy', columns: ['os', 'failures'] },
  'policy-failures': { id: 'policy-failures', tab: 'details', title: 'Policy - failed phone authentications', stockItem: 'query - 2', columns: ['policyId', 'failures'] },
  'failed-phones': { id: 'failed-phones', tab: 'details', title: 'Select phone number to view failure details', stockItem: 'query - 9', columns: ['phoneNumber', 'failures'] },
  'phone-timechart': { id: 'phone-timechart', tab: 'details', title: 'Phone authentication failures by phone number - time chart', stockItem: 'query - 3', columns: seriesColumns, timeColumns: ['bin'] },
  'policy-timechart': { id: 'policy-timechart', tab: 'details', title: 'Phone authentication failures by policy - time chart', stockItem: 'query - 5', columns: seriesColumns, timeColumns: ['bin'] },
  'ip-timechart': { id: 'ip-timechart', tab: 'details', title: 'Phone authentication failures by IP address - time chart', stockItem: 'query - 5 - Copy', columns: seriesColumns, timeColumns: ['bin'] },
  'phone-details': { id: 'phone-details', tab: 'details', title: 'Failure details of a phone number', stockItem: 'query - 14', columns: detailColumns, timeColumns: ['time'], requires: 'phoneNumber' },
  'ip-details': { id: 'ip-details', tab: 'details', title: 'Failure details of an IP address', stockItem: null, columns: detailColumns, timeColumns: ['time'], requires: 'ip' },
  'ip-countries': { id: 'ip-countries', tab: 'fraud', title: 'Failures by IP country (vs expected regions)', stockItem: null, columns: ['ipCountry', 'expected', 'failures'] },
  'destination-countries': { id: 'destination-countries', tab: 'fraud', title: 'Failures by destination country', stockItem: null, columns: ['phoneRegion', 'expected', 'failures'] },
  velocity: { id: 'velocity', tab: 'fraud', title: 'Failed phone authentications per phone number per day', stockItem: null, columns: ['phoneNumber', 'day', 'failures'], timeColumns: ['day'] },
  'conversion-by-country': { id: 'conversion-by-country', tab: 'fraud', title: 'Conversion and spend by destination country', stockItem: null, columns: ['phoneRegion', ...conversionColumns] },
  'conversion-by-prefix': { id: 'conversion-by-prefix', tab: 'fraud', title: 'Conversion and spend by number prefix', stockItem: null, columns: ['prefix', 'phoneRegion', ...conversionColumns] },
  'shadow-rules': { id: 'shadow-rules', tab: 'fraud', title: 'Shadow-mode rules: what they would have done', stockItem: null, columns: ['rule', 'code', 'shadowAction', 'happened', 'enforcedAction', 'events'] },
};

export const panelIds = Object.keys(panels) as PanelId[];

export function isPanelId(id: string): id is PanelId {
  return Object.hasOwn(panels, id);
}

/** Per-panel knobs beyond the filters. */
export interface PanelOptions {
  /** Row limit (default 100, at most 10 000); for time charts, the number of top series. */
  limit?: number;
  /** Regions (ISO 3166-1 alpha-2) the operator expects traffic from: the fraud panels flag the rest. */
  expectedRegions?: readonly string[];
}
