// What every workbook panel is asked with: a time range [from, to) in epoch ms (a preset relative
// to now, like the stock workbook's TimeRange, or explicit), optional app / policy / channel, and the
// drill-down keys. Pure: the service passes `now` from its clock.
import type { CodeChannel } from '../events/event.ts';
import { TollgateError } from '../errors.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The stock workbook's TimeRange choices (5 m … 90 d); its default is 30 days. */
export const timeRangePresets = {
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': HOUR,
  '4h': 4 * HOUR,
  '12h': 12 * HOUR,
  '1d': DAY,
  '2d': 2 * DAY,
  '3d': 3 * DAY,
  '7d': 7 * DAY,
  '14d': 14 * DAY,
  '28d': 28 * DAY,
  '30d': 30 * DAY,
  '60d': 60 * DAY,
  '90d': 90 * DAY,
} as const;
export type TimeRangePreset = keyof typeof timeRangePresets;
export const DEFAULT_PRESET: TimeRangePreset = '30d';

/** The channel filter's values: the telephony channels and email codes. */
export const workbookChannels: readonly CodeChannel[] = ['sms', 'voice', 'email'];

/** A custom range may be longer than a preset, but not unbounded (a year). */
export const MAX_RANGE_MS = 366 * DAY;

export interface WorkbookFilters {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  appId?: string;
  policyId?: string;
  /** Events without a channel (e.g. `session.expired`) drop out when this is set. */
  channel?: CodeChannel;
  /** Drill-down panels only. */
  phoneNumber?: string;
  /** Drill-down panels only. */
  ip?: string;
}

/** What a caller (HTTP query, CLI) may send: a preset or an explicit range, plus the filters. */
export interface WorkbookFilterInput {
  range?: string;
  from?: number;
  to?: number;
  appId?: string;
  policyId?: string;
  channel?: string;
  phoneNumber?: string;
  ip?: string;
}

function invalid(field: string, message: string): TollgateError {
  return new TollgateError('invalid_request', message, { field });
}

function optionalText(input: WorkbookFilterInput, field: 'appId' | 'policyId' | 'phoneNumber' | 'ip'): string | undefined {
  const v = input[field];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || v.length > 256) throw invalid(field, `${field} must be a string of at most 256 characters.`);
  // '*' marks the rollups' totals rows (sqlite-workbook-sql.ts); no app or policy is called that.
  if (v === '*') throw invalid(field, `${field} may not be "*".`);
  return v;
}

/** Resolves a preset against `now` and validates everything; throws `invalid_request` naming the field. */
export function resolveFilters(input: WorkbookFilterInput, now: number): WorkbookFilters {
  let from: number;
  let to: number;
  if (input.from !== undefined || input.to !== undefined) {
    if (input.range !== undefined) throw invalid('range', 'Give either range or from/to, not both.');
    to = input.to ?? now;
    if (input.from === undefined) throw invalid('from', 'from is required with to.');
    from = input.from;
    if (!Number.isSafeInteger(from) || from < 0) throw invalid('from', 'from must be epoch milliseconds.');
    if (!Number.isSafeInteger(to) || to < 0) throw invalid('to', 'to must be epoch milliseconds.');
    if (to <= from) throw invalid('to', 'to must be after from.');
    if (to - from > MAX_RANGE_MS) throw invalid('from', 'The range may span at most 366 days.');
  } else {
    const preset = input.range ?? DEFAULT_PRESET;
    if (!Object.hasOwn(timeRangePresets, preset)) {
      throw invalid('range', `range must be one of ${Object.keys(timeRangePresets).join(', ')}.`);
    }
    to = now;
    from = now - timeRangePresets[preset as TimeRangePreset];
  }
  const channel = input.channel === undefined || input.channel === '' ? undefined : workbookChannels.find((c) => c === input.channel);
  // Email codes fail too (wrong code, expired): the dashboard can look at them on their own.
  if (channel === undefined && input.channel !== undefined && input.channel !== '') throw invalid('channel', 'channel must be sms, voice or email.');
  const filters: WorkbookFilters = { from, to };
  const appId = optionalText(input, 'appId');
  const policyId = optionalText(input, 'policyId');
  const phoneNumber = optionalText(input, 'phoneNumber');
  const ip = optionalText(input, 'ip');
  if (appId !== undefined) filters.appId = appId;
  if (policyId !== undefined) filters.policyId = policyId;
  if (channel !== undefined) filters.channel = channel;
  if (phoneNumber !== undefined) filters.phoneNumber = phoneNumber;
  if (ip !== undefined) filters.ip = ip;
  return filters;
}

/** Row limits: every panel has a default and a ceiling, so no query returns unbounded rows. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

export function clampLimit(limit: number | undefined, fallback = DEFAULT_LIMIT): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(Math.max(Math.trunc(limit), 1), MAX_LIMIT);
}
