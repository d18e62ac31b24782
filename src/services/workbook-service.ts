// The workbook as the HTTP layer and CLI see it: resolves filters (presets against the clock),
// runs a panel, exports it as CSV, and refreshes the rollups. Rows carry full phone numbers; the
// HTTP layer masks them for viewers who may not see them.
import type Database from 'better-sqlite3';
import { type ApplyResult, SqliteWorkbook, WorkbookRollups } from '../adapters/store/sqlite-workbook.ts';
import { type CsvValue, toCsv } from '../core/workbook/csv.ts';
import { resolveFilters, type WorkbookFilterInput, type WorkbookFilters } from '../core/workbook/filters.ts';
import { type PanelId, type PanelOptions, type PanelRows, panels } from '../core/workbook/panels.ts';
import type { Clock } from '../ports.ts';

export interface WorkbookServiceOptions {
  /** Regions (ISO alpha-2) the operator expects sign-ups from; the fraud panels flag the others. */
  expectedRegions?: readonly string[];
  /** Events per rollup transaction in refresh(). */
  chunk?: number;
}

type Input = WorkbookFilterInput | WorkbookFilters;

export class WorkbookService {
  private readonly queries: SqliteWorkbook;
  readonly rollups: WorkbookRollups;

  /**
   * `db`: a better-sqlite3 connection to the store's database file, migrated to version 5. A second
   * connection to the same file is fine (WAL): panel reads then never queue behind the store.
   */
  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    private readonly options: WorkbookServiceOptions = {},
  ) {
    this.queries = new SqliteWorkbook(db);
    this.rollups = new WorkbookRollups(db, { chunk: options.chunk, now: () => clock.now() });
  }

  /** Validated filters; a preset (`range: '24h'`…) is resolved against the clock. Throws invalid_request. */
  filters(input: Input = {}): WorkbookFilters {
    return resolveFilters(input, this.clock.now());
  }

  async panel<K extends PanelId>(id: K, input: Input = {}, options: PanelOptions = {}): Promise<PanelRows[K][]> {
    const expectedRegions = options.expectedRegions ?? this.options.expectedRegions;
    return this.queries.run(id, this.filters(input), { ...options, expectedRegions });
  }

  /** The panel as RFC 4180 CSV (formula-safe); epoch-ms columns as ISO 8601. */
  async csv(id: PanelId, input: Input = {}, options: PanelOptions = {}): Promise<string> {
    const def = panels[id];
    const times = new Set<string>(def.timeColumns ?? []);
    const rows = (await this.panel(id, input, options)) as unknown as Record<string, CsvValue>[];
    const cells = rows.map((row) => {
      const out: Record<string, CsvValue> = {};
      for (const c of def.columns) out[c] = times.has(c) && typeof row[c] === 'number' ? new Date(row[c]).toISOString() : row[c];
      return out;
    });
    return toCsv(def.columns, cells);
  }

  /** Adds events appended since the last call to the rollups (call after appends or on a timer). */
  async refresh(): Promise<ApplyResult> {
    return this.rollups.apply();
  }

  async rebuild(): Promise<ApplyResult> {
    return this.rollups.rebuild();
  }

  // One method per panel, for callers that prefer names to ids.
  totalFailures = (i?: Input, o?: PanelOptions) => this.panel('total-failures', i, o);
  failureReasons = (i?: Input, o?: PanelOptions) => this.panel('failure-reasons', i, o);
  badReputation = (i?: Input, o?: PanelOptions) => this.panel('bad-reputation', i, o);
  failedIps = (i?: Input, o?: PanelOptions) => this.panel('failed-ips', i, o);
  phoneIps = (i?: Input, o?: PanelOptions) => this.panel('phone-ips', i, o);
  browsers = (i?: Input, o?: PanelOptions) => this.panel('browsers', i, o);
  operatingSystems = (i?: Input, o?: PanelOptions) => this.panel('operating-systems', i, o);
  policyFailures = (i?: Input, o?: PanelOptions) => this.panel('policy-failures', i, o);
  failedPhones = (i?: Input, o?: PanelOptions) => this.panel('failed-phones', i, o);
  phoneTimechart = (i?: Input, o?: PanelOptions) => this.panel('phone-timechart', i, o);
  policyTimechart = (i?: Input, o?: PanelOptions) => this.panel('policy-timechart', i, o);
  ipTimechart = (i?: Input, o?: PanelOptions) => this.panel('ip-timechart', i, o);
  phoneDetails = (i?: Input, o?: PanelOptions) => this.panel('phone-details', i, o);
  ipDetails = (i?: Input, o?: PanelOptions) => this.panel('ip-details', i, o);
  ipCountries = (i?: Input, o?: PanelOptions) => this.panel('ip-countries', i, o);
  destinationCountries = (i?: Input, o?: PanelOptions) => this.panel('destination-countries', i, o);
  velocity = (i?: Input, o?: PanelOptions) => this.panel('velocity', i, o);
  conversionByCountry = (i?: Input, o?: PanelOptions) => this.panel('conversion-by-country', i, o);
  conversionByPrefix = (i?: Input, o?: PanelOptions) => this.panel('conversion-by-prefix', i, o);
  shadowRules = (i?: Input, o?: PanelOptions) => this.panel('shadow-rules', i, o);
}
