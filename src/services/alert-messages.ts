// What an alert says, in each of its shapes: the JSON webhook body, the Slack-compatible body
// (`text` plus Block Kit `blocks`), and the email (subject, text, HTML). Pure. Phone numbers are
// masked unless the rule opts in (`revealPhoneNumbers`); the examples are in docs/alerts.md.
import type { Notification } from '../core/alerts/evaluation.ts';
import { type AlertRule, describeRule, formatShare, formatThreshold } from '../core/alerts/rule.ts';
import { maskPhoneNumber } from '../core/phone/phone-number.ts';
import { html } from '../pages/html.ts';

export interface AlertNotice {
  kind: Notification;
  rule: AlertRule;
  /** The full group key (masked here when the rule does not reveal numbers). */
  group: string;
  value: number | null;
  threshold: number;
  volume: number;
  time: number;
  /** What the rule's block action did, when it has one and it ran (fired only). */
  block?: { kind: string; value: string; minutes: number; ok: boolean; detail: string };
  /** The admin page, when the public URL is known. */
  link: string | null;
}

/** The group key as messages show it: a phone number masked unless the rule reveals numbers. */
export function shownGroup(rule: Pick<AlertRule, 'groupBy' | 'revealPhoneNumbers'>, group: string): string {
  return rule.groupBy === 'phone' && !rule.revealPhoneNumbers ? maskPhoneNumber(group) : group;
}

const groupNames: Record<AlertRule['groupBy'], string> = {
  none: 'all traffic', ip: 'IP', phone: 'number', prefix: 'prefix', country: 'country', policy: 'policy',
};

/** `prefix +4474001`, `all traffic`. */
export function groupLabel(rule: Pick<AlertRule, 'groupBy' | 'revealPhoneNumbers'>, group: string): string {
  return rule.groupBy === 'none' ? groupNames.none : `${groupNames[rule.groupBy]} ${shownGroup(rule, group)}`;
}

function valueText(rule: AlertRule, v: number | null): string {
  return v === null ? 'n/a' : formatThreshold(rule, v);
}

function comparisonText(rule: AlertRule, threshold: number): string {
  const op = rule.comparison === 'above' ? '≥' : '<';
  const ratio = rule.relativeTo === 'spendCap' ? ` (${formatShare(rule.threshold)} of the cap)` : '';
  return `${op} ${formatThreshold(rule, threshold)}${ratio}`;
}

/** One line: "Unconfirmed codes to a number block — prefix +4474001: 12 (≥ 10) over 60 min". */
export function summaryLine(n: AlertNotice): string {
  const head = `${n.kind === 'resolved' ? 'Resolved: ' : ''}${n.rule.name} — ${groupLabel(n.rule, n.group)}`;
  const value = n.kind === 'fired'
    ? `${valueText(n.rule, n.value)} (${comparisonText(n.rule, n.threshold)})`
    : `now ${valueText(n.rule, n.value)} (threshold ${comparisonText(n.rule, n.threshold)})`;
  return `${head}: ${value} over ${n.rule.windowMinutes} min`;
}

function blockLine(b: NonNullable<AlertNotice['block']>): string {
  return b.ok ? `Blocked ${b.kind} ${b.value} for ${b.minutes} min.` : `The automatic block of ${b.kind} ${b.value} failed: ${b.detail}.`;
}

/** The JSON webhook body (`format: json`). */
export function jsonPayload(n: AlertNotice): Record<string, unknown> {
  const r = n.rule;
  return {
    type: `alert.${n.kind}`,
    time: new Date(n.time).toISOString(),
    summary: summaryLine(n),
    rule: {
      id: r.id, name: r.name, metric: r.metric, ...(r.counts ? { counts: r.counts } : {}), groupBy: r.groupBy,
      windowMinutes: r.windowMinutes, comparison: r.comparison, threshold: r.threshold, ...(r.relativeTo ? { relativeTo: r.relativeTo } : {}),
      description: describeRule(r),
    },
    group: { by: r.groupBy, key: shownGroup(r, n.group) },
    value: n.value,
    threshold: n.threshold,
    volume: n.volume,
    ...(n.block ? { block: { kind: n.block.kind, value: shownBlockValue(r, n.block), minutes: n.block.minutes, ok: n.block.ok } } : {}),
    ...(n.link ? { url: n.link } : {}),
  };
}

function shownBlockValue(rule: AlertRule, b: NonNullable<AlertNotice['block']>): string {
  return b.kind === 'number' ? shownGroup(rule, b.value) : b.value;
}

/** Slack's mrkdwn treats &, < and > as markup: they are escaped as Slack asks. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The Slack-compatible body (`format: slack`): a `text` fallback and Block Kit `blocks`. */
export function slackPayload(n: AlertNotice): { text: string; blocks: Record<string, unknown>[] } {
  const r = n.rule;
  const icon = n.kind === 'fired' ? ':rotating_light:' : ':white_check_mark:';
  const text = `${icon} Tollgate alert ${n.kind}: ${summaryLine(n)}`;
  const field = (label: string, value: string) => ({ type: 'mrkdwn', text: `*${label}*\n${slackEscape(value)}` });
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: `${n.kind === 'fired' ? 'Alert' : 'Resolved'}: ${r.name}`.slice(0, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: slackEscape(summaryLine(n)) } },
    {
      type: 'section',
      fields: [
        field('Group', groupLabel(r, n.group)),
        field(n.kind === 'fired' ? 'Value' : 'Value now', valueText(r, n.value)),
        field('Threshold', comparisonText(r, n.threshold)),
        field('Window', `${r.windowMinutes} min`),
      ],
    },
  ];
  if (n.block) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: slackEscape(blockLine({ ...n.block, value: shownBlockValue(r, n.block) })) } });
  const context = `rule \`${slackEscape(r.id)}\` · ${new Date(n.time).toISOString()}${n.link ? ` · <${n.link}|alert history>` : ''}`;
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context }] });
  return { text, blocks };
}

export interface AlertEmail {
  subject: string;
  text: string;
  html: string;
}

/** The email: a one-line subject, a plain-text part and a simple HTML part. */
export function alertEmail(n: AlertNotice): AlertEmail {
  const r = n.rule;
  const subject = `[Tollgate] ${n.kind === 'fired' ? 'Alert' : 'Resolved'}: ${r.name} (${groupLabel(r, n.group)})`.replace(/[\r\n]+/g, ' ');
  const rows: [string, string][] = [
    ['Group', groupLabel(r, n.group)],
    [n.kind === 'fired' ? 'Value' : 'Value now', valueText(r, n.value)],
    ['Threshold', comparisonText(r, n.threshold)],
    ['Volume', String(n.volume)],
    ['Window', `${r.windowMinutes} min`],
    ['Rule', `${r.id}: ${describeRule(r)}`],
    ['Time', new Date(n.time).toISOString()],
  ];
  const block = n.block ? blockLine({ ...n.block, value: shownBlockValue(r, n.block) }) : null;
  const text = [
    summaryLine(n),
    '',
    ...rows.map(([k, v]) => `${k}: ${v}`),
    ...(block ? ['', block] : []),
    ...(n.link ? ['', `Alert history: ${n.link}`] : []),
    '',
    'Sent by Tollgate alerts. Edit or disable the rule on the Alerts page of the admin app.',
  ].join('\n');
  const body = html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${subject}</title></head>
<body>
<p><strong>${summaryLine(n)}</strong></p>
<table cellpadding="4">
${rows.map(([k, v]) => html`<tr><th align="left">${k}</th><td>${v}</td></tr>\n`)}</table>
${block ? html`<p>${block}</p>\n` : ''}${n.link ? html`<p><a href="${n.link}">Alert history</a></p>\n` : ''}<p><small>Sent by Tollgate alerts. Edit or disable the rule on the Alerts page of the admin app.</small></p>
</body>
</html>
`;
  return { subject, text, html: body.value };
}
