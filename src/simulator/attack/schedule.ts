// Turns an attack spec into its unimpeded schedule, and prices that schedule: run (c) of
// fraud.md §4.1 needs no server, because with nothing blocked the attacker just follows its plan.
import type { AttackSpec } from '../scenario/schema.ts';
import { regionOfPattern, type World } from '../scenario/world.ts';
import { parseDuration, resolveTimePoint } from '../time-spec.ts';
import type { IpCatalogue } from '../world/ip-catalogue.ts';
import { planBurst, planSequential, planSlowLow } from './families.ts';
import type { AttackPlan, PlanContext } from './plan.ts';
import { planVoice } from './voice-plan.ts';

export interface PlanInput {
  seed: number;
  id: string;
  spec: AttackSpec;
  world: World;
  catalogue: IpCatalogue;
  measuredStart: number;
  /** End of the simulated period: nothing is planned after it. */
  horizon: number;
}

/** Main-phase window of an attack; "local" times are in the first target's zone. */
export function attackWindow(spec: AttackSpec, world: World, measuredStart: number): { start: number; end: number } {
  const region = spec.countries?.[0] ?? (spec.ranges ? regionOfPattern(spec.ranges[0]!) : null);
  const utc = spec.timeZone === 'local' && region ? (world.countries[region]?.utc ?? 0) : 0;
  const start = resolveTimePoint(spec.start, measuredStart, utc);
  return { start, end: start + parseDuration(spec.duration) };
}

export function planAttack(input: PlanInput): AttackPlan {
  const { start, end } = attackWindow(input.spec, input.world, input.measuredStart);
  const p: PlanContext = { seed: input.seed, id: input.id, world: input.world, catalogue: input.catalogue, start, end: Math.min(end, input.horizon), horizon: input.horizon };
  const spec = input.spec;
  switch (spec.family) {
    case 'burst':
    case 'rotating':
      return planBurst(p, spec);
    case 'slow-low':
      return planSlowLow(p, spec);
    case 'sequential':
      return planSequential(p, spec);
    case 'voice':
      return planVoice(p, spec);
  }
}

export interface UnimpededCost {
  sends: number;
  cost: number;
  billedMinutes: number;
}

/** Run (c): the attack's spend if every planned send went out. */
export function unimpededCost(plan: AttackPlan): UnimpededCost {
  let cost = 0;
  let billedMinutes = 0;
  for (const s of plan.sends) {
    cost += s.cost;
    billedMinutes += s.billedMinutes;
  }
  return { sends: plan.sends.length, cost: Math.round(cost * 1e6) / 1e6, billedMinutes };
}
