// The dashboard's query string → validated workbook filters, the canonical state that links repeat,
// and the drill-down subject. Shared by the pages and the JSON/CSV API, so both read the same URL.
// Every problem is an `invalid_request` naming the field: the API answers 400, the pages show it.
import { z } from 'zod';
import { ipKeys } from '../../core/defense/phone-keys.ts';
import { TollgateError } from '../../core/errors.ts';
import { parsePhoneNumber } from '../../core/phone/phone-number.ts';
import { resolveFilters, timeRangePresets, type WorkbookFilterInput, type WorkbookFilters } from '../../core/workbook/filters.ts';
import { type DashboardState, formatUtcInput } from '../../pages/admin/workbook-url.ts';
import { fromZod } from '../errors.ts';
import type { PhoneRefs } from './admin-workbook-masking.ts';

/** `range=custom` (the filter form's choice) means: use from/to. */
export const CUSTOM_RANGE = 'custom';

// Repeated parameters arrive as arrays: refused with a message rather than a guess.
const param = (max: number) => z.string({ error: 'give it once, as text' }).max(max, `at most ${max} characters`).optional();

const filterFields = {
  range: param(16),
  from: param(40),
  to: param(40),
  policy: param(256),
  app: param(256),
  channel: param(16),
  phone: param(64),
  phoneRef: param(256),
  ip: param(64),
};
/** Pages ignore parameters they do not know (e.g. a tracking suffix); the API names them. */
const pageQuery = z.object(filterFields);
export const apiQuery = z.strictObject({
  ...filterFields,
  limit: z.string({ error: 'give it once, as text' }).regex(/^\d{1,5}$/, 'a whole number, 1–10000').optional(),
  format: z.enum(['json', 'csv']).optional(),
});

export interface DashboardQuery {
  /** Resolved against now: what the panels are asked. */
  filters: WorkbookFilters;
  /** What links repeat: a preset stays a preset (relative to now), a custom range stays exact. */
  state: DashboardState;
  /** The drill-down subject (full number, decrypted from `phoneRef` if that was given). */
  phone?: string;
  ip?: string;
  limit?: number;
  format?: 'json' | 'csv';
}

function invalid(field: string, message: string): TollgateError {
  return new TollgateError('invalid_request', message, { field });
}

const blank = (v: string | undefined): string | undefined => (v === undefined || v.trim() === '' ? undefined : v.trim());

const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * A range end: epoch milliseconds, or ISO 8601 (`2026-01-15`, `2026-01-15T09:00`, with seconds,
 * with `Z` or an offset). Without an offset it is UTC, as the filter form says.
 */
export function parseTime(text: string, field: string): number {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  const m = TIME.exec(text);
  if (m) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', ms = '0', zone = 'Z'] = m;
    const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0')));
    // Date.UTC rolls 30 February over into March: a date that does not round-trip does not exist.
    const check = new Date(local);
    const exists = check.getUTCFullYear() === Number(y) && check.getUTCMonth() === Number(mo) - 1 && check.getUTCDate() === Number(d)
      && check.getUTCHours() === Number(h) && check.getUTCMinutes() === Number(mi) && check.getUTCSeconds() === Number(s);
    if (exists) {
      if (zone === 'Z') return local;
      const sign = zone[0] === '-' ? -1 : 1;
      const [oh, om] = zone.slice(1).split(':').map(Number);
      if (oh! <= 23 && om! <= 59) return local - sign * (oh! * 60 + om!) * 60_000;
    }
  }
  throw invalid(field, `${field} must be a date and time (YYYY-MM-DDTHH:MM, UTC) or epoch milliseconds.`);
}

/** What someone typed in the phone search box, as the E.164 the events hold. */
export function normalisePhoneSearch(text: string): string {
  const t = text.trim();
  if (!t.startsWith('+') || !/^\+[0-9()\-.\s/]{1,40}$/.test(t)) {
    throw invalid('phone', 'Enter the phone number in international form: + then the country code and number, e.g. +447700900123.');
  }
  return parsePhoneNumber(t)?.e164 ?? t.replace(/[\s().\-/]/g, '');
}

/** The core names fields as the service does (policyId…); the URL says policy, app, phone. */
const urlNames: Record<string, string> = { policyId: 'policy', appId: 'app', phoneNumber: 'phone' };

function resolveWithUrlNames(input: WorkbookFilterInput, now: number): WorkbookFilters {
  try {
    return resolveFilters(input, now);
  } catch (err) {
    const field = err instanceof TollgateError ? err.steering.field : undefined;
    if (!(err instanceof TollgateError) || field === undefined || !Object.hasOwn(urlNames, field)) throw err;
    return invalidAs(err, urlNames[field]!, field);
  }
}

function invalidAs(err: TollgateError, name: string, coreName: string): never {
  throw invalid(name, err.message.replaceAll(coreName, name));
}

export interface ParseOptions {
  /** The API is strict: unknown parameters and a preset together with from/to are errors. */
  api: boolean;
  refs: PhoneRefs;
  now: number;
}

export function parseDashboardQuery(query: unknown, opts: ParseOptions): DashboardQuery {
  const parsed = (opts.api ? apiQuery : pageQuery).safeParse(query ?? {});
  if (!parsed.success) throw fromZod(parsed.error);
  const q = parsed.data;
  const range = blank(q.range);
  let from = blank(q.from);
  let to = blank(q.to);
  const input: WorkbookFilterInput = {};
  const state: DashboardState = {};
  if (range !== undefined && range !== CUSTOM_RANGE && !Object.hasOwn(timeRangePresets, range)) {
    throw invalid('range', `range must be one of ${Object.keys(timeRangePresets).join(', ')}, or ${CUSTOM_RANGE} with from/to.`);
  }
  if (range !== undefined && range !== CUSTOM_RANGE) {
    // The form always sends its from/to boxes: on a page a preset wins over what is left in them.
    if (!opts.api) from = to = undefined;
    input.range = range;
    state.range = range;
  } else if (range === CUSTOM_RANGE && from === undefined) {
    throw invalid('from', 'A custom range needs a start: fill in From, or pick a preset.');
  }
  if (from !== undefined) input.from = parseTime(from, 'from');
  if (to !== undefined) input.to = parseTime(to, 'to');
  const policy = blank(q.policy);
  const app = blank(q.app);
  const channel = blank(q.channel);
  if (policy !== undefined) input.policyId = policy;
  if (app !== undefined) input.appId = app;
  if (channel !== undefined) input.channel = channel;

  let phone: string | undefined;
  const phoneText = blank(q.phone);
  const phoneRef = blank(q.phoneRef);
  if (phoneText !== undefined) phone = normalisePhoneSearch(phoneText);
  else if (phoneRef !== undefined) {
    phone = opts.refs.open(phoneRef) ?? undefined;
    if (phone === undefined) throw invalid('phoneRef', 'This phone number reference is not valid here: open the number from a table again.');
  }
  const ip = blank(q.ip);
  if (ip !== undefined && !ipKeys(ip)) throw invalid('ip', 'ip must be an IPv4 or IPv6 address.');
  if (phone !== undefined) input.phoneNumber = phone;
  if (ip !== undefined) input.ip = ip;

  const filters = resolveWithUrlNames(input, opts.now);
  if (input.from !== undefined) {
    state.from = formatUtcInput(filters.from);
    if (input.to !== undefined) state.to = formatUtcInput(filters.to);
  }
  if (filters.policyId !== undefined) state.policy = filters.policyId;
  if (filters.appId !== undefined) state.app = filters.appId;
  if (filters.channel !== undefined) state.channel = filters.channel;

  const out: DashboardQuery = { filters, state };
  if (phone !== undefined) out.phone = phone;
  if (ip !== undefined) out.ip = ip;
  const extra = q as { limit?: string; format?: 'json' | 'csv' };
  if (opts.api && extra.limit !== undefined) out.limit = Number(extra.limit);
  if (opts.api && extra.format !== undefined) out.format = extra.format;
  return out;
}
