// Decision cost: how long the defense takes to decide one send (all built-in rules + reputation
// lists + pumping detector, memory counters). Printed as a median beside a baseline measured in the
// same run (one memory-counter read), since this machine is shared and noisy.
// Run: npm run bench:decision   (writes the "Decision cost" section of bench/RESULTS.md)
import { MemoryCounters } from '../src/adapters/counters/memory.ts';
import type { SendContext } from '../src/core/defense/decision.ts';
import { parseDefenseConfig } from '../src/core/defense/defense-config.ts';
import { DefenseEngine } from '../src/core/defense/engine.ts';
import { buildPhoneKeys } from '../src/core/defense/phone-keys.ts';
import { PumpingDetector, pumpingRule } from '../src/core/defense/pumping/index.ts';
import { ReputationLists, reputationReasons } from '../src/core/defense/reputation.ts';
import { parsePhoneNumber } from '../src/core/phone/phone-number.ts';
import type { ReputationEntry } from '../src/ports.ts';
import { writeSection } from './results.ts';

const N = Number(process.env.BENCH_DECISIONS ?? 100_000);
const T0 = Date.UTC(2026, 10, 2, 12);

// 2,000 realistic contexts: mobile numbers across a few countries, IPv4 and IPv6 clients.
const numbers = ['+447400', '+33612', '+1415555', '+4915112', '+39312', '+81901'];
const contexts: SendContext[] = [];
for (let i = 0; i < 2000; i++) {
  const base = numbers[i % numbers.length]!;
  const e164 = base + String(100000 + ((i * 7919) % 899999)).slice(0, 12 - base.length + 1);
  const p = parsePhoneNumber(e164.slice(0, 13));
  if (!p?.valid) continue;
  const k = buildPhoneKeys(p.e164);
  contexts.push({
    now: T0, appId: 'app', policyId: 'B2C_1A_bench', profileId: 'PhoneFactor-InputOrVerify', sessionId: `s${i}`, userIdHash: `u${i % 700}`,
    phone: { e164: p.e164, region: p.region, countryCallingCode: p.countryCallingCode, type: p.type, prefix3: k.prefix3, prefix4: k.prefix4 },
    channel: i % 25 === 0 ? 'voice' : 'sms',
    ip: i % 3 === 0 ? `2001:db8:${(i % 50).toString(16)}::${i.toString(16)}` : `198.51.${i % 200}.${i % 250}`,
    ipInfo: { country: p.region, asn: 2856, asOrganization: 'ISP', hosting: false },
    userAgent: 'Mozilla/5.0', captchaPassed: false, knownGood: i % 10 === 0, estimatedCost: 0.04, sessionSendCount: 0,
  });
}

// Reputation lists of realistic size: 2,000 numbers, 500 prefixes, 5,000 CIDRs, 50 ASNs.
const entries: ReputationEntry[] = [];
const add = (kind: ReputationEntry['kind'], value: string) =>
  entries.push({ id: `r${entries.length}`, kind, value, list: 'block', createdAt: T0, expiresAt: null, note: '', createdBy: 'bench' });
for (let i = 0; i < 2000; i++) add('number', `+4474009${String(10000 + i).slice(-5)}`);
for (let i = 0; i < 500; i++) add('prefix', `+88216${String(100 + i)}`);
for (let i = 0; i < 5000; i++) add('cidr', `10.${i % 250}.${Math.floor(i / 250)}.0/24`);
for (let i = 0; i < 50; i++) add('asn', String(64512 + i));
const lists = new ReputationLists(entries, T0);

const counters = new MemoryCounters();
const detector = new PumpingDetector();
const engine = new DefenseEngine(parseDefenseConfig({}), counters, [
  { id: 'reputation', code: 'bad_reputation', order: 35, evaluate: async (ctx) => reputationReasons(ctx, lists) },
  pumpingRule(detector),
]);

// A day of committed history so counters and the detector hold realistic state.
for (let i = 0; i < 20_000; i++) {
  const ctx = { ...contexts[i % contexts.length]!, now: T0 - 86_400_000 + i * 4000 };
  await engine.commitSend(ctx);
}

async function timeEach(label: string, fn: (i: number) => Promise<unknown>): Promise<{ label: string; medianUs: number; p99Us: number }> {
  for (let i = 0; i < 5000; i++) await fn(i); // warm-up
  const samples = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    samples[i] = Number(process.hrtime.bigint() - t) / 1000;
  }
  samples.sort();
  return { label, medianUs: samples[Math.floor(N / 2)]!, p99Us: samples[Math.floor(N * 0.99)]! };
}

const baseline = await timeEach('baseline: one memory-counter read', (i) => counters.count(`number:${contexts[i % contexts.length]!.phone.e164}`, T0, 600_000));
const decide = await timeEach('decide(): all rules, memory counters', (i) => engine.decide(contexts[i % contexts.length]!));
const rows = [baseline, decide];
const table = [
  '| measurement | median µs | p99 µs | ratio to baseline (median) |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.label} | ${r.medianUs.toFixed(2)} | ${r.p99Us.toFixed(2)} | ${(r.medianUs / baseline.medianUs).toFixed(1)}× |`),
].join('\n');
console.log(table);
console.log(`\ntarget: median decide() < 50 µs → ${decide.medianUs < 50 ? 'met' : 'NOT met'} (${decide.medianUs.toFixed(1)} µs over ${N} decisions)`);
writeSection('Decision cost', `${table}\n\n${N} decisions over ${contexts.length} rotating contexts, reputation lists of ${entries.length} entries, a day of committed history; target median < 50 µs.`, 'npm run bench:decision');
