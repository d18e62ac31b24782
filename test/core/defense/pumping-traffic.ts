// Test helper for the pumping detector: a tiny seeded world of countries (number blocks of a known
// size), legitimate journeys (≈83 % complete, random mobile numbers, 60 % returning trusted
// numbers, resends, wrong codes) and attackers, run through observe / assess in virtual time.
// Deterministic: its own PRNG, an event queue ordered by (time, sequence), no wall clock.
import { EventQueue } from '../../../src/simulator/event-queue.ts';
import type { Channel, TollgateEvent } from '../../../src/core/events/event.ts';
import type { DefenseAction, SendContext } from '../../../src/core/defense/decision.ts';
import { actionRank } from '../../../src/core/defense/decision.ts';
import type { PumpingDetector } from '../../../src/core/defense/pumping/index.ts';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** mulberry32: small, fast, good enough for test traffic. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
  lognormal(median: number, sigma: number): number {
    const z = Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
    return median * Math.exp(sigma * z);
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }
}

export interface Country {
  region: string;
  cc: string;
  /** Leading national digits of the mobile ranges, then `subscriber` random digits. */
  leads: string[];
  subscriber: number;
  /** Share of legitimate journeys, and their completion. */
  share: number;
  completion: number;
  cost: number;
}

export const numberIn = (rng: Rng, c: Country): string => `+${c.cc}${rng.pick(c.leads)}${rng.digits(c.subscriber)}`;

let eventSeq = 0;
export function makeEvent(type: TollgateEvent['type'], time: number, f: { session: string; number: string; country: Country; channel?: Channel; reason?: TollgateEvent['reason']; cost?: number; details?: Record<string, unknown> }): TollgateEvent {
  return {
    id: `e${++eventSeq}`, time, type, outcome: type === 'code.rejected' || type === 'session.expired' ? 'failure' : 'success',
    reason: f.reason ?? 'ok', reasonDescription: '', appId: 'app', policyId: 'p', profileId: 'pf', sessionId: f.session, userIdHash: null,
    phoneNumber: f.number, countryCallingCode: f.country.cc, phoneRegion: f.country.region, channel: f.channel ?? 'sms', ip: null, userAgent: null,
    browser: null, browserVersion: null, os: null, osVersion: null, deviceType: null, cost: f.cost ?? 0, currency: 'USD', correlationId: f.session, details: f.details ?? {},
  };
}

export function makeContext(number: string, country: Country, now: number, o: { channel?: Channel; knownGood?: boolean; session?: string; captchaPassed?: boolean } = {}): SendContext {
  return {
    now, appId: 'app', policyId: 'p', profileId: 'pf', sessionId: o.session ?? 's', userIdHash: 'u',
    phone: { e164: number, region: country.region, countryCallingCode: country.cc, type: 'MOBILE', prefix3: number.slice(0, -3), prefix4: number.slice(0, -4) },
    channel: o.channel ?? 'sms', ip: null, ipInfo: null, userAgent: null, captchaPassed: o.captchaPassed ?? false, knownGood: o.knownGood ?? false,
    estimatedCost: country.cost, sessionSendCount: 0,
  };
}

export interface Tally {
  attempts: number;
  sent: number;
  blocked: number;
  challenged: number;
  costAttempted: number;
  costSent: number;
  /** Attempts (in order) at which the detector first challenged / blocked. */
  firstStopAt: number | null;
}
const newTally = (): Tally => ({ attempts: 0, sent: 0, blocked: 0, challenged: 0, costAttempted: 0, costSent: 0, firstStopAt: null });

/** Virtual time, an event queue, the detector, and tallies per actor label. */
export class World {
  readonly tallies = new Map<string, Tally>();
  /** Legitimate journeys: started, hard-blocked (never verified because of a block), challenged. */
  readonly legit = { journeys: 0, hardBlocked: 0, challenged: 0, verified: 0 };
  private readonly queue = new EventQueue();
  private sessionSeq = 0;
  now = 0;

  constructor(readonly detector: PumpingDetector, readonly rng: Rng) {}

  at(time: number, run: () => void): void {
    this.queue.push(time, run);
  }

  runUntil(until: number): void {
    for (let next = this.queue.peekTime(); next !== undefined && next <= until; next = this.queue.peekTime()) {
      const job = this.queue.pop()!;
      this.now = job.t;
      void job.run();
    }
    this.now = until;
  }

  tally(label: string): Tally {
    let t = this.tallies.get(label);
    if (!t) this.tallies.set(label, (t = newTally()));
    return t;
  }

  newSession(): string {
    return `s${++this.sessionSeq}`;
  }

  emit(e: TollgateEvent): void {
    this.detector.observe(e);
  }

  /**
   * Asks the detector about a send; records it under `label`. Returns the strongest action (a
   * solved CAPTCHA, `captchaPassed`, answers challenges). A refused send is recorded as the service
   * records it: a `code.send_refused` event carrying the decision's reasons.
   */
  decide(label: string, number: string, country: Country, o: { channel?: Channel; knownGood?: boolean; session?: string; count?: boolean; captchaPassed?: boolean } = {}): DefenseAction {
    const reasons = this.detector.assess(makeContext(number, country, this.now, o), this.now);
    let action: DefenseAction = 'allow';
    for (const r of reasons) {
      const a = o.captchaPassed && r.action === 'challenge' ? 'allow' : r.action;
      if (actionRank[a] > actionRank[action]) action = a;
    }
    if (action !== 'allow') {
      const decision = { action, reasons: reasons.map((r) => ({ code: r.code, rule: r.rule, action: r.action, shadow: r.shadow })) };
      const reason = action === 'challenge' ? 'captcha_required' : 'pumping_suspected';
      this.emit(makeEvent('code.send_refused', this.now, { session: o.session ?? 's', number, country, channel: o.channel, reason: reason as TollgateEvent['reason'], details: { decision } }));
    }
    if (o.count === false) return action;
    const t = this.tally(label);
    t.attempts++;
    t.costAttempted += country.cost;
    if (action === 'block') t.blocked++;
    if (action === 'challenge') t.challenged++;
    if (action !== 'allow' && t.firstStopAt === null) t.firstStopAt = t.attempts;
    return action;
  }

  /** Records a send that went out. */
  sent(label: string, session: string, number: string, country: Country, channel: Channel = 'sms'): void {
    const t = this.tally(label);
    t.sent++;
    t.costSent += country.cost;
    this.emit(makeEvent('code.sent', this.now, { session, number, country, channel, cost: country.cost }));
  }

  /** The user types the code after `delay` (a wrong one first with probability `wrong`). */
  verifyLater(session: string, number: string, country: Country, delay: number, wrong: number, channel: Channel = 'sms'): void {
    const typo = this.rng.next() < wrong;
    if (typo) this.at(this.now + delay, () => this.emit(makeEvent('code.rejected', this.now, { session, number, country, channel, reason: 'invalid_code' })));
    this.at(this.now + delay + (typo ? 12_000 : 0), () => {
      this.emit(makeEvent('code.verified', this.now, { session, number, country, channel }));
      this.emit(makeEvent('session.verified', this.now, { session, number, country, channel }));
    });
  }
}
