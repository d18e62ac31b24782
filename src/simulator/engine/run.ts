// One simulated run: a fresh Tollgate, the legitimate population over warm-up and measured days,
// the scenario's stress and attack, all driven through one agenda in virtual time (each step
// awaited before the next, so a seed replays exactly), then the server's records read back and
// the run's metrics computed.
import { Attacker } from '../attack/attacker.ts';
import { attackWindow, planAttack, unimpededCost } from '../attack/schedule.ts';
import { EventQueue } from '../event-queue.ts';
import { Identities } from '../legit/identity.ts';
import { type JourneyBehaviour, type JourneyOutcome, LegitJourney } from '../legit/journey.ts';
import { deliveryOverride, type JourneySpec, LegitPopulation } from '../legit/population.ts';
import { attackMetrics } from '../metrics/attack.ts';
import { defenseMetrics } from '../metrics/defense.ts';
import { legitMetrics, verifiedKeys } from '../metrics/legit.ts';
import { explainability, joinRefusals, suspensionEpisodes } from '../metrics/refusals.ts';
import type { RunResult } from '../metrics/types.ts';
import { Rng } from '../random.ts';
import type { AllowlistMode, ScenarioFile } from '../scenario/schema.ts';
import { allowlistFor, priceTableOf, resolveWorld } from '../scenario/world.ts';
import { DAY, MINUTE } from '../time-spec.ts';
import { ipCatalogue } from '../world/ip-catalogue.ts';
import { TollgateApi } from './client.ts';
import type { SimContext } from './context.ts';
import { SIM_APP_KEY, startInstance } from './instance.ts';
import { readRefusalEvents, readSuspensions } from './server-records.ts';

export interface RunJob {
  file: ScenarioFile;
  /** null: the legit-only baseline run (a). */
  scenarioId: string | null;
  seed: number;
  allowlist: AllowlistMode;
  transport: 'inject' | 'http';
  defense: 'on' | 'off';
}

export interface RunOutput {
  result: RunResult;
  /** Measured journeys: all keys, and those that verified (pairing with the baseline). */
  measuredKeys: string[];
  verifiedKeys: string[];
  /** Every journey outcome, only when asked for (tests). */
  outcomes?: JourneyOutcome[];
  wallMs: number;
}

/** Journeys still open this long after the period ends may finish; nothing new starts. */
const GRACE = 30 * MINUTE;

export async function runSimulation(job: RunJob, hooks: { onProgress?: (fraction: number) => void; keepOutcomes?: boolean } = {}): Promise<RunOutput> {
  const wall = performance.now();
  const { file, seed } = job;
  const scenario = job.scenarioId === null ? null : file.scenarios.find((s) => s.id === job.scenarioId);
  if (scenario === undefined) throw new Error(`no scenario "${job.scenarioId}" in ${file.name}`);
  const world = resolveWorld(file);
  const simStart = Date.parse(`${file.startDate}T00:00:00Z`);
  const measuredStart = simStart + file.days.warmup * DAY;
  const runStart = measuredStart - (scenario?.warmupDays ?? file.days.warmup) * DAY;
  const end = measuredStart + file.days.measured * DAY;
  const catalogue = ipCatalogue();
  // The attack's unimpeded plan (run c) comes first: a cold start (A9) or voice test calls may
  // begin before the first legitimate day, and the clock must start there.
  const spec = scenario?.attack;
  const plan = spec ? planAttack({ seed, id: scenario!.id, spec, world, catalogue, measuredStart, horizon: end }) : null;
  const clockStart = Math.min(runStart, plan?.sends[0]?.t ?? runStart);
  const instance = await startInstance({ allowlist: allowlistFor(job.allowlist, file, world), pricing: priceTableOf(world), transport: job.transport, defense: job.defense, start: clockStart, overrides: file.tollgate });
  try {
    const store = instance.tg.store;
    const clock = instance.tg.manualClock!;
    const queue = new EventQueue();
    let now = clockStart;
    const api = new TollgateApi(instance.transport, SIM_APP_KEY);
    const ctx: SimContext = {
      seed, world, api,
      now: () => now,
      at: (t, run) => queue.push(t, run),
      async readCode(to, sessionId) {
        const messages = await store.listOutbox({ to, limit: 20 });
        return messages.find((m) => m.sessionId === sessionId)?.code ?? null;
      },
      refusals: [],
    };

    // Legitimate population.
    const legit = file.legit;
    const stress = scenario?.stress;
    const population = new LegitPopulation({ seed, world, perDay: legit.perDay, stress, measuredStart });
    const identities = new Identities(seed, world, catalogue, legit.perDay, legit.ipMix, stress?.cgnat ?? []);
    const completion = new Map<string, number>();
    const completionOf = (c: string) => completion.get(c) ?? completion.set(c, Rng.stream(seed, `legit/completion/${c}`).range(...legit.completion)).get(c)!;
    const journeys: LegitJourney[] = [];
    const startJourney = async (j: JourneySpec) => {
      const rng = Rng.stream(seed, `legit/journey/${j.key}`);
      const signIn = rng.chance(1 - legit.signUpShare);
      const user = (signIn ? identities.knownUser(j.country, rng, j.t) : null) ?? identities.newUser(j.key, j.country, rng);
      const ip = identities.ipFor(user, rng, j.cgnat);
      const channel = rng.chance(legit.voiceShare) ? 'voice' : 'sms';
      const loss = world.countries[j.country]!.loss;
      const behaviour: JourneyBehaviour = {
        completion: j.completion ?? completionOf(j.country),
        entryMedianSeconds: legit.codeEntry.medianSeconds,
        entrySigma: legit.codeEntry.sigma,
        wrongFirst: legit.codeEntry.wrongFirst,
        retryCorrect: legit.codeEntry.retryCorrect,
        typoRate: legit.typo.rate,
        typoNotice: legit.typo.notice,
        resend: legit.resend,
        voiceAnswer: legit.voiceAnswer,
        captchaSolveRate: legit.captchaSolveRate,
        deliveryRate: (_channel, t) => deliveryOverride(stress, world, measuredStart, j.country, t) ?? 1 - loss,
      };
      const journey = new LegitJourney(ctx, rng, journeys.length, j.key, j.t >= measuredStart, user, signIn, ip, behaviour, (u) => identities.remember(u, now));
      journeys.push(journey);
      await journey.start(channel);
    };
    for (let dayStart = runStart; dayStart < end; dayStart += DAY) {
      const day = Math.round((dayStart - simStart) / DAY);
      queue.push(dayStart, () => {
        for (const j of population.journeysOfDay(dayStart, day)) queue.push(j.t, () => startJourney(j));
      });
    }

    // The attacker executes the plan, reacting to Tollgate (run b).
    const attacker = spec && plan ? new Attacker(scenario!.id, spec, plan, ctx, Rng.stream(seed, `attack/${scenario!.id}/react`)) : null;
    attacker?.schedule();

    const stopAt = end + GRACE;
    let steps = 0;
    while (queue.size) {
      const e = queue.pop()!;
      if (e.t > stopAt) break;
      now = Math.max(now, e.t);
      clock.set(now);
      await e.run();
      if (++steps % 500 === 0) hooks.onProgress?.((now - clockStart) / (stopAt - clockStart));
    }
    hooks.onProgress?.(1);

    // Read back what the server recorded, and measure.
    const events = await readRefusalEvents(store, clockStart);
    const classified = joinRefusals(ctx.refusals, events);
    const touched = new Set(classified.filter((r) => r.actor === 'legit' && r.cls === 'detector').map((r) => r.index));
    const outcomes = journeys.map((j) => j.outcome);
    const window = spec ? attackWindow(spec, world, measuredStart) : null;
    const result: RunResult = {
      id: scenario?.id ?? 'baseline',
      title: scenario?.title ?? 'Legitimate traffic only (run a)',
      kind: !scenario ? 'baseline' : spec ? 'attack' : 'stress',
      seed,
      allowlist: job.allowlist,
      legit: legitMetrics(outcomes, touched),
      attack:
        attacker && plan && spec && window
          ? attackMetrics({
              family: spec.family,
              records: attacker.records,
              unimpeded: unimpededCost(plan),
              refusals: classified.filter((r) => r.actor === 'attack'),
              start: window.start,
              end: Math.min(window.end, end),
              captchaSolves: attacker.captchaSolves,
              captchaCost: attacker.captchaCost,
              revenueShare: spec.revenueShare,
            })
          : null,
      defense: defenseMetrics(
        [...(await readSuspensions(store)).map(({ kind, value, createdBy, createdAt, expiresAt }) => ({ kind, value, createdBy, createdAt, expiresAt })), ...suspensionEpisodes(events)],
        explainability(events),
        classified,
        window,
      ),
      requests: api.requests,
    };
    return {
      result,
      measuredKeys: outcomes.filter((o) => o.measured).map((o) => o.key),
      verifiedKeys: verifiedKeys(outcomes),
      ...(hooks.keepOutcomes ? { outcomes } : {}),
      wallMs: performance.now() - wall,
    };
  } finally {
    await instance.close();
  }
}
