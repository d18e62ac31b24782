// The alert rule model (docs/alerts.md): what a rule measures over the event log, how it groups,
// when it fires, and what it does then. One zod schema, used by the configuration file, the admin
// API and the admin page's forms, so a rule is valid in the same way wherever it comes from.
import { z } from 'zod';
import { TollgateError } from '../errors.ts';

/** How a rule measures its events (docs/alerts.md, "Metrics"). */
export const alertMetrics = ['count', 'rate', 'spend', 'conversion'] as const;
export type AlertMetric = (typeof alertMetrics)[number];

/**
 * What `count` and `rate` rules count:
 * - `failures`: failure events as the workbook defines them (core/workbook/failures.ts);
 * - `unconfirmed`: codes sent (`code.sent`) whose session has not verified;
 * - `sends`: codes sent (`code.sent`);
 * - `blocked`: sends the defense (or the policy's country list) refused outright
 *   (`code.send_refused` whose `details.decision.action` is `block`).
 */
export const alertCounts = ['failures', 'unconfirmed', 'sends', 'blocked'] as const;
export type AlertCounts = (typeof alertCounts)[number];

export const alertGroupings = ['none', 'ip', 'phone', 'prefix', 'country', 'policy'] as const;
export type AlertGroupBy = (typeof alertGroupings)[number];

export const alertComparisons = ['above', 'below'] as const;
export type AlertComparison = (typeof alertComparisons)[number];

/** The reputation kind a block action lists, by grouping; groupings without one cannot block. */
export const blockKindByGroup: Partial<Record<AlertGroupBy, 'ip' | 'number' | 'prefix' | 'country'>> = {
  ip: 'ip',
  phone: 'number',
  prefix: 'prefix',
  country: 'country',
};

export const ALERT_RULE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const MAX_WINDOW_MINUTES = 7 * 24 * 60;
export const MAX_ACTIONS = 10;
export const MAX_EMAIL_RECIPIENTS = 20;

const minutes = (max: number) => z.number().int().min(0).max(max);

export const webhookActionSchema = z.strictObject({
  type: z.literal('webhook'),
  /** May hold a token (Slack, Teams): shown to admins only, never logged. */
  url: z.url({ protocol: /^https?$/, message: 'an http(s) URL' }).max(2000),
  format: z.enum(['json', 'slack']).default('json'),
});

export const emailActionSchema = z.strictObject({
  type: z.literal('email'),
  to: z.array(z.email({ message: 'an email address' }).max(254)).min(1).max(MAX_EMAIL_RECIPIENTS),
});

export const blockActionSchema = z.strictObject({
  type: z.literal('block'),
  /** How long the group (IP, number, prefix, country) stays on the block list. */
  minutes: z.number().int().min(1).max(MAX_WINDOW_MINUTES),
});

export const notifyActionSchema = z.discriminatedUnion('type', [webhookActionSchema, emailActionSchema]);
export const alertActionSchema = z.discriminatedUnion('type', [webhookActionSchema, emailActionSchema, blockActionSchema]);
export type AlertAction = z.output<typeof alertActionSchema>;
export type NotifyAction = z.output<typeof notifyActionSchema>;

const ruleShape = {
  id: z.string().regex(ALERT_RULE_ID, 'lower-case letters, digits and -, 1–64 characters, starting with a letter or digit'),
  name: z.string().trim().min(1).max(100).refine((v) => !/[\r\n]/.test(v), 'must be one line'),
  description: z.string().trim().max(500).optional(),
  enabled: z.boolean().default(true),
  metric: z.enum(alertMetrics),
  /** For `count` and `rate` only. */
  counts: z.enum(alertCounts).optional(),
  groupBy: z.enum(alertGroupings).default('none'),
  windowMinutes: z.number().int().min(1).max(MAX_WINDOW_MINUTES).default(60),
  /**
   * The window ends this long before now: a code sent a minute ago may still be confirmed, so
   * `unconfirmed` and `conversion` rules judge only codes old enough to have been typed in.
   */
  settleMinutes: minutes(24 * 60).default(0),
  /** `above`: fires at or above the threshold; `below`: fires strictly under it. */
  comparison: z.enum(alertComparisons).default('above'),
  /** A count, an amount (spend, in `pricing.currency`) or a share 0–1 (rate, conversion, spend cap). */
  threshold: z.number().min(0).max(1e12),
  /** `spendCap`: the threshold is a share of the defense's spend cap for the group and window. */
  relativeTo: z.enum(['spendCap']).optional(),
  /** A group fires only with at least this volume (the rate's or conversion's base; the sends of spend). */
  minVolume: z.number().int().min(0).max(1e9).default(0),
  /** After notifying, a group does not notify again for this long (if it resolves and fires again). */
  cooldownMinutes: minutes(MAX_WINDOW_MINUTES).default(60),
  /** Webhook and email payloads show phone numbers in full (default: masked). */
  revealPhoneNumbers: z.boolean().default(false),
  actions: z.array(alertActionSchema).max(MAX_ACTIONS).default([]),
};

function checkRule(rule: RuleFields, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const counted = rule.metric === 'count' || rule.metric === 'rate';
  if (counted && rule.counts === undefined) issue('counts', `a ${rule.metric} rule says what it counts: ${alertCounts.join(', ')}`);
  if (!counted && rule.counts !== undefined) issue('counts', 'only count and rate rules count something');
  const share = rule.metric === 'rate' || rule.metric === 'conversion' || rule.relativeTo === 'spendCap';
  if (share && rule.threshold > 1) issue('threshold', 'a share is between 0 and 1 (0.25 = 25 %)');
  if (rule.relativeTo === 'spendCap') {
    if (rule.metric !== 'spend') issue('relativeTo', 'only spend rules compare with the spend cap');
    else if (rule.groupBy !== 'none' && rule.groupBy !== 'country') issue('relativeTo', 'spend caps exist globally (groupBy none) and per country only');
    else if (rule.windowMinutes !== 60 && rule.windowMinutes !== 1440) issue('windowMinutes', 'spend caps are per hour (60) or per day (1440)');
  }
  rule.actions.forEach((a, i) => {
    if (a.type === 'block' && !blockKindByGroup[rule.groupBy]) {
      ctx.addIssue({ code: 'custom', path: ['actions', i, 'type'], message: 'a block action needs groupBy ip, phone, prefix or country' });
    }
  });
}

type RuleFields = Omit<z.output<z.ZodObject<typeof ruleShape>>, 'id'>;

export const alertRuleSchema = z.strictObject(ruleShape).superRefine(checkRule);
export type AlertRule = z.output<typeof alertRuleSchema>;
export type AlertRuleInput = z.input<typeof alertRuleSchema>;

/** A rule as created through the API: the id may be left out (one is made up from the name). */
export const newAlertRuleSchema = z.strictObject({ ...ruleShape, id: ruleShape.id.optional() }).superRefine(checkRule);

/** The same rule for a new id (when the API is given none): the name's words, or `rule`. */
export function ruleIdFromName(name: string, taken: (id: string) => boolean): string {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 56) || 'rule';
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}-${i}`)) return `${base}-${i}`;
}

/** A readable one-line summary: "unconfirmed count by prefix over 60 min ≥ 10". */
export function describeRule(rule: AlertRule): string {
  const what = rule.metric === 'count' ? `${rule.counts} count` : rule.metric === 'rate' ? `${rule.counts} rate` : rule.metric;
  const by = rule.groupBy === 'none' ? '' : ` by ${rule.groupBy}`;
  const op = rule.comparison === 'above' ? '≥' : '<';
  const threshold = rule.relativeTo === 'spendCap' ? `${formatShare(rule.threshold)} of the spend cap` : formatThreshold(rule, rule.threshold);
  return `${what}${by} over ${rule.windowMinutes} min ${op} ${threshold}`;
}

export function isShareMetric(rule: Pick<AlertRule, 'metric'>): boolean {
  return rule.metric === 'rate' || rule.metric === 'conversion';
}

export function formatShare(v: number): string {
  return `${Math.round(v * 1000) / 10} %`;
}

/** A value or threshold of `rule` for people: shares as percentages, amounts with 2 decimals. */
export function formatThreshold(rule: Pick<AlertRule, 'metric'>, v: number): string {
  if (isShareMetric(rule)) return formatShare(v);
  if (rule.metric === 'spend') return (Math.round(v * 100) / 100).toFixed(2);
  return String(Math.round(v * 1000) / 1000);
}

/**
 * Parses a rule (or a new rule) from any input; a problem is a TollgateError `invalid_request`
 * naming the field at fault (`threshold`, `actions.0.url`), like every API validation error.
 */
export function parseAlertRule<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.join('.') || undefined;
  throw new TollgateError('invalid_request', issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'Invalid alert rule.', { field });
}
