// Test helper for the pumping detector: who sends in the test world. Legitimate users (fraud.md
// §4.2, simplified) and the attacks of §4.3: bursts on a block, sequential enumeration, rotating
// blocks across countries, slow-and-low, CAPTCHA solvers, mimicry, region hopping, voice.
import type { Channel } from '../../../src/core/events/event.ts';
import { DAY, HOUR, MIN, makeEvent, numberIn, type Country, type Rng, type World } from './pumping-traffic.ts';

const c = (region: string, cc: string, leads: string[], subscriber: number, share: number, completion: number, cost: number): Country => ({ region, cc, leads, subscriber, share, completion, cost });
const range = (from: number, to: number, width: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(width, '0'));

/** A small world: big spread-out countries, mid ones, and small high-cost ones (few blocks). */
export const COUNTRIES: Country[] = [
  c('US', '1', range(201, 989, 3), 7, 30, 0.85, 0.0079),
  c('IN', '91', range(60, 99, 2), 8, 10, 0.8, 0.08),
  c('BR', '55', range(119, 999, 3).filter((x) => x.endsWith('9')), 8, 8, 0.82, 0.05),
  c('GB', '44', range(7400, 7999, 4), 6, 7, 0.88, 0.04),
  c('DE', '49', range(150, 179, 3), 8, 6, 0.86, 0.087),
  c('FR', '33', range(60, 79, 2), 7, 6, 0.85, 0.077),
  c('NG', '234', ['803', '806', '810', '813', '814', '816', '703', '706', '903', '906'], 7, 3, 0.75, 0.25),
  c('PK', '92', range(300, 349, 3), 7, 2, 0.78, 0.3),
  c('AZ', '994', ['50', '51', '55', '70', '77'], 7, 0.6, 0.8, 0.39),
  c('TJ', '992', ['917', '918', '919'], 6, 0.3, 0.8, 0.45),
  c('KG', '996', ['700', '701', '702', '703', '704', '705'], 6, 0.4, 0.8, 0.3),
  c('UZ', '998', ['90', '91', '93', '94', '97', '99'], 7, 0.6, 0.8, 0.27),
  c('BD', '880', ['13', '14', '15', '16', '17', '18', '19'], 8, 0.8, 0.78, 0.32),
  c('LK', '94', ['70', '71', '72', '74', '75', '76', '77', '78'], 7, 0.5, 0.8, 0.35),
  c('MM', '95', ['925', '926', '940', '942', '943', '944', '945', '950', '951', '965', '966', '967', '968', '969', '970', '975', '976', '977', '978', '979'], 7, 0.3, 0.8, 0.33),
  c('AF', '93', ['70', '71', '72', '73', '74', '75', '76', '77', '78', '79'], 7, 0.3, 0.8, 0.38),
];
export const country = (region: string): Country => COUNTRIES.find((x) => x.region === region)!;

const shape = (h: number): number => 0.15 + 0.85 * Math.max(Math.exp(-(((h - 12) / 4) ** 2)), Math.exp(-(((h - 20) / 3) ** 2)));
const SHAPE_MEAN = Array.from({ length: 24 }, (_, h) => shape(h)).reduce((a, x) => a + x, 0) / 24;

/** Day-night shape (low at night, peaks at 12:00 and 20:00, UTC for simplicity), mean 1. */
export function diurnal(t: number): number {
  return shape((t % DAY) / HOUR) / SHAPE_MEAN;
}

function poisson(rng: Rng, mean: number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())));
  let k = 0;
  let p = rng.next();
  const limit = Math.exp(-mean);
  while (p > limit) (k++, (p *= rng.next()));
  return k;
}

export interface LegitOptions {
  perDay: number;
  from: number;
  to: number;
  countries?: Country[];
  /** Volume multiplier per country and time (flash crowd, holiday, new market). */
  volume?: (country: Country, t: number) => number;
  /** Completion override per country and time (carrier outage). */
  completion?: (country: Country, t: number) => number;
}

/** Schedules legitimate journeys hour by hour (lazily, so a week does not fill the queue). */
export function legitTraffic(w: World, o: LegitOptions): void {
  const countries = o.countries ?? COUNTRIES;
  const total = countries.reduce((a, x) => a + x.share, 0);
  const pools = new Map<string, string[]>();
  const hour = (start: number) => {
    if (start >= o.to) return;
    for (const ct of countries) {
      const mean = ((o.perDay * ct.share) / total / 24) * diurnal(start) * (o.volume?.(ct, start) ?? 1);
      const n = poisson(w.rng, mean);
      for (let i = 0; i < n; i++) w.at(start + w.rng.next() * HOUR, () => journey(w, ct, pools, o));
    }
    w.at(start + HOUR, () => hour(start + HOUR));
  };
  w.at(o.from, () => hour(o.from));
}

function journey(w: World, ct: Country, pools: Map<string, string[]>, o: LegitOptions): void {
  const rng = w.rng;
  let pool = pools.get(ct.region);
  if (!pool) pools.set(ct.region, (pool = []));
  const known = pool.length > 0 && rng.next() < 0.6;
  const number = known ? rng.pick(pool) : numberIn(rng, ct);
  const channel: Channel = rng.next() < 0.04 ? 'voice' : 'sms';
  const session = w.newSession();
  w.legit.journeys++;
  const completion = o.completion?.(ct, w.now) ?? ct.completion;
  let stopped = false;
  const send = (to: string, knownGood: boolean): boolean => {
    const action = w.decide('legit', to, ct, { channel, knownGood, session });
    if (action === 'challenge') w.legit.challenged++;
    if (action === 'block') return false;
    w.sent('legit', session, to, ct, channel);
    return true;
  };
  // 2 % type a wrong (valid) number first; most notice and correct it within 1–3 minutes.
  if (!known && rng.next() < 0.02) {
    const typo = numberIn(rng, ct);
    if (!send(typo, false)) stopped = true;
    if (rng.next() > 0.7) return;
    const delay = MIN + rng.next() * 2 * MIN;
    w.at(w.now + delay, () => finish(stopped));
    return;
  }
  finish(false);

  function finish(already: boolean): void {
    if (already || !send(number, known)) {
      w.legit.hardBlocked++;
      return;
    }
    if (rng.next() >= completion) {
      if (rng.next() < 0.3) w.at(w.now + 10 * MIN, () => w.emit(makeEvent('session.expired', w.now, { session, number, country: ct, channel, reason: 'session_expired' })));
      return;
    }
    const delay = rng.lognormal(25_000, 0.8);
    if (delay > 45_000 && rng.next() < 0.37) w.at(w.now + 45_000, () => void send(number, known));
    w.verifyLater(session, number, ct, delay, 0.06, channel);
    w.at(w.now + delay + 13_000, () => {
      w.legit.verified++;
      if (pool!.length < 5000) pool!.push(number);
    });
  }
}

export interface AttackOptions {
  label: string;
  from: number;
  to: number;
  perMin: number;
  channel?: Channel;
  /** Probability of solving a challenge (CAPTCHA farm), after 15–40 s. */
  solver?: number;
  /** Share of codes the attacker completes (mimicry). */
  completes?: number;
  /** Next number (and its country) to pump; null stops the attack. */
  target: (rng: Rng, i: number, lastAction: string) => { number: string; country: Country } | null;
}

/** Sends at a steady rate to whatever `target` says, reacting to challenges as configured. */
export function attack(w: World, o: AttackOptions): void {
  const channel = o.channel ?? 'sms';
  let last = 'allow';
  let i = 0;
  const step = () => {
    if (w.now >= o.to) return;
    const t = o.target(w.rng, i++, last);
    if (!t) return;
    const session = w.newSession();
    const action = w.decide(o.label, t.number, t.country, { channel, session });
    last = action;
    const go = () => {
      w.sent(o.label, session, t.number, t.country, channel);
      if (o.completes && w.rng.next() < o.completes) w.verifyLater(session, t.number, t.country, w.rng.lognormal(30_000, 0.6), 0.06, channel);
    };
    if (action === 'allow') go();
    else if (action === 'challenge' && o.solver && w.rng.next() < o.solver) {
      w.at(w.now + 15_000 + w.rng.next() * 25_000, () => {
        // The solved challenge comes back; blocks still stand.
        if (w.decide(o.label, t.number, t.country, { channel, session, count: false, captchaPassed: true }) !== 'block') go();
        else w.tally(o.label).blocked++;
      });
    }
    w.at(w.now + 60_000 / o.perMin, step);
  };
  w.at(o.from, step);
}

/** Random numbers inside `prefix` (the last `free` digits vary), each used at most twice. */
export function inBlock(prefix: string, free = 4): (rng: Rng) => string {
  const used = new Map<string, number>();
  return (rng) => {
    for (;;) {
      const n = prefix + rng.digits(free);
      const u = used.get(n) ?? 0;
      if (u < 2) {
        used.set(n, u + 1);
        return n;
      }
    }
  };
}
