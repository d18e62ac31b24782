// Sliding-window velocity limits per number (with Auth0-style escalating backoff), user, IP,
// IPv4 /24, IPv6 /64, number block and country+channel. Checks only read the counters; sends
// are counted in commit(), once they went out, so refused attempts never use up a budget.
import { actionRank, DefenseReasonCode, type DefenseReason, type SendContext } from '../decision.ts';
import { ruleMode, type EffectiveDefenseConfig, type VelocityLimit } from '../defense-config.ts';
import { ipKeys, type IpKeys } from '../phone-keys.ts';
import { NO_REASONS, reason, type DefenseRule, type RuleDeps } from './rule.ts';
import { backoffWaitSeconds, secondsUntilAtMost } from './window-math.ts';

const RULE = 'velocity';
const CODE = DefenseReasonCode.VELOCITY_EXCEEDED;

type ScopeName = 'number' | 'user' | 'ip' | 'ip24' | 'ip64' | 'prefix4' | 'prefix3' | 'countryChannel';

interface Scope {
  name: ScopeName;
  rule: string;
  /** Number-block scopes: a number verified before is a real subscriber, not a leased range. */
  skipKnownGood?: boolean;
  key(ctx: SendContext, ip: IpKeys | null): string | null;
}

/** Counter keys are shared by every policy: overrides change thresholds, not what is counted. */
export const VELOCITY_SCOPES: readonly Scope[] = [
  { name: 'number', rule: 'velocity.number', key: (c) => `v:n:${c.phone.e164}` },
  { name: 'user', rule: 'velocity.user', key: (c) => (c.userIdHash ? `v:u:${c.userIdHash}` : null) },
  { name: 'ip', rule: 'velocity.ip', key: (_, ip) => (ip ? `v:ip:${ip.address}` : null) },
  { name: 'ip24', rule: 'velocity.ip24', key: (_, ip) => (ip?.version === 4 ? `v:net:${ip.subnet}` : null) },
  { name: 'ip64', rule: 'velocity.ip64', key: (_, ip) => (ip?.version === 6 ? `v:net:${ip.subnet}` : null) },
  { name: 'prefix4', rule: 'velocity.prefix4', skipKnownGood: true, key: (c) => `v:p4:${c.phone.prefix4}` },
  { name: 'prefix3', rule: 'velocity.prefix3', skipKnownGood: true, key: (c) => `v:p3:${c.phone.prefix3}` },
  { name: 'countryChannel', rule: 'velocity.country-channel', key: (c) => `v:cc:${c.phone.region ?? '001'}:${c.channel}` },
];

const NUMBER_SCOPE = VELOCITY_SCOPES[0]!;

/** The limit a scope is over that weighs most (strongest action, then longest window), if any. */
async function worstExceeded(deps: RuleDeps, key: string, now: number, limits: VelocityLimit[]) {
  let worst: { limit: VelocityLimit; count: number } | null = null;
  let lastWindow = -1;
  let lastCount = 0;
  for (const limit of limits) {
    const windowMs = limit.windowSeconds * 1000;
    const count = windowMs === lastWindow ? lastCount : await deps.counters.count(key, now, windowMs);
    lastWindow = windowMs;
    lastCount = count;
    if (count < limit.max) continue;
    const rank = actionRank[limit.action];
    if (!worst || rank > actionRank[worst.limit.action] || (rank === actionRank[worst.limit.action] && limit.windowSeconds > worst.limit.windowSeconds)) {
      worst = { limit, count };
    }
  }
  return worst;
}

async function backoffReason(ctx: SendContext, deps: RuleDeps, key: string): Promise<DefenseReason | null> {
  const b = deps.config.velocity.backoff;
  const sends = await deps.counters.count(key, ctx.now, b.windowSeconds * 1000);
  const wait = backoffWaitSeconds(sends, b);
  if (wait === 0) return null;
  const waitMs = wait * 1000;
  if ((await deps.counters.count(key, ctx.now, waitMs)) === 0) return null;
  const retryAfter = await secondsUntilAtMost(deps.counters, key, ctx.now, waitMs, 0);
  return reason(CODE, 'velocity.number-backoff', 'block', 'Codes to this number were sent too recently; wait before asking again.', { scope: 'number', sends, waitSeconds: wait }, retryAfter);
}

/** How long a scope's series must be kept: its longest window (and the backoff window for numbers). */
function retentionMs(config: EffectiveDefenseConfig, scope: ScopeName, limits: VelocityLimit[]): number {
  let longest = 0;
  for (const l of limits) longest = Math.max(longest, l.windowSeconds);
  if (scope === 'number' && config.velocity.backoff.enabled) {
    longest = Math.max(longest, config.velocity.backoff.windowSeconds, config.velocity.backoff.maxSeconds);
  }
  return longest * 1000;
}

export const velocityRule: DefenseRule = {
  id: RULE,
  code: CODE,
  order: 50,
  mode: (config) => ruleMode(config, RULE, config.velocity),
  async evaluate(ctx: SendContext, deps: RuleDeps): Promise<DefenseReason[]> {
    const v = deps.config.velocity;
    const ip = ctx.ip ? ipKeys(ctx.ip) : null;
    let out: DefenseReason[] | undefined;
    for (const scope of VELOCITY_SCOPES) {
      const limits = v[scope.name];
      const key = scope.key(ctx, ip);
      if (key === null) continue;
      let numberBlocked = false;
      // Known-good numbers are still counted (commit) but not held back by their block's volume.
      if (limits.length > 0 && !(scope.skipKnownGood && ctx.knownGood)) {
        const worst = await worstExceeded(deps, key, ctx.now, limits);
        if (worst) {
          const { limit, count } = worst;
          const retryAfter = limit.action === 'block' ? await secondsUntilAtMost(deps.counters, key, ctx.now, limit.windowSeconds * 1000, limit.max - 1) : undefined;
          const details: Record<string, unknown> = { scope: scope.name, count, max: limit.max, windowSeconds: limit.windowSeconds };
          // Per-channel counts concern this channel only: the engine may offer the other one.
          if (scope.name === 'countryChannel') details.channel = ctx.channel;
          (out ??= []).push(reason(CODE, scope.rule, limit.action, `Too many codes (${scope.name}): ${count} in ${limit.windowSeconds} s.`, details, retryAfter));
          numberBlocked = limit.action === 'block';
        }
      }
      if (scope === NUMBER_SCOPE && v.backoff.enabled && !numberBlocked) {
        const r = await backoffReason(ctx, deps, key);
        if (r) (out ??= []).push(r);
      }
    }
    return out ?? NO_REASONS;
  },
  async commit(ctx: SendContext, { counters, config }: RuleDeps): Promise<void> {
    const ip = ctx.ip ? ipKeys(ctx.ip) : null;
    for (const scope of VELOCITY_SCOPES) {
      const limits = config.velocity[scope.name];
      const key = scope.key(ctx, ip);
      if (key === null) continue;
      const retention = retentionMs(config, scope.name, limits);
      if (retention > 0) await counters.hit(key, ctx.now, retention);
    }
  },
};
