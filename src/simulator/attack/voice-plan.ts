// Voice pumping (A5): short test calls to each leased range 1–24 h before, then calls at a steady
// rate with at most `maxConcurrent` in progress, the callee holding each call to the service's cap
// so it is billed the maximum minutes (Twilio's toll-fraud pattern).
import type { AttackSpec } from '../scenario/schema.ts';
import { regionOfPattern } from '../scenario/world.ts';
import { parseDuration } from '../time-spec.ts';
import { BlockNumbers, mobileTypesOf, randomMobileBlock } from '../world/phone-numbers.ts';
import { type AttackPlan, costOf, IpSource, pacedTimes, type PlanContext, type PlannedSend, streamOf, UaSource } from './plan.ts';

export function planVoice(p: PlanContext, spec: Extract<AttackSpec, { family: 'voice' }>): AttackPlan {
  const rng = streamOf(p, 'numbers');
  const ranges = spec.ranges
    ? spec.ranges.map((r) => ({ numbers: new BlockNumbers(r, rng, spec.numberReuseMax), region: regionOfPattern(r) }))
    : spec.countries!.map((c) => ({ numbers: new BlockNumbers(randomMobileBlock(c, rng), rng, spec.numberReuseMax, mobileTypesOf(c)), region: c }));
  const ips = new IpSource(spec.ips, p.catalogue, streamOf(p, 'ips'), ranges[0]!.region);
  const uas = new UaSource(spec.userAgents, streamOf(p, 'uas'));
  const minutes = p.world.voiceMaxCallMinutes;
  const sends: PlannedSend[] = [];
  const call = (t: number, r: (typeof ranges)[number], billed: number, test: boolean) => {
    sends.push({ t, number: r.numbers.next(), region: r.region, channel: 'voice', ip: ips.next(r.region), userAgent: uas.next(), cost: costOf(p.world, r.region, 'voice', billed), billedMinutes: billed, ...(test ? { test } : {}) });
  };

  const [soonest, latest] = spec.testWindow.map(parseDuration) as [number, number];
  const tests = streamOf(p, 'tests');
  const testCalls: { t: number; r: (typeof ranges)[number] }[] = [];
  for (const r of ranges) {
    for (let i = 0; i < spec.testCallsPerRange; i++) testCalls.push({ t: Math.floor(p.start - tests.range(soonest, latest)), r });
  }
  testCalls.sort((a, b) => a.t - b.t);
  // A test call hangs up after the first minute.
  for (const c of testCalls) call(c.t, c.r, 1, true);

  // Main phase: paced, but never more than maxConcurrent calls live at once.
  const live: number[] = [];
  const holdMs = minutes * 60_000;
  for (const planned of pacedTimes(streamOf(p, 'times'), p.start, p.end, spec.ratePerMinute, spec.dailyGrowth)) {
    let t = planned;
    live.sort((a, b) => a - b);
    while (live.length && live[0]! <= t) live.shift();
    if (live.length >= spec.maxConcurrent) t = live.shift()!;
    if (t >= p.end || t >= p.horizon) break;
    live.push(t + holdMs);
    call(t, rng.pick(ranges), minutes, false);
  }
  sends.sort((a, b) => a.t - b.t);
  return { sends: sends.filter((s) => s.t < p.horizon), start: p.start, end: p.end };
}
