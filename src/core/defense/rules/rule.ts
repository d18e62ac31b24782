// The shape every defense rule has (built-in ones here, and the reputation rule and pumping
// detector plugged in by the service), plus a helper to build reasons.
import type { Counters } from '../../../ports.ts';
import type { DefenseAction, DefenseReason, DefenseReasonCode, SendContext } from '../decision.ts';
import type { EffectiveDefenseConfig, RuleMode } from '../defense-config.ts';

export interface RuleDeps {
  counters: Counters;
  config: EffectiveDefenseConfig;
}

export interface DefenseRule {
  id: string;
  /** The reason code the rule reports; also used for the reason recorded when the rule throws. */
  code: DefenseReasonCode;
  /** Evaluation order, lower first. Built-ins: number type 10, channel 20, location 30, spend 40, velocity 50; extra rules default to 100. */
  order?: number;
  /** When evaluate throws: false (default) lets the send through with an error reason, true blocks (spend caps). */
  failClosed?: boolean;
  /** The rule's mode under `config`; default `config.ruleModes[id]`, else enforce. */
  mode?(config: EffectiveDefenseConfig): RuleMode;
  /** Reads only (counters.count): a refused send must leave no trace in the counters. */
  evaluate(ctx: SendContext, deps: RuleDeps): Promise<DefenseReason[]>;
  /** Called once the send actually went out: count it (counters.hit). */
  commit?(ctx: SendContext, deps: RuleDeps): Promise<void>;
}

export function reason(
  code: DefenseReasonCode,
  rule: string,
  action: DefenseAction,
  message: string,
  details?: Record<string, unknown>,
  retryAfter?: number,
): DefenseReason {
  const r: DefenseReason = { code, rule, action, shadow: false, message };
  if (retryAfter !== undefined) r.retryAfter = retryAfter;
  if (details !== undefined) r.details = details;
  return r;
}

/** Shared empty answer, so the common "nothing to report" path allocates nothing. */
export const NO_REASONS: DefenseReason[] = Object.freeze([]) as unknown as DefenseReason[];
