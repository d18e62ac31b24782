// Spend caps per hour and per day, global and per destination country: the hard bound on loss
// when every detector is fooled. Fails closed (see engine): an unreadable budget is no budget.
// The configured caps are floors: with `spend.learn`, each is raised to a multiple of the
// deployment's normal day (the mean daily spend of the week before the last 24 hours), so a
// large country's ordinary traffic is never stopped by a default sized for a small one, while a
// destination nobody normally pays for keeps the configured bound.
import type { Counters } from '../../../ports.ts';
import { DefenseReasonCode, type DefenseReason, type SendContext } from '../decision.ts';
import { ruleMode, type EffectiveDefenseConfig } from '../defense-config.ts';
import { NO_REASONS, reason, type DefenseRule, type RuleDeps } from './rule.ts';
import { secondsUntilAtMost } from './window-math.ts';

const RULE = 'spend';
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Region key of numbers without one (libphonenumber's "world"). */
const NON_GEOGRAPHIC = '001';

export const spendKeys = {
  global: 'spend:all',
  country: (region: string | null) => `spend:cc:${region ?? NON_GEOGRAPHIC}`,
};

interface Cap {
  rule: string;
  key: string;
  windowMs: number;
  cap: number;
}

// Effective configs are cached by the engine, so caps are computed once per (config, region).
const capCache = new WeakMap<EffectiveDefenseConfig, Map<string, Cap[]>>();

/** The caps that apply to a send to `region`, in the order they are checked. */
export function capsFor(config: EffectiveDefenseConfig, region: string | null): Cap[] {
  let byRegion = capCache.get(config);
  if (!byRegion) capCache.set(config, (byRegion = new Map()));
  const cached = byRegion.get(region ?? NON_GEOGRAPHIC);
  if (cached) return cached;
  const computed = computeCaps(config, region);
  byRegion.set(region ?? NON_GEOGRAPHIC, computed);
  return computed;
}

function computeCaps(config: EffectiveDefenseConfig, region: string | null): Cap[] {
  const s = config.spend;
  const cc = s.countries[region ?? NON_GEOGRAPHIC];
  const countryHour = cc?.hour !== undefined ? cc.hour : s.countryDefault.hour;
  const countryDay = cc?.day !== undefined ? cc.day : s.countryDefault.day;
  const countryKey = spendKeys.country(region);
  const out: Cap[] = [];
  if (s.hour !== null) out.push({ rule: 'spend.global-hour', key: spendKeys.global, windowMs: HOUR_MS, cap: s.hour });
  if (s.day !== null) out.push({ rule: 'spend.global-day', key: spendKeys.global, windowMs: DAY_MS, cap: s.day });
  if (countryHour !== null) out.push({ rule: 'spend.country-hour', key: countryKey, windowMs: HOUR_MS, cap: countryHour });
  if (countryDay !== null) out.push({ rule: 'spend.country-day', key: countryKey, windowMs: DAY_MS, cap: countryDay });
  return out;
}

/**
 * Mean daily spend of `key` over the `days` days before the last 24 hours. Computed at most once an
 * hour per counter store and key (two counter reads), since it moves slowly.
 */
const learnedCache = new WeakMap<Counters, Map<string, { hour: number; mean: number }>>();
async function normalDay(counters: Counters, key: string, now: number, days: number): Promise<number> {
  let byKey = learnedCache.get(counters);
  if (!byKey) learnedCache.set(counters, (byKey = new Map()));
  const hour = Math.floor(now / HOUR_MS);
  const memo = `${key}|${days}`;
  const hit = byKey.get(memo);
  if (hit && hit.hour === hour) return hit.mean;
  const before = (await counters.count(key, now, (days + 1) * DAY_MS)) - (await counters.count(key, now, DAY_MS));
  const mean = Math.max(0, before) / days;
  byKey.set(memo, { hour, mean });
  return mean;
}

/** The cap in force: the configured one, or the learned one when that is higher. */
async function capInForce(c: Cap, config: EffectiveDefenseConfig, counters: Counters, now: number): Promise<{ cap: number; learned: boolean }> {
  const learn = config.spend.learn;
  if (!learn.enabled) return { cap: c.cap, learned: false };
  const mean = await normalDay(counters, c.key, now, learn.days);
  const learned = mean * (c.windowMs === DAY_MS ? learn.dayMultiple : learn.hourMultiple);
  return learned > c.cap ? { cap: Math.round(learned * 100) / 100, learned: true } : { cap: c.cap, learned: false };
}

export const spendRule: DefenseRule = {
  id: RULE,
  code: DefenseReasonCode.SPEND_CAP_REACHED,
  order: 40,
  failClosed: true,
  mode: (config) => ruleMode(config, RULE, config.spend),
  async evaluate(ctx: SendContext, { counters, config }: RuleDeps): Promise<DefenseReason[]> {
    const cost = ctx.estimatedCost;
    let out: DefenseReason[] | undefined;
    for (const c of capsFor(config, ctx.phone.region)) {
      const spent = await counters.count(c.key, ctx.now, c.windowMs);
      const after = spent + cost;
      const { cap, learned } = await capInForce(c, config, counters, ctx.now);
      const details = { spent, cost, cap, windowSeconds: c.windowMs / 1000, region: ctx.phone.region, ...(learned ? { learnedCap: true, configuredCap: c.cap } : {}) };
      if (after > cap + 1e-9) {
        const retryAfter = cost > cap ? undefined : await secondsUntilAtMost(counters, c.key, ctx.now, c.windowMs, cap - cost);
        (out ??= []).push(reason(DefenseReasonCode.SPEND_CAP_REACHED, c.rule, 'block', 'The spending cap for this period is reached.', details, retryAfter));
      } else if (after >= cap * config.spend.alertRatio) {
        // Near the cap: reported (the lead records reasons in events, alerts read them), not enforced.
        (out ??= []).push(reason(DefenseReasonCode.SPEND_CAP_REACHED, c.rule, 'allow', 'Spending is close to the cap.', { ...details, spendAlert: true }));
      }
    }
    return out ?? NO_REASONS;
  },
  async commit(ctx: SendContext, { counters, config }: RuleDeps): Promise<void> {
    if (!(ctx.estimatedCost > 0)) return;
    // The longest window as retention (a day, or the learning span): the hourly caps read the same series.
    const learn = config.spend.learn;
    const retention = learn.enabled ? (learn.days + 1) * DAY_MS : DAY_MS;
    await counters.hit(spendKeys.global, ctx.now, retention, ctx.estimatedCost);
    await counters.hit(spendKeys.country(ctx.phone.region), ctx.now, retention, ctx.estimatedCost);
  },
};
