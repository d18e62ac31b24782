// PumpingDetector: the SMS-pumping / toll-fraud detector (fraud.md §2.2 c–e, §6). Pure and in
// memory: it learns from the event stream (observe / seed), judges each send before it goes out
// (assess) and suspends number blocks or a country's channel on an escalating ladder. Time only
// comes in through events and the `now` arguments. docs/pumping.md describes the signals.
import type { TollgateEvent } from '../../events/event.ts';
import type { DefenseReason, SendContext } from '../decision.ts';
import { numberPrefix } from '../phone-keys.ts';
import { hourIndex } from './baseline.ts';
import { resolvePumpingConfig, type PumpingConfig, type PumpingConfigOverride } from './config.ts';
import { foldHour } from './learning.ts';
import { refreshBlock, refreshCountry, type Knock } from './decisions.ts';
import { actionOf, isActive, type SuspensionState } from './ladder.ts';
import { forgetNetworks, noteVerifiedNetwork, sharedVerifiedNetwork } from './networks.ts';
import { onChallenged, onCheck, onSent, onSessionEnd, runTimers } from './outcomes.ts';
import { blockReason, countryReason, describeSuspension, type Suspension } from './reasons.ts';
import { buildStats, type PumpingStats } from './report.ts';
import { sweep } from './spread.ts';
import { countryOf, newState, suspensionKey, type PumpingState } from './state.ts';

const HOUR = 3_600_000;
/** Longest gap of closed hours learned one by one (a longer outage of the service learns nothing). */
const MAX_HOURS_CATCH_UP = 24 * 8;

export class PumpingDetector {
  readonly config: PumpingConfig;
  private readonly st: PumpingState;

  constructor(config: PumpingConfigOverride = {}) {
    this.config = resolvePumpingConfig(config);
    this.st = newState(this.config);
  }

  /** Feeds one event (sends, code checks, session ends; other types are ignored). */
  observe(event: TollgateEvent): void {
    this.advance(event.time);
    const st = this.st;
    switch (event.type) {
      case 'code.sent': {
        onSent(st, event);
        // Let the block react to the send itself, so suspensions also follow from events alone.
        if (event.phoneNumber) this.refreshBlocksOf(event.phoneNumber, event.time);
        break;
      }
      case 'code.verified':
        onCheck(st, event, true);
        noteVerifiedNetwork(st, event);
        break;
      case 'session.verified':
        onCheck(st, event, true);
        break;
      case 'code.rejected':
        onCheck(st, event, false);
        break;
      case 'code.send_refused':
        onChallenged(st, event);
        break;
      case 'session.expired':
      case 'session.failed':
      case 'session.cancelled':
        onSessionEnd(st, event);
        break;
      default:
        break;
    }
  }

  /** Rebuilds state from recorded events (in time order), exactly as observing them would. */
  seed(events: Iterable<TollgateEvent>): void {
    for (const e of events) this.observe(e);
  }

  /** Reasons against the send `ctx` describes (none when nothing is suspended for it). */
  assess(ctx: SendContext, now: number): DefenseReason[] {
    this.advance(now);
    const st = this.st;
    const cfg = this.config;
    const e164 = ctx.phone.e164;
    const knock: Knock = { e164, trusted: ctx.knownGood };
    const reasons: DefenseReason[] = [];
    let block: SuspensionState | null = null;
    for (const [map, scope, key] of [
      [st.p4, 'prefix4', numberPrefix(e164, 4)],
      [st.p3, 'prefix3', numberPrefix(e164, 3)],
    ] as const) {
      const rec = map.get(key);
      const s = rec ? refreshBlock(st, rec, now, knock) : (st.suspensions.get(suspensionKey(scope, key)) ?? null);
      if (!s || !isActive(s, now, cfg) || knock.trusted) continue;
      if (!block || (actionOf(s, s.level) === 'block' && actionOf(block, block.level) !== 'block')) block = s;
    }
    if (block) reasons.push(blockReason(block, now));
    const country = countryOf(ctx.phone.region, ctx.phone.countryCallingCode, e164);
    const cs = st.countries.get(`${country}:${ctx.channel}`);
    if (cs) {
      // Country challenges are for untrusted sends: new numbers, from networks nobody verified from.
      const trusted = ctx.knownGood || sharedVerifiedNetwork(st, country, ctx.ip, now);
      const s = refreshCountry(st, cs, now, { e164, trusted });
      const exempt = trusted && cfg.country.trustedBypass;
      if (s && isActive(s, now, cfg) && !exempt) reasons.push(countryReason(s, ctx.channel, cfg));
    }
    return reasons;
  }

  /** Automatic suspensions at `now`: active ones, plus those on probation when asked. */
  suspensions(now: number, options: { includeProbation?: boolean } = {}): Suspension[] {
    this.advance(now);
    const out: Suspension[] = [];
    for (const s of this.st.suspensions.values()) {
      const d = describeSuspension(s, now, this.config);
      if (d.level === 0 || (d.state === 'probation' && !options.includeProbation)) continue;
      out.push(d);
    }
    return out.sort((a, b) => a.since - b.since || a.key.localeCompare(b.key));
  }

  /** Counters, baselines and thresholds per country and channel, for debugging. */
  stats(now: number): PumpingStats {
    this.advance(now);
    return buildStats(this.st, now);
  }

  /** Moves time forward: settles due sends, closes hours into the baselines, forgets old records. */
  private advance(now: number): void {
    const st = this.st;
    if (!Number.isFinite(now) || now <= st.clock) return;
    if (!Number.isFinite(st.firstTime)) {
      st.firstTime = now;
      st.hour = hourIndex(now) - 1;
    }
    st.clock = now;
    const touchedCountries = new Set<string>();
    const touchedNumbers = new Set<string>();
    runTimers(st, now, touchedCountries, touchedNumbers);
    const current = hourIndex(now);
    if (current - 1 > st.hour) {
      const from = Math.max(st.hour + 1, current - MAX_HOURS_CATCH_UP);
      for (let h = from; h < current; h++) this.closeHour(h, now);
      st.hour = current - 1;
      sweep(st, now);
      forgetNetworks(st, now);
    }
    for (const e164 of touchedNumbers) this.refreshBlocksOf(e164, now);
    for (const key of touchedCountries) {
      const cs = st.countries.get(key);
      if (cs) refreshCountry(st, cs, now, null);
    }
  }

  /** Hour `h` closed: the hour before it, whose sessions have settled by now, teaches the baselines. */
  private closeHour(h: number, now: number): void {
    const st = this.st;
    const learn = h - 1;
    for (const cs of st.countries.values()) {
      // Hours before a country was first seen are not "quiet hours" of it.
      if ((learn + 1) * HOUR <= cs.firstAt) continue;
      foldHour(st, cs, learn, now);
    }
  }

  private refreshBlocksOf(e164: string, now: number): void {
    const n = this.st.numbers.get(e164);
    if (!n) return;
    const r4 = this.st.p4.get(n.p4);
    if (r4) refreshBlock(this.st, r4, now, null);
    const r3 = this.st.p3.get(n.p3);
    if (r3) refreshBlock(this.st, r3, now, null);
  }
}
