// Adds labelled outcomes up into the report's counts: per label, per change against the record,
// per rule that drove the candidate's decision, per country and number block, and per journey.
import type { DefenseAction } from '../defense/decision.ts';
import { labels, type Label } from './labels.ts';
import { changeOf, changes, type AttemptOutcome, type Change } from './outcome.ts';
import { maskPhoneNumber } from '../phone/phone-number.ts';
import type { ActionCounts, AffectedRow, BacktestReport, ByLabel, LabelSummary, RuleRow, SampleAttempt, SpendSummary } from './report.ts';

export const TOP_ROWS = 10;
export const SAMPLES = 10;

const RANK: Record<DefenseAction, number> = { allow: 0, challenge: 1, block: 2 };

interface Journey {
  label: Label;
  recordedWorst: DefenseAction;
  candidateWorst: DefenseAction;
}

const byLabel = <T>(make: () => T): ByLabel<T> => ({ legit: make(), suspicious: make(), pending: make() });
const actions = (): ActionCounts => ({ allow: 0, challenge: 0, block: 0 });
const money = (x: number) => Math.round(x * 1e6) / 1e6;
const zero = () => 0;

export interface TallyResult {
  labels: ByLabel<LabelSummary>;
  changes: ByLabel<Record<Change, number>>;
  spend: Omit<SpendSummary, 'currency'>;
  rules: RuleRow[];
  countries: AffectedRow[];
  prefixes: AffectedRow[];
  samples: BacktestReport['samples'];
}

export class Tally {
  private readonly summary = byLabel(() => ({ attempts: 0, journeys: 0, sent: 0, spend: 0, recorded: actions(), candidate: actions() }));
  private readonly changeCounts = byLabel(() => Object.fromEntries(changes.map((c) => [c, 0])) as Record<Change, number>);
  private readonly rules = new Map<string, RuleRow>();
  private readonly countries = new Map<string, AffectedRow>();
  private readonly prefixes = new Map<string, AffectedRow>();
  private readonly journeys = new Map<string, Journey>();
  private savedByBlocks = 0;
  private savedByChallenges = 0;
  private legitStopped = 0;
  private readonly newlyAllowedCost = byLabel(zero);
  private readonly samples: BacktestReport['samples'] = { legitNewlyBlocked: [], legitNewlyChallenged: [], suspiciousNewlyAllowed: [] };

  add(o: AttemptOutcome, label: Label): void {
    const s = this.summary[label];
    s.attempts++;
    s.recorded[o.recorded.action]++;
    s.candidate[o.candidate.action]++;
    if (o.sent) {
      s.sent++;
      s.spend += o.recordedCost;
    }
    const change = changeOf(o.recorded.action, o.candidate.action);
    this.changeCounts[label][change]++;
    const stopped = o.candidate.action !== 'allow';
    const stoppedSpend = stopped && o.sent ? o.recordedCost : 0;
    if (stoppedSpend > 0) {
      if (label === 'suspicious') {
        if (o.candidate.action === 'block') this.savedByBlocks += stoppedSpend;
        else this.savedByChallenges += stoppedSpend;
      } else if (label === 'legit') this.legitStopped += stoppedSpend;
    }
    if (change === 'newlyAllowed') this.newlyAllowedCost[label] += o.estimatedCost;
    if (label === 'legit' && change === 'newlyBlocked') sample(this.samples.legitNewlyBlocked, o, o.candidate.rule);
    if (label === 'legit' && change === 'newlyChallenged') sample(this.samples.legitNewlyChallenged, o, o.candidate.rule);
    if (label === 'suspicious' && change === 'newlyAllowed') sample(this.samples.suspiciousNewlyAllowed, o, o.recorded.rule);

    if (stopped && o.candidate.rule) {
      const row = this.rule(o.candidate.rule);
      (o.candidate.action === 'block' ? row.wouldBlock : row.wouldChallenge)[label]++;
      if (change === 'newlyBlocked') row.newlyBlocked[label]++;
      if (change === 'newlyChallenged') row.newlyChallenged[label]++;
      if (label === 'suspicious') row.suspiciousSpendStopped += stoppedSpend;
    }
    if (change === 'newlyAllowed' && o.recorded.rule) this.rule(o.recorded.rule).newlyAllowed[label]++;
    if (change === 'blockToChallenge' && o.recorded.rule) this.rule(o.recorded.rule).eased[label]++;
    for (const sh of o.candidate.shadow) (sh.action === 'block' ? this.rule(sh.rule).shadowBlock : this.rule(sh.rule).shadowChallenge)[label]++;

    if (stopped) {
      const newly = o.recorded.action === 'allow';
      for (const [map, key] of [[this.countries, o.region], [this.prefixes, o.prefix4]] as const) {
        const row = affected(map, key);
        row.stopped[label]++;
        if (newly) row.newlyStopped[label]++;
        if (label === 'suspicious') row.suspiciousSpendStopped += stoppedSpend;
      }
    }

    const key = o.sessionId ?? `attempt:${o.time}:${o.e164}`;
    const j = this.journeys.get(key);
    if (!j) this.journeys.set(key, { label, recordedWorst: o.recorded.action, candidateWorst: o.candidate.action });
    else {
      j.label = strongerLabel(j.label, label);
      if (RANK[o.recorded.action] > RANK[j.recordedWorst]) j.recordedWorst = o.recorded.action;
      if (RANK[o.candidate.action] > RANK[j.candidateWorst]) j.candidateWorst = o.candidate.action;
    }
  }

  result(): TallyResult {
    let legitJourneys = 0;
    let blocked = 0;
    let challenged = 0;
    let newlyBlocked = 0;
    let newlyChallenged = 0;
    for (const j of this.journeys.values()) {
      this.summary[j.label].journeys++;
      if (j.label !== 'legit') continue;
      legitJourneys++;
      if (j.candidateWorst === 'block') {
        blocked++;
        if (j.recordedWorst !== 'block') newlyBlocked++;
      } else if (j.candidateWorst === 'challenge') {
        challenged++;
        if (j.recordedWorst === 'allow') newlyChallenged++;
      }
    }
    for (const l of labels) this.summary[l].spend = money(this.summary[l].spend);
    const rules = [...this.rules.values()].map((r) => ({ ...r, suspiciousSpendStopped: money(r.suspiciousSpendStopped) }));
    rules.sort((a, b) => weight(b) - weight(a) || compare(a.rule, b.rule));
    return {
      labels: this.summary,
      changes: this.changeCounts,
      spend: {
        spent: byLabelOf((l) => this.summary[l].spend),
        suspiciousSavedByBlocks: money(this.savedByBlocks),
        suspiciousSavedByChallenges: money(this.savedByChallenges),
        legitStoppedSpend: money(this.legitStopped),
        newlyAllowedCost: byLabelOf((l) => money(this.newlyAllowedCost[l])),
        legitJourneys,
        legitJourneysBlocked: blocked,
        legitJourneysChallenged: challenged,
        legitJourneysNewlyBlocked: newlyBlocked,
        legitJourneysNewlyChallenged: newlyChallenged,
      },
      rules,
      countries: top(this.countries),
      prefixes: top(this.prefixes),
      samples: this.samples,
    };
  }

  private rule(id: string): RuleRow {
    let row = this.rules.get(id);
    if (!row) {
      row = {
        rule: id,
        wouldBlock: byLabel(zero), wouldChallenge: byLabel(zero),
        newlyBlocked: byLabel(zero), newlyChallenged: byLabel(zero), newlyAllowed: byLabel(zero), eased: byLabel(zero),
        shadowBlock: byLabel(zero), shadowChallenge: byLabel(zero),
        suspiciousSpendStopped: 0,
      };
      this.rules.set(id, row);
    }
    return row;
  }
}

function sample(list: SampleAttempt[], o: AttemptOutcome, rule: string | null): void {
  if (list.length >= SAMPLES) return;
  list.push({
    time: new Date(o.time).toISOString(),
    sessionId: o.sessionId,
    number: maskPhoneNumber(o.e164),
    country: o.region,
    channel: o.channel,
    recorded: o.recorded.action,
    candidate: o.candidate.action,
    rule,
  });
}

function byLabelOf<T>(f: (l: Label) => T): ByLabel<T> {
  return { legit: f('legit'), suspicious: f('suspicious'), pending: f('pending') };
}

function affected(map: Map<string, AffectedRow>, key: string): AffectedRow {
  let row = map.get(key);
  if (!row) map.set(key, (row = { key, stopped: byLabel(zero), newlyStopped: byLabel(zero), suspiciousSpendStopped: 0 }));
  return row;
}

/** Code-point order: the same on every machine, whatever its locale. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const sum = (x: ByLabel<number>) => x.legit + x.suspicious + x.pending;

/** Rules that change the most come first. */
function weight(r: RuleRow): number {
  return sum(r.wouldBlock) + sum(r.wouldChallenge) + sum(r.newlyAllowed) + sum(r.eased) + sum(r.shadowBlock) + sum(r.shadowChallenge);
}

function top(map: Map<string, AffectedRow>): AffectedRow[] {
  return [...map.values()]
    .map((r) => ({ ...r, suspiciousSpendStopped: money(r.suspiciousSpendStopped) }))
    .sort((a, b) => sum(b.stopped) - sum(a.stopped) || b.suspiciousSpendStopped - a.suspiciousSpendStopped || compare(a.key, b.key))
    .slice(0, TOP_ROWS);
}

/** A journey is legitimate-looking if any of its attempts is, else pending if any is, else suspicious. */
function strongerLabel(a: Label, b: Label): Label {
  if (a === 'legit' || b === 'legit') return 'legit';
  if (a === 'pending' || b === 'pending') return 'pending';
  return 'suspicious';
}
