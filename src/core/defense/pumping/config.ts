// Settings of the pumping detector, with the defaults it was tuned with (docs/pumping.md explains
// each one). A plain object so operators can override a few fields from the defense config; the
// rule's mode (enforce / shadow / off) is the engine's business, not the detector's.

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface PumpingConfig {
  /** A send with no code check on its number within this time counts as an early abandonment. */
  abandonAfterMs: number;
  /**
   * Inside a block that is already concentrated, a send this old without a check already counts as
   * failing. Lets a CAPTCHA-solving burst be blocked a minute after it starts, not two.
   */
  overdueAfterMs: number;
  /** A send whose number was checked but never verified counts as failed this long after it. */
  resolveAfterMs: number;
  concentration: {
    /** Short and long windows for distinct numbers per block. */
    dayMs: number;
    weekMs: number;
    /** Floors of the adaptive thresholds: distinct numbers, and distinct failed numbers, per block. */
    minDistinct: number;
    minFailed: number;
    /** Expected false alarms per country, signal and window the adaptive thresholds allow. */
    falseAlarmsPerWindow: number;
    /** Prior numbers per 10k block per day, and its weight in pseudo-numbers, for new countries. */
    priorPerBlockDay: number;
    priorWeight: number;
    /**
     * Blocks holding up to this many numbers measure how spread a country's numbers are; fuller
     * blocks (pumped ones) are left out. Raised automatically for dense countries.
     */
    spreadCap: number;
    /** A concentrated block whose settled numbers verified at least this often is left alone. */
    convertingShare: number;
    /**
     * While a country is on alert (its channel suspended, the alert bar met, or several of its
     * blocks suspended lately), blocks are judged against this looser budget of false suspensions
     * per alert period: two unverified numbers in one block in a week is then enough in most countries.
     */
    alertFalseAlarmsPerWindow: number;
    /** Block suspensions in one country within `campaignWindowMs` that put the country on alert. */
    campaignBlocks: number;
    campaignWindowMs: number;
  };
  country: {
    /** Windows over which volume and completion are compared with the baseline. */
    windowsMs: number[];
    /** Poisson upper-tail probability below which volume counts as up, and the ratio and excess it also needs. */
    volumeAlpha: number;
    minVolumeRatio: number;
    minExcessSessions: number;
    /** Completion counts as far below baseline when its Wilson upper bound is under baseline × (1 − drop). */
    completionDrop: number;
    wilsonZ: number;
    /** Failed sessions needed before the completion test may fire (first trigger / after a lift). */
    minFailed: number;
    probationMinFailed: number;
    /**
     * A looser bar that only puts the country on alert (its blocks then need less evidence) for
     * `concentration.campaignWindowMs`: reached a minute or two before the challenge bar.
     */
    alert: { wilsonZ: number; volumeAlpha: number; minFailed: number; minExcessSessions: number };
    /**
     * Challenge the country's channel while blocks keep falling to a campaign (new untrusted
     * numbers pay for a slow campaign with a challenge), not only on volume and completion.
     */
    campaignChallenge: boolean;
    /** Trusted numbers (ctx.knownGood) skip country challenges as well as prefix suspensions. */
    trustedBypass: boolean;
    /**
     * A country challenge is lifted once its latest `recoverySessions` settled sessions (of the
     * episode) verify like the baseline again, with at least `recoveryVerified` verified. Until
     * then an untrusted send that comes back after the hold meets the challenge again. A
     * destination needs `recoveryVerified` verified sessions in a week to count as having
     * legitimate use.
     */
    recoveryVerified: number;
    recoverySessions: number;
    /**
     * A new number sent from an address that verified at least this many different numbers of the
     * country in the last week (a carrier NAT, an office) skips the country challenge. 0: off.
     */
    sharedNetworkNumbers: number;
  };
  baseline: {
    /** Half-life of the deseasonalised hourly volume level. */
    levelHalfLifeMs: number;
    /** EWMA weights per visit of an hour-of-week bucket (168) and an hour-of-day bucket (24). */
    hourOfWeekAlpha: number;
    hourOfDayAlpha: number;
    /** Visits before a seasonal bucket is trusted over the coarser one. */
    minSeasonVisits: number;
    /** Learning clips an hour at this multiple of what was expected (flash crowds drag less). */
    winsorizeRatio: number;
    /** Floor of expected sessions per hour (new countries, night hours). */
    minExpectedPerHour: number;
    /** Completion: half-life of the decayed beta counts, global prior mean and strength. */
    completionHalfLifeMs: number;
    priorCompletion: number;
    priorStrength: number;
  };
  ladder: {
    /** Level 1 (challenge) hold; levels 2, 3, 4 block (prefixes) or keep challenging (countries). */
    challengeMs: number;
    blockMs: number[];
    /** An active suspension nobody knocks at for this long is lifted (the attack stopped). */
    quietLiftMs: number;
    /** After a lift, the level steps down by one per quiet period of this length. */
    stepDownAfterMs: number;
  };
}

export const defaultPumpingConfig: PumpingConfig = {
  abandonAfterMs: 2 * MIN,
  overdueAfterMs: MIN,
  resolveAfterMs: 15 * MIN,
  concentration: {
    dayMs: DAY,
    weekMs: 7 * DAY,
    minDistinct: 3,
    minFailed: 2,
    falseAlarmsPerWindow: 0.0003,
    priorPerBlockDay: 0.05,
    priorWeight: 5,
    spreadCap: 3,
    convertingShare: 0.7,
    alertFalseAlarmsPerWindow: 0.1,
    campaignBlocks: 2,
    campaignWindowMs: 6 * HOUR,
  },
  country: {
    windowsMs: [HOUR, 6 * HOUR, DAY],
    volumeAlpha: 0.001,
    minVolumeRatio: 1.5,
    minExcessSessions: 4,
    completionDrop: 0.35,
    wilsonZ: 1.96,
    minFailed: 4,
    probationMinFailed: 3,
    alert: { wilsonZ: 1.645, volumeAlpha: 0.001, minFailed: 3, minExcessSessions: 3 },
    campaignChallenge: false,
    trustedBypass: true,
    recoveryVerified: 3,
    recoverySessions: 6,
    sharedNetworkNumbers: 2,
  },
  baseline: {
    levelHalfLifeMs: 3 * DAY,
    hourOfWeekAlpha: 0.3,
    hourOfDayAlpha: 0.15,
    minSeasonVisits: 2,
    winsorizeRatio: 3,
    minExpectedPerHour: 0.25,
    completionHalfLifeMs: 7 * DAY,
    priorCompletion: 0.8,
    priorStrength: 20,
  },
  ladder: {
    challengeMs: 15 * MIN,
    blockMs: [15 * MIN, HOUR, 12 * HOUR],
    quietLiftMs: HOUR,
    stepDownAfterMs: 6 * HOUR,
  },
};

type DeepPartial<T> = T extends unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
export type PumpingConfigOverride = DeepPartial<PumpingConfig>;

/** Defaults with `override` merged in (objects merge, arrays replace). */
export function resolvePumpingConfig(override: PumpingConfigOverride = {}): PumpingConfig {
  return merge(defaultPumpingConfig, override) as PumpingConfig;
}

function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return structuredClone(base);
  if (Array.isArray(over) || typeof over !== 'object' || over === null) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = merge((base as Record<string, unknown>)[k], v);
  for (const [k, v] of Object.entries(out)) if (!(k in (over as object))) out[k] = structuredClone(v);
  return out;
}

/** Hold of a ladder level: 1 is the challenge, 2.. the block steps. */
export function levelDuration(cfg: PumpingConfig, level: number): number {
  if (level <= 1) return cfg.ladder.challengeMs;
  const steps = cfg.ladder.blockMs;
  return steps[Math.min(level - 2, steps.length - 1)]!;
}

export function maxLevel(cfg: PumpingConfig): number {
  return 1 + cfg.ladder.blockMs.length;
}
