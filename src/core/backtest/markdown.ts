// The backtest report as Markdown tables (what `tollgate backtest` prints without --json).
import { skipReasons } from './attempt.ts';
import type { Label } from './labels.ts';
import type { AffectedRow, BacktestReport, ByLabel, SampleAttempt } from './report.ts';

const LABEL_NAMES: Record<Label, string> = { legit: 'legitimate-looking', suspicious: 'suspicious', pending: 'pending' };
const ORDER: Label[] = ['legit', 'suspicious', 'pending'];

const n = (x: number) => x.toLocaleString('en-US');
const pair = (x: ByLabel<number>) => `${n(x.legit)} / ${n(x.suspicious)}${x.pending ? ` / ${n(x.pending)}` : ''}`;
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

export function markdownReport(r: BacktestReport): string {
  const money = (x: number) => `${x.toFixed(2)} ${r.spend.currency}`;
  const out: string[] = [];
  out.push(`# Backtest ${r.range.since} → ${r.range.until}`, '');
  const modes = Object.entries(r.candidate.modes).filter(([, m]) => m !== 'enforce').map(([id, m]) => `${id}: ${m}`);
  out.push(
    `- candidate: ${r.candidate.source}${r.candidate.defenseEnabled ? '' : ' (defense.enabled: false — every send is allowed)'}${modes.length ? ` (${modes.join(', ')})` : ''}`,
    `- reputation lists: ${r.options.reputation === 'now' ? 'as of now, for the whole range' : 'as recorded (the entries in force at each send)'}`,
    `- labels: legitimate-looking = the session verified, or the number or user verified within ${r.options.labelWindowHours} h; verifications read until ${r.range.labelsUntil}`,
    `- policy: ${r.options.policy ?? 'all'}`,
  );
  const skipped = skipReasons.filter((s) => r.events.skipped[s] > 0).map((s) => `${n(r.events.skipped[s])} ${s}`);
  out.push(
    `- ${n(r.events.inRange)} events in range, ${n(r.events.attempts)} send attempts replayed${skipped.length ? `; skipped: ${skipped.join(', ')}` : ''}` +
      `${r.events.otherPolicies ? `; ${n(r.events.otherPolicies)} attempts of other policies replayed but not reported` : ''}`,
    '',
  );
  if (r.events.attempts === 0) {
    out.push(r.events.inRange === 0 ? 'No events in range: nothing to replay.' : 'No send attempts reached the defense in this range: nothing to compare.');
    return out.join('\n');
  }

  out.push('## Outcomes', '', row(['label', 'attempts', 'journeys', 'recorded allow / challenge / block', 'candidate allow / challenge / block', 'spent']), '|---|---:|---:|---|---|---:|');
  for (const l of ORDER) {
    const s = r.labels[l];
    if (l === 'pending' && s.attempts === 0) continue;
    out.push(row([LABEL_NAMES[l], n(s.attempts), n(s.journeys), `${n(s.recorded.allow)} / ${n(s.recorded.challenge)} / ${n(s.recorded.block)}`, `${n(s.candidate.allow)} / ${n(s.candidate.challenge)} / ${n(s.candidate.block)}`, money(s.spend)]));
  }
  out.push('', '## Changes against the record', '', row(['label', 'newly blocked', 'newly challenged', 'newly allowed', 'block → challenge', 'unchanged']), '|---|---:|---:|---:|---:|---:|');
  for (const l of ORDER) {
    const c = r.changes[l];
    if (l === 'pending' && r.labels.pending.attempts === 0) continue;
    out.push(row([LABEL_NAMES[l], n(c.newlyBlocked), n(c.newlyChallenged), n(c.newlyAllowed), n(c.blockToChallenge), n(c.unchanged)]));
  }

  const sp = r.spend;
  out.push(
    '',
    '## Spend and journeys',
    '',
    `- suspicious spend the candidate would stop: ${money(sp.suspiciousSavedByBlocks)} by blocks, up to ${money(sp.suspiciousSavedByChallenges)} more by challenges (if the CAPTCHA holds), of ${money(sp.spent.suspicious)} spent`,
    `- legitimate-looking journeys hurt: ${n(sp.legitJourneysBlocked)} blocked (${n(sp.legitJourneysNewlyBlocked)} newly), ${n(sp.legitJourneysChallenged)} challenged (${n(sp.legitJourneysNewlyChallenged)} newly), of ${n(sp.legitJourneys)}`,
    `- sends refused when recorded that the candidate would let out: about ${money(sp.newlyAllowedCost.legit)} legitimate-looking, ${money(sp.newlyAllowedCost.suspicious)} suspicious`,
  );

  if (r.rules.length > 0) {
    out.push('', '## By rule', '', 'Counts are legitimate-looking / suspicious (/ pending). A refusal counts for the rule that leads it (its strongest enforced reason); newly allowed and block → challenge count for the rule that refused when recorded.', '');
    out.push(row(['rule', 'would block', 'would challenge', 'newly blocked', 'newly challenged', 'newly allowed', 'block → challenge', 'shadow block', 'shadow challenge', 'suspicious spend stopped']), '|---|---|---|---|---|---|---|---|---|---:|');
    for (const x of r.rules) {
      out.push(row([`\`${x.rule}\``, pair(x.wouldBlock), pair(x.wouldChallenge), pair(x.newlyBlocked), pair(x.newlyChallenged), pair(x.newlyAllowed), pair(x.eased), pair(x.shadowBlock), pair(x.shadowChallenge), money(x.suspiciousSpendStopped)]));
    }
  }
  affectedTable(out, 'Top countries the candidate stops', 'country', r.countries, money);
  affectedTable(out, 'Top number blocks the candidate stops', 'block (10k)', r.prefixes, money);
  samplesTable(out, 'Legitimate-looking sends the candidate would newly block', r.samples.legitNewlyBlocked);
  samplesTable(out, 'Legitimate-looking sends the candidate would newly challenge', r.samples.legitNewlyChallenged);
  samplesTable(out, 'Suspicious sends the candidate would newly allow', r.samples.suspiciousNewlyAllowed);
  return out.join('\n');
}

function samplesTable(out: string[], title: string, rows: SampleAttempt[]): void {
  if (rows.length === 0) return;
  out.push('', `## ${title} (first ${rows.length})`, '', row(['time', 'session', 'number', 'channel', 'recorded → candidate', 'rule']), '|---|---|---|---|---|---|');
  for (const x of rows) out.push(row([x.time, x.sessionId ?? '-', x.number, x.channel, `${x.recorded} → ${x.candidate}`, x.rule ? `\`${x.rule}\`` : '-']));
}

function affectedTable(out: string[], title: string, what: string, rows: AffectedRow[], money: (x: number) => string): void {
  if (rows.length === 0) return;
  out.push('', `## ${title}`, '', row([what, 'stopped (legit / suspicious)', 'newly stopped', 'suspicious spend stopped']), '|---|---|---|---:|');
  for (const x of rows) out.push(row([x.key, pair(x.stopped), pair(x.newlyStopped), money(x.suspiciousSpendStopped)]));
}
