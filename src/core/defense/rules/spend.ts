// Spend caps per hour and per day, global and per destination country: the hard bound on loss
// when every detector is fooled. Fails closed (see engine): an unreadable budget is no budget.
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
      const details = { spent, cost, cap: c.cap, windowSeconds: c.windowMs / 1000, region: ctx.phone.region };
      if (after > c.cap + 1e-9) {
        const retryAfter = cost > c.cap ? undefined : await secondsUntilAtMost(counters, c.key, ctx.now, c.windowMs, c.cap - cost);
        (out ??= []).push(reason(DefenseReasonCode.SPEND_CAP_REACHED, c.rule, 'block', 'The spending cap for this period is reached.', details, retryAfter));
      } else if (after >= c.cap * config.spend.alertRatio) {
        // Near the cap: reported (the lead records reasons in events, alerts read them), not enforced.
        (out ??= []).push(reason(DefenseReasonCode.SPEND_CAP_REACHED, c.rule, 'allow', 'Spending is close to the cap.', { ...details, spendAlert: true }));
      }
    }
    return out ?? NO_REASONS;
  },
  async commit(ctx: SendContext, { counters }: RuleDeps): Promise<void> {
    if (!(ctx.estimatedCost > 0)) return;
    // The longest window (a day) as retention: the hourly caps read the same series.
    await counters.hit(spendKeys.global, ctx.now, DAY_MS, ctx.estimatedCost);
    await counters.hit(spendKeys.country(ctx.phone.region), ctx.now, DAY_MS, ctx.estimatedCost);
  },
};
