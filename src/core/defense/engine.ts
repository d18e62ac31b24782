// The defense engine: runs the rules in order (cheap static gates first) before every send, turns
// their reasons into one decision, and counts sends that actually went out. Applies per-rule modes,
// the CAPTCHA downgrade, and fail-open / fail-closed handling of rules that throw.
import type { Counters } from '../../ports.ts';
import { combine, type DefenseReason, type SendContext, type SendDecision } from './decision.ts';
import { resolveDefenseConfig, type DefenseConfig, type EffectiveDefenseConfig, type RuleMode } from './defense-config.ts';
import { channelRefusal, channelRule } from './rules/channel.ts';
import { locationRule } from './rules/location.ts';
import { numberTypeRule } from './rules/number-type.ts';
import { reason, type DefenseRule, type RuleDeps } from './rules/rule.ts';
import { spendRule } from './rules/spend.ts';
import { velocityRule } from './rules/velocity.ts';

export type { DefenseRule, RuleDeps } from './rules/rule.ts';

/** Built-in rules in evaluation order: number type, channel, location, spend caps, velocity. */
export const builtinRules: readonly DefenseRule[] = [numberTypeRule, channelRule, locationRule, spendRule, velocityRule];

const EXTRA_RULE_ORDER = 100;

interface Step {
  rule: DefenseRule;
  mode: RuleMode;
}

/** Everything decide() needs for one effective config, built once and reused for every send. */
interface Plan {
  deps: RuleDeps;
  steps: Step[];
}

export class DefenseEngine {
  private readonly rules: DefenseRule[];
  private readonly plans = new Map<string | null, Plan>();

  constructor(
    private readonly config: DefenseConfig,
    private readonly counters: Counters,
    extraRules: DefenseRule[] = [],
  ) {
    const all = [...builtinRules, ...extraRules];
    const ids = new Set<string>();
    for (const r of all) {
      if (ids.has(r.id)) throw new Error(`defense rule "${r.id}" is registered twice`);
      ids.add(r.id);
    }
    // Stable sort: extra rules without an order run after the built-ins, in the order given.
    this.rules = all
      .map((rule, index) => ({ rule, index, order: rule.order ?? EXTRA_RULE_ORDER }))
      .sort((a, b) => a.order - b.order || a.index - b.index)
      .map((x) => x.rule);
  }

  /** The settings sends of `policyId` are judged by (global settings when it has no override). */
  effectiveConfig(policyId: string | null): EffectiveDefenseConfig {
    return this.plan(policyId).deps.config;
  }

  async decide(ctx: SendContext): Promise<SendDecision> {
    const { deps, steps } = this.plan(ctx.policyId);
    const reasons: DefenseReason[] = [];
    for (const { rule, mode } of steps) {
      let found: DefenseReason[];
      try {
        found = await rule.evaluate(ctx, deps);
      } catch (err) {
        found = [failureReason(rule, err)];
      }
      let blocked = false;
      for (let r of found) {
        if (mode === 'shadow' && !r.shadow) r = { ...r, shadow: true };
        // A solved CAPTCHA answers challenges of this send; blocks stand whatever was solved.
        if (ctx.captchaPassed && r.action === 'challenge') r = { ...r, action: 'allow', details: { ...r.details, satisfiedByCaptcha: true } };
        reasons.push(r);
        if (r.action === 'block' && !r.shadow) blocked = true;
      }
      // Nothing later can make a block stronger, and skipping spares counter reads under attack.
      if (blocked) break;
    }
    const decision = combine(reasons);
    if (decision.action !== 'allow') decision.alternatives = alternatives(ctx, deps.config, reasons);
    return decision;
  }

  /**
   * Counts a send that actually went out (call it after the provider accepted it). Every rule's
   * commit runs, whatever its mode, so a rule switched from shadow/off to enforce has history.
   * Rejects (AggregateError) only when a counter store failed; the send is already made, so log it.
   */
  async commitSend(ctx: SendContext): Promise<void> {
    const { deps } = this.plan(ctx.policyId);
    const errors: unknown[] = [];
    for (const rule of this.rules) {
      if (!rule.commit) continue;
      try {
        await rule.commit(ctx, deps);
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `defense: ${errors.length} rule(s) could not count the send`);
  }

  private plan(policyId: string | null): Plan {
    const key = policyId !== null && Object.hasOwn(this.config.policies, policyId) ? policyId : null;
    let plan = this.plans.get(key);
    if (!plan) {
      const config = resolveDefenseConfig(this.config, key);
      const steps: Step[] = [];
      for (const rule of this.rules) {
        const mode = rule.mode ? rule.mode(config) : (config.ruleModes[rule.id] ?? 'enforce');
        if (mode !== 'off') steps.push({ rule, mode });
      }
      plan = { deps: { counters: this.counters, config }, steps };
      this.plans.set(key, plan);
    }
    return plan;
  }
}

/** A rule that threw: fail open (allow, recorded) unless it guards money (fail closed). */
function failureReason(rule: DefenseRule, err: unknown): DefenseReason {
  const error = err instanceof Error ? err.message : String(err);
  return rule.failClosed
    ? reason(rule.code, rule.id, 'block', 'The check could not run; refusing the send to stay within budget.', { error, failClosed: true })
    : reason(rule.code, rule.id, 'allow', 'The check could not run; the send was let through.', { error, failOpen: true });
}

/**
 * What the client may offer instead: the other channel when it reaches this number and every
 * enforced refusal concerns only the channel asked (reasons with details.channel), then the
 * configured fallback methods. The caller still intersects with the channels the profile allows.
 */
function alternatives(ctx: SendContext, config: EffectiveDefenseConfig, reasons: DefenseReason[]): string[] {
  const out: string[] = [];
  const other = ctx.channel === 'sms' ? 'voice' : 'sms';
  let channelSpecific = true;
  for (const r of reasons) {
    if (!r.shadow && r.action !== 'allow' && r.details?.channel !== ctx.channel) channelSpecific = false;
  }
  const tollFreeRefused = ctx.phone.type === 'TOLL_FREE' && config.numberType.tollFree[other] !== 'allow';
  if (channelSpecific && !tollFreeRefused && channelRefusal(config, other, ctx.phone.region) === null) out.push(other);
  for (const m of config.fallbackMethods) if (!out.includes(m)) out.push(m);
  return out;
}
