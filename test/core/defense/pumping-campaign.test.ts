// Slow-and-low campaigns (fraud.md §4.3 A2) and the country level of the pumping detector: a
// destination nobody verified is judged on completion alone, a country challenge holds while its
// challenges go unsolved and lifts when the senders solve it and verify, and the baselines do not
// learn the campaign.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PumpingDetector } from '../../../src/core/defense/pumping/index.ts';
import { attack, country, inBlock, legitTraffic } from './pumping-actors.ts';
import { DAY, HOUR, MIN, makeContext, makeEvent, numberIn, Rng, World, type Country } from './pumping-traffic.ts';

const T0 = Date.UTC(2025, 0, 6); // a Monday, 00:00 UTC
/** Not in the legitimate mix of the test world: a destination nobody has verified. */
const KZ: Country = { region: 'KZ', cc: '7', leads: ['700', '701', '702', '705', '707', '747', '771', '775', '776', '777', '778'], subscriber: 7, share: 0, completion: 0.8, cost: 0.2 };
const blockIn = (rng: Rng, c: Country): string => `+${c.cc}${rng.pick(c.leads)}${rng.digits(c.subscriber - 4)}`;
const spendBlocked = (w: World, label: string): number => 1 - w.tally(label).costSent / w.tally(label).costAttempted;

/** ≤ `perBlockPerDay` sends a day to each of `blocks` blocks per country, `perHour` in all (Poisson). */
function slowAndLow(w: World, o: { label: string; from: number; to: number; perHour: number; countries: Country[]; blocks: number; perBlockPerDay: number }): void {
  const targets = o.countries.flatMap((c) => Array.from({ length: o.blocks }, () => ({ c, next: inBlock(blockIn(w.rng, c)), used: new Map<number, number>() })));
  const step = () => {
    if (w.now >= o.to) return;
    const day = Math.floor((w.now - o.from) / DAY);
    const open = targets.filter((t) => (t.used.get(day) ?? 0) < o.perBlockPerDay);
    if (open.length > 0) {
      const t = w.rng.pick(open);
      t.used.set(day, (t.used.get(day) ?? 0) + 1);
      const number = t.next(w.rng);
      const session = w.newSession();
      if (w.decide(o.label, number, t.c, { session }) === 'allow') w.sent(o.label, session, number, t.c);
    }
    w.at(w.now + w.rng.exp(HOUR / o.perHour), step);
  };
  w.at(o.from, step);
}

/** A user of `c` on a new number who solves any challenge and types the code 30 s later. */
function newUser(w: World, c: Country, label = 'legit'): 'allow' | 'challenge' | 'block' {
  const number = numberIn(w.rng, c);
  const session = w.newSession();
  const first = w.decide(label, number, c, { session });
  if (first === 'block') return first;
  if (first === 'challenge' && w.decide(label, number, c, { session, captchaPassed: true, count: false }) === 'block') return 'block';
  w.sent(label, session, number, c);
  w.verifyLater(session, number, c, 30_000, 0);
  return first;
}

describe('pumping detector against slow-and-low campaigns', () => {
  test('8 countries × 50 blocks, ≤ 2 sends a block a day, 40/h for 2 days: ≥ 95 % blocked, legitimate users untouched', () => {
    const det = new PumpingDetector();
    const w = new World(det, new Rng(7));
    const start = T0 + 2 * DAY;
    const end = start + 2 * DAY;
    legitTraffic(w, { perDay: 2000, from: T0, to: end });
    w.runUntil(start);
    const before = { ...w.legit };
    const countries = ['AZ', 'TJ', 'AF', 'UZ', 'KG', 'LK', 'MM', 'BD'].map(country);
    slowAndLow(w, { label: 'slow', from: start, to: end, perHour: 40, countries, blocks: 50, perBlockPerDay: 2 });
    w.runUntil(end);
    const t = w.tally('slow');
    assert.ok(t.attempts > 1400, `${t.attempts} attempts`);
    assert.ok(spendBlocked(w, 'slow') >= 0.95, `${spendBlocked(w, 'slow')}`);
    // The test world has legitimate users in those countries too (5 % of its traffic): while the
    // campaign runs, the new numbers among them are challenged (and solve it). Nobody is blocked.
    const journeys = w.legit.journeys - before.journeys;
    assert.equal(w.legit.hardBlocked - before.hardBlocked, 0);
    assert.ok((w.legit.challenged - before.challenged) / journeys <= 0.02, `${w.legit.challenged - before.challenged} of ${journeys} challenged`);
    for (const s of det.suspensions(end, { includeProbation: true })) assert.ok(s.scope !== 'country' || s.action === 'challenge');
  });

  test('a destination nobody verified is challenged after three failed sessions; trusted numbers pass', () => {
    const det = new PumpingDetector();
    const w = new World(det, new Rng(8));
    const start = T0 + DAY;
    legitTraffic(w, { perDay: 2000, from: T0, to: start + DAY });
    w.runUntil(start);
    // Three sends an hour to fresh blocks of KZ, never verified.
    attack(w, { label: 'kz', from: start, to: start + 6 * HOUR, perMin: 3 / 60, target: (r) => ({ number: numberIn(r, KZ), country: KZ }) });
    w.runUntil(start + 6 * HOUR);
    const t = w.tally('kz');
    assert.ok(t.firstStopAt !== null && t.firstStopAt <= 5, `first stopped at attempt ${t.firstStopAt}`);
    const reasons = det.assess(makeContext(numberIn(w.rng, KZ), KZ, w.now), w.now);
    assert.equal(reasons[0]?.rule, 'pumping.country');
    assert.equal(reasons[0]?.action, 'challenge');
    assert.equal(reasons[0]?.details?.provenDestination, false);
    assert.deepEqual(det.assess(makeContext(numberIn(w.rng, KZ), KZ, w.now, { knownGood: true }), w.now), []);
  });

  test('a new market whose users verify is never challenged', () => {
    const det = new PumpingDetector();
    const w = new World(det, new Rng(9));
    const start = T0 + DAY;
    legitTraffic(w, { perDay: 2000, from: T0, to: start + DAY });
    let challenged = 0;
    for (let t = start; t < start + DAY; t += 6 * MIN) {
      w.at(t, () => {
        // Eight in ten verify; the others never type the code.
        if (w.rng.next() < 0.8) challenged += newUser(w, KZ, 'market') === 'challenge' ? 1 : 0;
        else {
          const number = numberIn(w.rng, KZ);
          const session = w.newSession();
          if (w.decide('market', number, KZ, { session }) !== 'allow') challenged++;
          w.sent('market', session, number, KZ);
        }
      });
    }
    w.runUntil(start + DAY);
    assert.equal(challenged, 0);
    assert.ok(det.suspensions(w.now, { includeProbation: true }).every((s) => s.country !== 'KZ'));
  });

  test('the challenge holds while its challenges go unsolved, and lifts once challenged senders verify', () => {
    const det = new PumpingDetector();
    const w = new World(det, new Rng(10));
    const start = T0 + DAY;
    legitTraffic(w, { perDay: 2000, from: T0, to: start + 2 * DAY });
    w.runUntil(start);
    attack(w, { label: 'kz', from: start, to: start + 12 * HOUR, perMin: 4 / 60, target: (r) => ({ number: numberIn(r, KZ), country: KZ }) });
    w.runUntil(start + 2 * HOUR);
    const first = w.tally('kz').firstStopAt!;
    assert.ok(first !== null);
    w.runUntil(start + 12 * HOUR);
    const t = w.tally('kz');
    // After the first challenge, nothing but the odd send slips through over ten hours.
    assert.ok(t.sent <= first + 2, `${t.sent} sent, first stopped at ${first}`);
    const active = det.suspensions(w.now).find((s) => s.key === 'KZ:sms');
    assert.equal(active?.action, 'challenge');

    // The campaign stops; real users arrive, solve the challenge and verify: it is lifted.
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) w.at(start + 13 * HOUR + i * 10 * MIN, () => void outcomes.push(newUser(w, KZ)));
    w.runUntil(start + 15 * HOUR);
    assert.equal(outcomes[0], 'challenge');
    assert.equal(outcomes.at(-1), 'allow', outcomes.join(' '));
    assert.ok(outcomes.filter((o) => o === 'challenge').length <= 4, outcomes.join(' '));
    assert.ok(!det.suspensions(w.now).some((s) => s.key === 'KZ:sms'));
  });

  test('the baselines do not learn a day of unverified sends to a new destination', () => {
    const det = new PumpingDetector();
    const w = new World(det, new Rng(11));
    const start = T0 + DAY;
    legitTraffic(w, { perDay: 2000, from: T0, to: start + DAY });
    w.runUntil(start);
    // Spread so thin (one an hour) that no hour alone looks like much.
    for (let h = 0; h < 24; h++) {
      w.at(start + h * HOUR + 7 * MIN, () => {
        const number = numberIn(w.rng, KZ);
        const session = w.newSession();
        w.sent('thin', session, number, KZ);
        w.at(w.now + 12 * MIN, () => w.emit(makeEvent('session.expired', w.now, { session, number, country: KZ })));
      });
    }
    w.runUntil(start + DAY);
    const kz = det.stats(w.now).countries.find((c) => c.key === 'KZ:sms')!;
    assert.ok(kz.baselineCompletion > 0.7, `baseline completion ${kz.baselineCompletion}`);
    assert.ok(kz.volumeLevelPerHour < 0.5, `volume level ${kz.volumeLevelPerHour}`);
  });
});
