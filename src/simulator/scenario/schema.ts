// The scenario file format (scenarios/*.yaml, documented in docs/simulator.md): the simulated
// period, the legitimate population and its stress modifiers, the attack families with their
// parameters, prices, the allowlist mode and the gates to check. New scenarios need no code.
import { z } from 'zod';
import { isDuration, isTimePoint } from '../time-spec.ts';
import { attackOnlyGates, gateSetSchema, gatesConfigSchema } from '../gates.ts';

const duration = z.string().refine(isDuration, 'a duration such as 90s, 30m, 2h, 7d or 1d6h');
const timePoint = z.string().refine(isTimePoint, 'a time point "D+HH:MM" (measured day D at HH:MM), e.g. 0+02:00');
const country = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as AZ');
const fraction = z.number().min(0).max(1);
const range2 = <T extends z.ZodType<number>>(t: T) => z.tuple([t, t]).refine((pair) => pair[0]! <= pair[1]!, 'a [low, high] pair with low ≤ high');
const pattern = z.string().regex(/^\+\d{1,14}x{1,8}$/, 'a number pattern such as +99440123xxxx (x = any digit)');
const timeZone = z.enum(['local', 'utc']).default('local');

const ipSchema = z
  .object({
    kind: z.enum(['residential', 'mobile', 'datacenter']).default('residential'),
    /** Size of the address pool; ignored with perRequest. */
    count: z.number().int().min(1).max(1_000_000).default(200),
    /** A new address for every request (rotating proxies). */
    perRequest: z.boolean().default(false),
    /** Uses per address before it is dropped (perRequest pools). */
    reuseMax: z.number().int().min(1).default(1),
    /** Share of addresses located in the phone number's country; the rest exit elsewhere. */
    geoMatchedShare: fraction.default(0),
  })
  .strict();

const captchaSchema = z
  .object({
    solveRate: fraction.default(0.95),
    solveSeconds: range2(z.number().min(0)).default([15, 40]),
    costPerSolve: z.number().min(0).default(0.002),
    /** Proof of work (ALTCHA) takes attacker CPU, not a human farm. */
    powSeconds: range2(z.number().min(0)).default([1, 3]),
  })
  .strict();

const base = {
  start: timePoint.default('0+02:00'),
  timeZone,
  duration: duration.default('2h'),
  countries: z.array(country).min(1).optional(),
  ranges: z.array(pattern).min(1).optional(),
  channel: z.enum(['sms', 'voice']).default('sms'),
  numberReuseMax: z.number().int().min(1).default(2),
  ips: ipSchema.prefault({}),
  userAgents: z.object({ mode: z.enum(['fixed', 'legit', 'fresh']).default('fixed'), count: z.number().int().min(1).default(3) }).strict().prefault({}),
  /** Absent: the bot never solves a CAPTCHA. */
  captcha: captchaSchema.optional(),
  /** Share of verifications completed (mimicry): a number, or a [low, high] range drawn once. */
  completion: z.union([fraction, range2(fraction)]).default(0),
  codeEntry: z.object({ medianSeconds: z.number().positive().default(30), sigma: z.number().min(0).default(0.8), wrongFirst: fraction.default(0.06) }).strict().prefault({}),
  hop: z.object({ countries: z.array(country).min(2), afterMinutes: range2(z.number().positive()).default([5, 15]) }).strict().optional(),
  /** Volume multiplier per day (sleeper ramp, A7s). */
  dailyGrowth: z.number().positive().default(1),
  /** Skips planned sends while a retryAfter is running (a bot that honours backoff). */
  backoff: z.boolean().default(true),
  revenueShare: fraction.default(0.5),
};

export const attackSchema = z.discriminatedUnion('family', [
  z.object({ family: z.literal('burst'), ...base, ratePerMinute: z.number().positive().default(60), blocks: z.number().int().min(1).default(1) }).strict(),
  z.object({
    family: z.literal('slow-low'), ...base,
    perHour: z.number().positive().default(40),
    blocksPerCountry: z.number().int().min(1).default(50),
    maxPerBlockPerDay: z.number().int().min(1).default(2),
  }).strict(),
  z.object({ family: z.literal('rotating'), ...base, ratePerMinute: z.number().positive().default(10), blocks: z.number().int().min(1).default(20) }).strict(),
  z.object({
    family: z.literal('sequential'), ...base,
    ratePerMinute: z.number().positive().default(5),
    order: z.enum(['step', 'shuffled']).default('step'),
    step: z.number().int().min(1).default(1),
    groupSize: z.number().int().min(2).default(100),
  }).strict(),
  z.object({
    family: z.literal('voice'), ...base,
    channel: z.literal('voice').default('voice'),
    ratePerMinute: z.number().positive().default(10),
    maxConcurrent: z.number().int().min(1).default(20),
    testCallsPerRange: z.number().int().min(0).default(5),
    testWindow: z.tuple([duration, duration]).default(['1h', '24h']),
  }).strict(),
]);
export type AttackSpec = z.infer<typeof attackSchema>;

const window = { start: timePoint, duration, timeZone };
export const stressSchema = z
  .object({
    volume: z.array(z.object({ countries: z.array(z.union([country, z.literal('*')])).min(1), multiplier: z.number().min(0), ...window }).strict()).default([]),
    delivery: z.array(z.object({ countries: z.array(z.union([country, z.literal('*')])).min(1), success: fraction, ...window }).strict()).default([]),
    newCountries: z.array(z.object({ country, perDay: z.number().positive(), ramp: duration.default('24h'), completion: fraction.optional(), start: timePoint.default('0+00:00'), timeZone }).strict()).default([]),
    cgnat: z.array(z.object({ country, usersPerDay: z.number().positive(), ips: z.number().int().min(1) }).strict()).default([]),
  })
  .strict();
export type StressSpec = z.infer<typeof stressSchema>;

const countryModelSchema = z
  .object({ share: z.number().min(0), utc: z.number().min(-12).max(14), sms: z.number().min(0), voice: z.number().min(0), loss: fraction, mobileFirst: z.boolean().default(false) })
  .strict();

export const scenarioFileSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (used in output file names)'),
    description: z.string().optional(),
    seeds: z.array(z.number().int().min(0)).min(1).default([1]),
    /** UTC date of warm-up day 0 (a Monday by default, so weekdays line up). */
    startDate: z.iso.date().default('2030-01-07'),
    days: z.object({ warmup: z.number().int().min(0).max(60).default(2), measured: z.number().int().min(1).max(60).default(2) }).strict().prefault({}),
    allowlist: z.union([z.enum(['realistic', 'all']), z.array(z.enum(['realistic', 'all'])).min(1)]).default('realistic'),
    legit: z
      .object({
        perDay: z.number().min(0).default(2000),
        signUpShare: fraction.default(0.4),
        voiceShare: fraction.default(0.035),
        completion: range2(fraction).default([0.72, 0.92]),
        /** Legitimate mix override, percent per country (replaces the default shares). */
        mix: z.record(country, z.number().min(0)).optional(),
        codeEntry: z.object({ medianSeconds: z.number().positive().default(25), sigma: z.number().min(0).default(0.8), wrongFirst: fraction.default(0.06), retryCorrect: fraction.default(0.9) }).strict().prefault({}),
        typo: z.object({ rate: fraction.default(0.02), notice: fraction.default(0.7) }).strict().prefault({}),
        resend: z.tuple([fraction, fraction]).default([0.37, 0.08]),
        voiceAnswer: fraction.default(0.85),
        ipMix: z.object({ residential: z.number().min(0), mobile: z.number().min(0), vpn: z.number().min(0), datacenter: z.number().min(0), traveller: z.number().min(0) }).strict().default({ residential: 58, mobile: 33, vpn: 5, datacenter: 1, traveller: 3 }),
        captchaSolveRate: fraction.default(0.97),
      })
      .strict()
      .prefault({}),
    world: z.object({ countries: z.record(country, countryModelSchema).default({}) }).strict().prefault({}),
    prices: z
      .object({
        countries: z.record(country, z.object({ sms: z.number().min(0).optional(), voice: z.number().min(0).optional() }).strict()).default({}),
        nonGeographic: z.object({ sms: z.number().min(0), voice: z.number().min(0) }).strict().optional(),
        /** Minutes a pumped call is billed: the callee holds the line to the service's cap. */
        voiceMaxCallMinutes: z.number().positive().default(2),
      })
      .strict()
      .prefault({}),
    /**
     * Tollgate configuration merged over the simulator's (e.g. `defense.spend.countries`): how the
     * simulated operator set up the deployment. Checked by Tollgate's own config loader.
     */
    tollgate: z.record(z.string(), z.unknown()).default({}),
    gates: gatesConfigSchema.prefault({}),
    scenarios: z
      .array(
        z
          .object({
            id: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'letters, digits, . _ - (up to 32)'),
            title: z.string().optional(),
            /** Overrides days.warmup (cold start: 0). */
            warmupDays: z.number().int().min(0).max(60).optional(),
            attack: attackSchema.optional(),
            stress: stressSchema.optional(),
            gates: gateSetSchema.default({}),
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.scenarios.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['scenarios', i, 'id'], message: `duplicate scenario id "${s.id}"` });
      seen.add(s.id);
      if (s.attack && !s.attack.countries && !s.attack.ranges) {
        ctx.addIssue({ code: 'custom', path: ['scenarios', i, 'attack'], message: 'an attack needs target countries or number ranges' });
      }
      if (s.attack?.hop && !s.attack.countries) {
        ctx.addIssue({ code: 'custom', path: ['scenarios', i, 'attack', 'hop'], message: 'hopping needs attack.countries (the first country targeted)' });
      }
      for (const gate of attackOnlyGates) {
        if (!s.attack && s.gates[gate] !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['scenarios', i, 'gates', gate], message: `${gate} needs an attack in this scenario` });
        }
      }
    });
  });

export type ScenarioFile = z.infer<typeof scenarioFileSchema>;
export type ScenarioSpec = ScenarioFile['scenarios'][number];
export type AllowlistMode = 'realistic' | 'all';
