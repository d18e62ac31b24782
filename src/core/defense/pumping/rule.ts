// The pumping detector as a defense rule (structurally the engine's DefenseRule). It runs after
// the static gates and spend caps but before velocity limits, so that sends into a pumped block
// are explained as pumping and keep the block's suspension alive while the attack knocks.
import { DefenseReasonCode, type DefenseReason, type SendContext } from '../decision.ts';
import type { PumpingDetector } from './detector.ts';

export interface PumpingRule {
  readonly id: 'pumping';
  readonly code: typeof DefenseReasonCode.PUMPING_SUSPECTED;
  readonly order: number;
  evaluate(ctx: SendContext): Promise<DefenseReason[]>;
}

/** Built-ins run at 10–50 (number type … velocity); 45 places pumping just before velocity. */
export const PUMPING_RULE_ORDER = 45;

export function pumpingRule(detector: PumpingDetector, order = PUMPING_RULE_ORDER): PumpingRule {
  return {
    id: 'pumping',
    code: DefenseReasonCode.PUMPING_SUSPECTED,
    order,
    evaluate: async (ctx) => detector.assess(ctx, ctx.now),
  };
}
