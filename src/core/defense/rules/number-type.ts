// Static gate on the kind of number (libphonenumber `max` metadata): premium, shared-cost and
// similar ranges cost a fortune or cannot receive a code; VoIP and personal numbers are where
// throwaway numbers live. Non-geographic numbers (+870 +881 +882 +883 +979) have no region.
import { DefenseReasonCode, type DefenseAction, type DefenseReason, type SendContext } from '../decision.ts';
import { ruleMode } from '../defense-config.ts';
import { NO_REASONS, reason, type DefenseRule, type RuleDeps } from './rule.ts';

const RULE = 'number-type';
const CODE = DefenseReasonCode.NUMBER_TYPE_BLOCKED;

function finding(action: DefenseAction, message: string, details: Record<string, unknown>): DefenseReason[] {
  return action === 'allow' ? NO_REASONS : [reason(CODE, RULE, action, message, details)];
}

export const numberTypeRule: DefenseRule = {
  id: RULE,
  code: CODE,
  order: 10,
  mode: (config) => ruleMode(config, RULE, config.numberType),
  async evaluate(ctx: SendContext, { config }: RuleDeps): Promise<DefenseReason[]> {
    const s = config.numberType;
    const { type, region } = ctx.phone;
    // A valid number always has a type with max metadata, so "no type" means invalid.
    if (type === undefined) return finding(s.invalid, 'The number is not a valid phone number.', { type: null, invalid: true });
    if (region === null) {
      return finding(s.nonGeographic, 'Non-geographic numbers (satellite, international networks) are not accepted.', {
        type,
        nonGeographic: true,
        countryCallingCode: ctx.phone.countryCallingCode,
      });
    }
    if (s.blockedTypes.includes(type)) return finding('block', `Numbers of type ${type} are not accepted.`, { type });
    switch (type) {
      case 'VOIP':
        return finding(s.voip, 'VoIP numbers need an extra check.', { type });
      case 'PERSONAL_NUMBER':
        return finding(s.personalNumber, 'Personal (forwarding) numbers need an extra check.', { type });
      case 'TOLL_FREE':
        // Channel-specific (calls usually work, texts usually do not): details.channel lets the engine offer the other channel.
        return finding(s.tollFree[ctx.channel], `Toll-free numbers are not accepted for ${ctx.channel}.`, { type, channel: ctx.channel });
      default:
        return NO_REASONS;
    }
  },
};
