// How long before `--since` the replay starts without reporting, so the candidate's sliding
// windows (velocity limits, backoff, daily spend caps) already hold what was sent before the
// range when its first attempt is judged.
import { resolveDefenseConfig, type DefenseConfig, type EffectiveDefenseConfig } from '../defense/defense-config.ts';

const DAY_MS = 86_400_000;

/** The longest counter window of the global settings and of every policy override, in ms (at least a day: spend caps). */
export function warmupMs(config: DefenseConfig): number {
  let longest = DAY_MS;
  for (const policyId of [null, ...Object.keys(config.policies)]) longest = Math.max(longest, longestWindow(resolveDefenseConfig(config, policyId)));
  return longest;
}

function longestWindow(c: EffectiveDefenseConfig): number {
  const v = c.velocity;
  const limits = [...v.number, ...v.user, ...v.ip, ...v.ip24, ...v.ip64, ...v.prefix4, ...v.prefix3, ...v.countryChannel];
  let seconds = v.backoff.enabled ? v.backoff.windowSeconds : 0;
  for (const l of limits) seconds = Math.max(seconds, l.windowSeconds);
  return seconds * 1000;
}
