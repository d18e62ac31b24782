// Optional sign-in regions by IP country (B2C conditional-access style). Challenge by default:
// travellers, roaming and VPN users would otherwise be locked out of their own accounts.
import { DefenseReasonCode, type DefenseReason, type SendContext } from '../decision.ts';
import { ruleMode } from '../defense-config.ts';
import { NO_REASONS, reason, type DefenseRule, type RuleDeps } from './rule.ts';

const RULE = 'location';

export const locationRule: DefenseRule = {
  id: RULE,
  code: DefenseReasonCode.LOCATION_NOT_ALLOWED,
  order: 30,
  mode: (config) => ruleMode(config, RULE, config.location),
  async evaluate(ctx: SendContext, { config }: RuleDeps): Promise<DefenseReason[]> {
    const s = config.location;
    if (s.allowedRegions.length === 0) return NO_REASONS;
    const country = ctx.ipInfo?.country ?? null;
    // An unknown IP country is a signal we cannot read: fail open, but say so.
    if (country === null) {
      return [reason(DefenseReasonCode.LOCATION_NOT_ALLOWED, RULE, 'allow', 'The IP country is unknown.', { ipCountry: null, unknown: true })];
    }
    if (s.allowedRegions.includes(country)) return NO_REASONS;
    return [reason(DefenseReasonCode.LOCATION_NOT_ALLOWED, RULE, s.action, 'Sign-in from this country is not allowed.', { ipCountry: country })];
  },
};
