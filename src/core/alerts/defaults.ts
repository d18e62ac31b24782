// The early-warning rules Tollgate ships enabled (`alerts.defaults`, docs/alerts.md "Default
// rules"): toll fraud shows as codes nobody types in, conversion falling for a destination, and
// spend climbing towards the defense's caps. Thresholds and minimum volumes are set so that
// ordinary traffic (people who get their code and type it in) never reaches them.
import { type AlertRule, alertRuleSchema, type AlertRuleInput, type NotifyAction } from './rule.ts';

export const DEFAULT_RULE_PREFIX = 'default-';

const defaults: AlertRuleInput[] = [
  {
    id: 'default-unconfirmed-prefix',
    name: 'Unconfirmed codes to a number block',
    description:
      'Pumping rents a block of numbers: 10 codes in an hour to one block (E.164 minus its last 4 digits) that nobody typed in is far above what real users of 10,000 numbers do.',
    metric: 'count', counts: 'unconfirmed', groupBy: 'prefix',
    windowMinutes: 60, settleMinutes: 2, comparison: 'above', threshold: 10, cooldownMinutes: 60,
  },
  {
    id: 'default-unconfirmed-ip',
    name: 'Unconfirmed codes from one IP address',
    description:
      'A bot asking for codes it never uses. 15 unconfirmed codes an hour from one address stays above a busy carrier NAT, whose users mostly confirm.',
    metric: 'count', counts: 'unconfirmed', groupBy: 'ip',
    windowMinutes: 60, settleMinutes: 2, comparison: 'above', threshold: 15, cooldownMinutes: 60,
  },
  {
    id: 'default-unconfirmed-country',
    name: 'Unconfirmed codes spiking for a country',
    description:
      'Three codes in four to a destination go unconfirmed (at least 40 codes in the hour): even poor SMS delivery leaves most real users confirming.',
    metric: 'rate', counts: 'unconfirmed', groupBy: 'country',
    windowMinutes: 60, settleMinutes: 5, comparison: 'above', threshold: 0.75, minVolume: 40, cooldownMinutes: 120,
  },
  {
    id: 'default-conversion-country',
    name: 'Conversion dropping for a country',
    description: 'Under 25 % of the sessions that got a code verify, over at least 30 sessions in 3 hours.',
    metric: 'conversion', groupBy: 'country',
    windowMinutes: 180, settleMinutes: 5, comparison: 'below', threshold: 0.25, minVolume: 30, cooldownMinutes: 180,
  },
  {
    id: 'default-conversion-prefix',
    name: 'Conversion dropping for a number block',
    description: 'Under 20 % of at least 8 sessions to one block verify in 3 hours: real users of one block are rarely that many, and they verify.',
    metric: 'conversion', groupBy: 'prefix',
    windowMinutes: 180, settleMinutes: 5, comparison: 'below', threshold: 0.2, minVolume: 8, cooldownMinutes: 180,
  },
  {
    id: 'default-spend-hour',
    name: 'Spend nearing the hourly cap',
    description: 'Spend in the last hour reached 80 % of defense.spend.hour: the defense will refuse sends at 100 %.',
    metric: 'spend', groupBy: 'none', windowMinutes: 60, comparison: 'above', threshold: 0.8, relativeTo: 'spendCap', cooldownMinutes: 60,
  },
  {
    id: 'default-spend-day',
    name: 'Spend nearing the daily cap',
    description: 'Spend in the last 24 hours reached 80 % of defense.spend.day.',
    metric: 'spend', groupBy: 'none', windowMinutes: 1440, comparison: 'above', threshold: 0.8, relativeTo: 'spendCap', cooldownMinutes: 360,
  },
  {
    id: 'default-spend-country-hour',
    name: 'Spend to a country nearing its hourly cap',
    description: "Spend to one destination in the last hour reached 80 % of its hourly cap (defense.spend.countries, else countryDefault).",
    metric: 'spend', groupBy: 'country', windowMinutes: 60, comparison: 'above', threshold: 0.8, relativeTo: 'spendCap', cooldownMinutes: 60,
  },
  {
    id: 'default-spend-country-day',
    name: 'Spend to a country nearing its daily cap',
    description: 'Spend to one destination in the last 24 hours reached 80 % of its daily cap.',
    metric: 'spend', groupBy: 'country', windowMinutes: 1440, comparison: 'above', threshold: 0.8, relativeTo: 'spendCap', cooldownMinutes: 360,
  },
];

/** The default rules, each with `actions` (webhooks, emails from `alerts.defaultActions`). */
export function defaultAlertRules(actions: readonly NotifyAction[] = []): AlertRule[] {
  return defaults.map((d) => alertRuleSchema.parse({ ...d, actions: [...actions] }));
}
