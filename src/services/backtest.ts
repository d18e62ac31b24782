// The backtest replay: recorded send attempts, in time order, through a fresh DefenseEngine built
// from a candidate rule set, on virtual time (each event's own timestamp drives the memory
// counters and the pumping detector), then labelled by what happened later and added up into a
// report. Nothing is written: the store is only read. docs/backtest.md explains the choices.
import { MemoryCounters } from '../adapters/counters/memory.ts';
import { classifyEvent, leadingReason, skipReasons, type Attempt, type SkipReason } from '../core/backtest/attempt.ts';
import type { Candidate } from '../core/backtest/candidate.ts';
import { VerificationBook, type LabelRules } from '../core/backtest/labels.ts';
import type { AttemptOutcome, CandidateDecision } from '../core/backtest/outcome.ts';
import type { TimeRange } from '../core/backtest/range.ts';
import type { BacktestReport } from '../core/backtest/report.ts';
import { ReputationTimeline, type ReputationMode } from '../core/backtest/reputation-timeline.ts';
import { sendContextOf } from '../core/backtest/send-context.ts';
import { Tally } from '../core/backtest/tally.ts';
import { warmupMs } from '../core/backtest/warmup.ts';
import type { IpInfo, SendDecision } from '../core/defense/decision.ts';
import { resolveDefenseConfig, type RuleMode } from '../core/defense/defense-config.ts';
import { builtinRules, DefenseEngine, type DefenseRule } from '../core/defense/engine.ts';
import { PumpingDetector, pumpingRule } from '../core/defense/pumping/index.ts';
import { isTrusted, reputationReasons } from '../core/defense/reputation.ts';
import type { TollgateEvent } from '../core/events/event.ts';
import { parsePhoneNumber, type ParsedPhoneNumber } from '../core/phone/phone-number.ts';
import { estimateCost, type PriceTable } from '../core/pricing/price-table.ts';
import type { Geo, Store } from '../ports.ts';
import { eventPages } from './backtest-events.ts';
import { seedFromEvents } from './event-replay.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Start-up seeds the pumping detector with two weeks of events; the backtest does the same before `since`. */
export const PUMPING_SEED_MS = 14 * DAY_MS;
export const DEFAULT_LABEL_WINDOW_MS = 24 * HOUR_MS;
const CACHE_LIMIT = 200_000;
const PROGRESS_EVERY = 2000;
const COUNTER_SWEEP_MS = HOUR_MS;

export interface BacktestDeps {
  store: Store;
  /** IP intelligence, as the live service looks it up (OfflineGeo, or NullGeo with geo off). */
  geo: Geo;
  /** The current price table: estimates of attempts that were refused (sent ones carry their cost). */
  prices: PriceTable;
}

export interface BacktestOptions {
  range: TimeRange;
  /** Wall-clock now: the end of the data for labels, and "today" for --reputation-as-of-now. */
  now: number;
  candidate: Candidate;
  /** Report only attempts of this policy (every attempt is still replayed: counters are shared). */
  policy?: string | null;
  reputation?: ReputationMode;
  labelWindowMs?: number;
  /** session.ttlSeconds in ms: how long an unverified attempt may still be waiting for its code. */
  sessionTtlMs: number;
  onProgress?: (fraction: number, attempts: number) => void;
}

/** The lists in force at each send, as the extra rule the live service plugs in (id `reputation`, order 35). */
function timelineReputationRule(timeline: ReputationTimeline): DefenseRule {
  return {
    id: 'reputation',
    code: 'bad_reputation',
    order: 35,
    async evaluate(ctx) {
      return reputationReasons(ctx, timeline.at(ctx.now));
    },
  };
}

export async function runBacktest(deps: BacktestDeps, o: BacktestOptions): Promise<BacktestReport> {
  const { store } = deps;
  const { since, until } = o.range;
  const labelWindowMs = o.labelWindowMs ?? DEFAULT_LABEL_WINDOW_MS;
  const reputationMode = o.reputation ?? 'recorded';
  const seedFrom = since - PUMPING_SEED_MS;
  const replayFrom = since - Math.min(warmupMs(o.candidate.defense), PUMPING_SEED_MS);
  const labelsUntil = Math.max(until, Math.min(until + labelWindowMs, o.now));

  const detector = new PumpingDetector(o.candidate.pumping);
  const timeline = new ReputationTimeline(await store.listReputation(), reputationMode, o.now);
  const reputationRule = timelineReputationRule(timeline);
  // Idle keys are swept by `now`, which races through virtual time: once a virtual hour, not a minute
  // (sweeping only frees memory; counts never include expired hits).
  const counters = new MemoryCounters({ sweepIntervalMs: COUNTER_SWEEP_MS });
  const engine = new DefenseEngine(o.candidate.defense, counters, [reputationRule, pumpingRule(detector)]);

  const book = new VerificationBook();
  /** First verification of each number: numbers that verified before an attempt are trusted (knownGood). */
  const firstVerified = new Map<string, number>();
  const sessionSends = new Map<string, number>();
  const follow = (e: TollgateEvent) => {
    if (e.type === 'session.verified') {
      book.record(e);
      if (e.phoneNumber && !firstVerified.has(e.phoneNumber)) firstVerified.set(e.phoneNumber, e.time);
    } else if (e.type === 'code.sent' && e.sessionId) {
      const n = e.details.sendCount;
      sessionSends.set(e.sessionId, typeof n === 'number' ? n : (sessionSends.get(e.sessionId) ?? 0) + 1);
    }
  };

  // Verifications older than the seed window only matter for trust: read them alone (type index),
  // keeping only each number's first one (labels look back at most the seed window).
  for await (const page of eventPages(store, { since: 0, until: seedFrom, type: 'session.verified' })) {
    for (const e of page) if (e.phoneNumber && !firstVerified.has(e.phoneNumber)) firstVerified.set(e.phoneNumber, e.time);
  }
  // The pumping detector learns the two weeks before the replay, as start-up does.
  await seedFromEvents(store, seedFrom, (batch) => {
    for (const e of batch) {
      detector.observe(e);
      follow(e);
    }
  }, replayFrom);

  const parsedCache = new Map<string, ParsedPhoneNumber | null>();
  const geoCache = new Map<string, IpInfo | null>();
  const parse = (e164: string) => cached(parsedCache, e164, () => parsePhoneNumber(e164));
  const lookup = (ip: string) => cached(geoCache, ip, () => deps.geo.lookup(ip));

  const judge = async (a: Attempt, parsed: ParsedPhoneNumber): Promise<CandidateDecision> => {
    const e = a.event;
    const sendCount = e.details.sendCount;
    const ctx = sendContextOf(a, {
      parsed,
      ipInfo: e.ip ? lookup(e.ip) : null,
      knownGood: (firstVerified.get(parsed.e164) ?? Infinity) < e.time,
      estimatedCost: a.sent ? e.cost : estimateCost(deps.prices, parsed.region, a.channel),
      sessionSendCount: a.sent && typeof sendCount === 'number' ? sendCount - 1 : (e.sessionId ? (sessionSends.get(e.sessionId) ?? 0) : 0),
    });
    // Allow-listed numbers are trusted like numbers that verified before (SendDefense.context).
    if (!ctx.knownGood) ctx.knownGood = isTrusted(ctx, timeline.at(e.time));
    if (!o.candidate.defense.enabled) return { action: 'allow', rule: null, shadow: [] };
    const decision: SendDecision = await engine.decide(ctx);
    // In the candidate's world the sends it allows are the ones that go out and count.
    if (decision.action === 'allow') await engine.commitSend(ctx).catch(() => undefined);
    const shadow: CandidateDecision['shadow'] = [];
    for (const r of decision.reasons) if (r.shadow && r.action !== 'allow') shadow.push({ rule: r.rule, action: r.action });
    return { action: decision.action, rule: leadingReason(decision.reasons)?.rule ?? null, shadow };
  };

  const outcomes: AttemptOutcome[] = [];
  const skipped = Object.fromEntries(skipReasons.map((s) => [s, 0])) as Record<SkipReason, number>;
  let inRange = 0;
  let otherPolicies = 0;
  let sinceProgress = 0;
  const span = Math.max(1, until - replayFrom);
  for await (const page of eventPages(store, { since: replayFrom, until })) {
    for (const e of page) {
      const reported = e.time >= since;
      if (reported) inRange++;
      const c = classifyEvent(e);
      if (c && 'skip' in c) {
        if (reported) skipped[c.skip]++;
      } else if (c) {
        const parsed = parse(c.attempt.e164);
        if (!parsed) {
          if (reported) skipped['no-number']++;
        } else {
          const candidate = await judge(c.attempt, parsed);
          if (reported && o.policy && e.policyId !== o.policy) otherPolicies++;
          else if (reported) outcomes.push(outcomeOf(c.attempt, parsed, candidate, deps.prices));
        }
      }
      detector.observe(e);
      follow(e);
      if (++sinceProgress >= PROGRESS_EVERY) {
        sinceProgress = 0;
        o.onProgress?.(Math.min(1, (e.time - replayFrom) / span), outcomes.length);
      }
    }
  }
  // Labels look ahead: verifications up to a window after the range (never past now).
  for await (const page of eventPages(store, { since: until, until: labelsUntil, type: 'session.verified' })) for (const e of page) book.record(e);
  o.onProgress?.(1, outcomes.length);

  const rules: LabelRules = { windowMs: labelWindowMs, sessionTtlMs: o.sessionTtlMs, dataEnd: labelsUntil };
  const tally = new Tally();
  for (const out of outcomes) tally.add(out, book.label(out, rules));
  const t = tally.result();
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    range: { since: iso(since), until: iso(until), warmupFrom: iso(replayFrom), seededFrom: iso(seedFrom), labelsUntil: iso(labelsUntil) },
    candidate: { source: o.candidate.source, defenseEnabled: o.candidate.defense.enabled, modes: ruleModes(o.candidate, [reputationRule, { id: 'pumping' }]) },
    options: { policy: o.policy ?? null, reputation: reputationMode, labelWindowHours: labelWindowMs / HOUR_MS },
    events: { inRange, attempts: outcomes.length, skipped, otherPolicies },
    labels: t.labels,
    changes: t.changes,
    spend: { currency: deps.prices.currency, ...t.spend },
    rules: t.rules,
    countries: t.countries,
    prefixes: t.prefixes,
    samples: t.samples,
  };
}

function outcomeOf(a: Attempt, parsed: ParsedPhoneNumber, candidate: CandidateDecision, prices: PriceTable): AttemptOutcome {
  const e = a.event;
  return {
    time: e.time,
    sessionId: e.sessionId,
    e164: parsed.e164,
    userIdHash: e.userIdHash,
    region: parsed.region ?? '001',
    prefix4: parsed.e164.slice(0, Math.max(2, parsed.e164.length - 4)),
    channel: a.channel,
    policyId: e.policyId,
    sent: a.sent,
    recordedCost: a.sent ? e.cost : 0,
    estimatedCost: a.sent ? e.cost : estimateCost(prices, parsed.region, a.channel),
    recorded: a.recorded,
    candidate,
  };
}

/** Each rule's mode under the candidate's global settings. */
function ruleModes(candidate: Candidate, extra: Pick<DefenseRule, 'id' | 'mode'>[]): Record<string, RuleMode> {
  const config = resolveDefenseConfig(candidate.defense, null);
  const modes: Record<string, RuleMode> = {};
  for (const rule of [...builtinRules, ...extra]) modes[rule.id] = rule.mode ? rule.mode(config) : (config.ruleModes[rule.id] ?? 'enforce');
  return modes;
}

function cached<V>(cache: Map<string, V>, key: string, make: () => V): V {
  if (cache.has(key)) return cache.get(key)!;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const value = make();
  cache.set(key, value);
  return value;
}
