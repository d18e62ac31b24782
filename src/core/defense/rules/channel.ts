// Per-channel gates: the kill switch, an optional extra country allowlist, and the high-cost
// destinations a channel refuses (voice starts off there: toll fraud is paid per call-minute).
import type { Channel } from '../../events/event.ts';
import { DefenseReasonCode, type DefenseReason, type SendContext } from '../decision.ts';
import { ruleMode, type EffectiveDefenseConfig } from '../defense-config.ts';
import { NO_REASONS, reason, type DefenseRule, type RuleDeps } from './rule.ts';

const RULE = 'channel';

type Refusal = { code: DefenseReasonCode; why: 'kill_switch' | 'non_geographic' | 'not_in_list' | 'high_cost' };

/** Why `channel` may not reach `region`, or null when it may. Also used to offer the other channel. */
export function channelRefusal(config: EffectiveDefenseConfig, channel: Channel, region: string | null): Refusal | null {
  const c = config.channels[channel];
  if (!c.enabled) return { code: DefenseReasonCode.CHANNEL_DISABLED, why: 'kill_switch' };
  if (region === null) return c.allowNonGeographic ? null : { code: DefenseReasonCode.CHANNEL_DISABLED, why: 'non_geographic' };
  if (c.countries.length > 0 && !c.countries.includes(region)) return { code: DefenseReasonCode.COUNTRY_NOT_ALLOWED, why: 'not_in_list' };
  if (c.highCostCountries.includes(region)) return { code: DefenseReasonCode.CHANNEL_DISABLED, why: 'high_cost' };
  return null;
}

const MESSAGES: Record<Refusal['why'], string> = {
  kill_switch: 'This channel is switched off.',
  non_geographic: 'This channel does not reach non-geographic numbers.',
  not_in_list: 'This channel does not reach this country.',
  high_cost: 'This channel is off for this high-cost destination.',
};

export const channelRule: DefenseRule = {
  id: RULE,
  code: DefenseReasonCode.CHANNEL_DISABLED,
  order: 20,
  mode: (config) => ruleMode(config, RULE, config.channels),
  async evaluate(ctx: SendContext, { config }: RuleDeps): Promise<DefenseReason[]> {
    const refusal = channelRefusal(config, ctx.channel, ctx.phone.region);
    if (!refusal) return NO_REASONS;
    // details.channel: the refusal concerns this channel only, so the other one may be offered.
    return [reason(refusal.code, RULE, 'block', MESSAGES[refusal.why], { channel: ctx.channel, region: ctx.phone.region, why: refusal.why })];
  },
};
