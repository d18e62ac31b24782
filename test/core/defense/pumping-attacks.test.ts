// Attacks from fraud.md §4.3 against the pumping detector, on top of two days of legitimate
// background traffic (≈2,000 journeys a day over 16 countries): detection within a few sends,
// spend blocked, legitimate users in other blocks untouched, reasons operators can read.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PumpingDetector } from '../../../src/core/defense/pumping/index.ts';
import { attack, country, inBlock, legitTraffic } from './pumping-actors.ts';
import { DAY, HOUR, MIN, makeContext, Rng, World, type Country } from './pumping-traffic.ts';

const T0 = Date.UTC(2025, 0, 6); // a Monday, 00:00 UTC

/** Two days of legitimate traffic, then the attack window opens at 02:00 on day 3. */
function warmWorld(seed: number, attackHours: number): { w: World; det: PumpingDetector; start: number; end: number } {
  const det = new PumpingDetector();
  const w = new World(det, new Rng(seed));
  const start = T0 + 2 * DAY + 2 * HOUR;
  const end = start + attackHours * HOUR;
  legitTraffic(w, { perDay: 2000, from: T0, to: end + HOUR });
  w.runUntil(start - 1);
  return { w, det, start, end };
}

const blockIn = (rng: Rng, c: Country): string => `+${c.cc}${rng.pick(c.leads)}${rng.digits(c.subscriber - 4)}`;
const spendBlocked = (w: World, label: string): number => 1 - w.tally(label).costSent / w.tally(label).costAttempted;

describe('pumping detector against attacks', () => {
  test('a burst on one 10k block at 60/min is stopped within 25 sends and $10, legitimate traffic untouched', () => {
    const { w, det, start, end } = warmWorld(11, 2);
    const kg = country('KG'); // $0.30 per SMS
    const block = blockIn(w.rng, kg);
    const next = inBlock(block);
    const legitBefore = { ...w.legit };
    attack(w, { label: 'burst', from: start, to: end, perMin: 60, target: (r) => ({ number: next(r), country: kg }) });
    w.runUntil(end);
    const t = w.tally('burst');
    assert.equal(t.attempts, 120 * 60);
    assert.ok(t.firstStopAt !== null && t.firstStopAt <= 25, `first stopped at send ${t.firstStopAt}`);
    assert.ok(t.costSent <= 10, `$${t.costSent} leaked`);
    assert.ok(spendBlocked(w, 'burst') >= 0.995, `${spendBlocked(w, 'burst')}`);
    assert.equal(w.legit.hardBlocked - legitBefore.hardBlocked, 0);
    assert.equal(w.legit.challenged - legitBefore.challenged, 0);

    // What the next send into the block is told, and that the rest of the country is not.
    const reasons = det.assess(makeContext(next(w.rng), kg, end), end);
    assert.equal(reasons.length, 1);
    const [r] = reasons;
    assert.equal(r!.code, 'pumping_suspected');
    assert.equal(r!.rule, 'pumping.prefix');
    assert.equal(r!.action, 'block');
    assert.ok(r!.retryAfter !== undefined && r!.retryAfter > 0);
    assert.ok((r!.details!.level as number) >= 2);
    assert.ok((r!.details!.numbers24h as number) >= 3);
    assert.equal(r!.details!.country, 'KG');
    let other = blockIn(w.rng, kg);
    while (other === block) other = blockIn(w.rng, kg);
    assert.deepEqual(det.assess(makeContext(`${other}1234`, kg, end), end), []);
    const active = det.suspensions(end);
    assert.ok(active.some((s) => s.scope === 'prefix4' && s.key === block && s.action === 'block'));
    assert.ok(active.every((s) => s.scope !== 'country' || s.action === 'challenge'));
  });

  test('sequential enumeration (+1, step 7, shuffled within 100s) is stopped within 5 sends', () => {
    const uz = country('UZ');
    for (const [i, mode] of (['plus1', 'step7', 'shuffled'] as const).entries()) {
      const { w, start, end } = warmWorld(20 + i, 8);
      const base = Number(`${uz.leads[0]}${w.rng.digits(uz.subscriber - 4)}0000`);
      const order = Array.from({ length: 10_000 }, (_, k) => k);
      for (let h = 0; h < 100; h++) {
        for (let k = 99; k > 0; k--) {
          const j = w.rng.int(k + 1);
          [order[h * 100 + k], order[h * 100 + j]] = [order[h * 100 + j]!, order[h * 100 + k]!];
        }
      }
      const offset = (k: number) => (mode === 'plus1' ? k : mode === 'step7' ? (k * 7) % 10_000 : order[k]!);
      attack(w, { label: mode, from: start, to: end, perMin: 5, target: (_r, k) => ({ number: `+${uz.cc}${base + offset(k)}`, country: uz }) });
      w.runUntil(end);
      const t = w.tally(mode);
      assert.ok(t.firstStopAt !== null && t.firstStopAt <= 5, `${mode}: ${t.firstStopAt}`);
      assert.ok(spendBlocked(w, mode) >= 0.995, `${mode}: ${spendBlocked(w, mode)}`);
    }
  });

  test('a CAPTCHA farm that solves challenges is escalated to blocks while completion stays at zero', () => {
    const { w, det, start, end } = warmWorld(31, 2);
    const az = country('AZ');
    const block = blockIn(w.rng, az);
    const next = inBlock(block);
    attack(w, { label: 'solver', from: start, to: end, perMin: 60, solver: 0.95, target: (r) => ({ number: next(r), country: az }) });
    w.runUntil(start + 20_000);
    assert.equal(det.suspensions(w.now).find((s) => s.key === block)?.action, 'challenge');
    w.runUntil(end);
    assert.ok(spendBlocked(w, 'solver') >= 0.99, `${spendBlocked(w, 'solver')}`);
    const s = det.suspensions(end).find((x) => x.key === block);
    assert.ok(s && s.action === 'block' && s.level >= 3, JSON.stringify(s));
  });

  test('voice pumping after test calls is blocked before the main wave', () => {
    const { w, start, end } = warmWorld(41, 3);
    const targets = ['AF', 'MM', 'TJ'].map((r) => ({ c: country(r), next: inBlock(blockIn(w.rng, country(r))) }));
    for (const t of targets) {
      for (let i = 0; i < 5; i++) {
        w.at(start - (1 + w.rng.next() * 20) * HOUR, () => {
          const n = t.next(w.rng);
          const s = w.newSession();
          if (w.decide('test-calls', n, t.c, { channel: 'voice', session: s }) === 'allow') w.sent('test-calls', s, n, t.c, 'voice');
        });
      }
    }
    attack(w, { label: 'voice', from: start, to: end, perMin: 10, channel: 'voice', target: (r) => { const t = r.pick(targets); return { number: t.next(r), country: t.c }; } });
    w.runUntil(end);
    assert.ok(spendBlocked(w, 'voice') >= 0.995, `${spendBlocked(w, 'voice')}`);
  });

  test('rotating blocks in two countries (fresh IP each send) and region hopping are contained', () => {
    const rot = warmWorld(51, 6);
    const blocks = [...Array(10)].map(() => ({ c: country('NG'), next: inBlock(blockIn(rot.w.rng, country('NG'))) }));
    blocks.push(...[...Array(10)].map(() => ({ c: country('PK'), next: inBlock(blockIn(rot.w.rng, country('PK'))) })));
    attack(rot.w, { label: 'rotating', from: rot.start, to: rot.end, perMin: 10, target: (r) => { const t = r.pick(blocks); return { number: t.next(r), country: t.c }; } });
    rot.w.runUntil(rot.end);
    assert.ok(spendBlocked(rot.w, 'rotating') >= 0.99, `rotating ${spendBlocked(rot.w, 'rotating')}`);

    const hop = warmWorld(52, 2);
    const order = ['NG', 'PK', 'AZ', 'TJ', 'KG', 'UZ', 'BD', 'LK', 'MM', 'AF'];
    let at = 0;
    let current = { c: country(order[0]!), next: inBlock(blockIn(hop.w.rng, country(order[0]!))) };
    let stoppedSince = 0;
    attack(hop.w, {
      label: 'hopping', from: hop.start, to: hop.end, perMin: 60,
      target: (r, _i, last) => {
        stoppedSince = last === 'allow' ? 0 : stoppedSince || hop.w.now;
        if (stoppedSince && hop.w.now - stoppedSince > 10 * MIN && at < order.length - 1) {
          current = { c: country(order[++at]!), next: inBlock(blockIn(r, country(order[at]!))) };
          stoppedSince = 0;
        }
        return { number: current.next(r), country: current.c };
      },
    });
    hop.w.runUntil(hop.end);
    assert.ok(at >= 5, `hopped ${at} times`);
    assert.ok(spendBlocked(hop.w, 'hopping') >= 0.99, `hopping ${spendBlocked(hop.w, 'hopping')}`);
  });

  test('mimicry: completing 30 % or 60 % of codes does not hide concentration', () => {
    for (const [f, floor] of [[0.3, 0.95], [0.6, 0.85]] as const) {
      const { w, start, end } = warmWorld(61, 6);
      const blocks = [...Array(10)].map(() => ({ c: country('NG'), next: inBlock(blockIn(w.rng, country('NG'))) }));
      blocks.push(...[...Array(10)].map(() => ({ c: country('PK'), next: inBlock(blockIn(w.rng, country('PK'))) })));
      attack(w, { label: 'mimic', from: start, to: end, perMin: 10, completes: f, target: (r) => { const t = r.pick(blocks); return { number: t.next(r), country: t.c }; } });
      w.runUntil(end);
      assert.ok(spendBlocked(w, 'mimic') >= floor, `f=${f}: ${spendBlocked(w, 'mimic')}`);
    }
  });

  test('trusted numbers still reach a suspended block; new numbers there do not', () => {
    const { w, det, start, end } = warmWorld(71, 1);
    const pk = country('PK');
    const block = blockIn(w.rng, pk);
    const next = inBlock(block);
    attack(w, { label: 'burst', from: start, to: end, perMin: 60, target: (r) => ({ number: next(r), country: pk }) });
    w.runUntil(start + 10 * MIN);
    const member = `${block}0042`;
    assert.deepEqual(det.assess(makeContext(member, pk, w.now, { knownGood: true }), w.now), []);
    assert.equal(det.assess(makeContext(member, pk, w.now), w.now)[0]?.action, 'block');
  });
});
