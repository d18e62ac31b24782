// Settings of the toll-fraud rules engine: one zod schema with a default for everything
// (docs/defense.md explains each), per-rule modes, and per-policy overrides merged over the
// global settings. Pure: loading the file is the caller's job.
import { z } from 'zod';
import type { DefenseAction } from './decision.ts';

export type RuleMode = 'enforce' | 'shadow' | 'off';

const mode = z.enum(['enforce', 'shadow', 'off']);
const action = z.enum(['allow', 'challenge', 'block']);
/** ISO 3166-1 alpha-2, or `001` (libphonenumber's "world": non-geographic numbers). */
const region = z.string().regex(/^([A-Z]{2}|001)$/, 'regions are ISO 3166-1 alpha-2, upper case (US, FR, …), or 001 (non-geographic)');
const numberType = z.enum(['PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL', 'FIXED_LINE_OR_MOBILE', 'FIXED_LINE', 'MOBILE']);

const limit = z
  .object({ windowSeconds: z.number().int().positive(), max: z.number().int().positive(), action })
  .strict();
export type VelocityLimit = z.output<typeof limit>;
const limits = (defaults: VelocityLimit[]) => z.array(limit).default(defaults);
const L = (windowSeconds: number, max: number, a: DefenseAction): VelocityLimit => ({ windowSeconds, max, action: a });

/** Money in the price table's currency; null = no cap. */
const cap = z.number().positive().nullable();
const countryCaps = z.object({ hour: cap.optional(), day: cap.optional() }).strict();

/**
 * High-termination-rate destinations long advertised for international revenue share fraud
 * (fraud.md §1.2–1.3): voice OTP calls there are where toll fraud pays best, so voice starts off.
 */
export const DEFAULT_VOICE_HIGH_COST = [
  'AF', 'AZ', 'BT', 'BY', 'CU', 'GM', 'GN', 'LT', 'LV', 'MV', 'SO', 'TJ', 'TN', 'ZW',
  'ER', 'KM', 'LR', 'SL', 'ST', 'CK', 'NR', 'NU', 'PG', 'SB', 'TK', 'TV', 'VU', 'WF',
  // NANP Caribbean ranges share +1 with the US: the parsed region tells them apart.
  'AG', 'DM', 'GD', 'JM',
];

const channel = (highCost: string[]) =>
  z
    .object({
      /** Kill switch: false refuses every send on this channel. */
      enabled: z.boolean().default(true),
      /** Extra ISO allowlist for this channel (the profile's countryList applies upstream); empty = no extra list. */
      countries: z.array(region).default([]),
      /** Countries this channel refuses (high termination rates). */
      highCostCountries: z.array(region).default(highCost),
      /** Numbers with no region (+870, +881, +882, +883, +979). */
      allowNonGeographic: z.boolean().default(false),
    })
    .strict()
    .prefault({});

const settingsShape = {
  numberType: z
    .object({
      mode: mode.default('enforce'),
      /** Types refused outright: expensive to reach or unable to receive a code. */
      blockedTypes: z.array(numberType).default(['PREMIUM_RATE', 'SHARED_COST', 'UAN', 'PAGER', 'VOICEMAIL']),
      /** Numbers libphonenumber cannot validate (no type). */
      invalid: action.default('block'),
      /** Numbers with no region (+870, +881, +882, +883, +979). */
      nonGeographic: action.default('block'),
      voip: action.default('challenge'),
      /** Most toll-free numbers cannot receive SMS; a call to one costs the caller nothing. */
      tollFree: z.object({ sms: action.default('block'), voice: action.default('allow') }).strict().prefault({}),
      personalNumber: action.default('challenge'),
    })
    .strict()
    .prefault({}),
  channels: z
    .object({ mode: mode.default('enforce'), sms: channel([]), voice: channel(DEFAULT_VOICE_HIGH_COST) })
    .strict()
    .prefault({}),
  location: z
    .object({
      mode: mode.default('enforce'),
      /** IP countries a send may come from; empty = rule off. */
      allowedRegions: z.array(region).default([]),
      action: z.enum(['challenge', 'block']).default('challenge'),
    })
    .strict()
    .prefault({}),
  spend: z
    .object({
      mode: mode.default('enforce'),
      hour: cap.default(50),
      day: cap.default(500),
      /** Caps for one destination country when it has no entry in `countries` (`001` = non-geographic). */
      countryDefault: z.object({ hour: cap.default(10), day: cap.default(100) }).strict().prefault({}),
      /** Per country: a cap given here replaces countryDefault's (null = uncapped). */
      countries: z.record(region, countryCaps).default({}),
      /** Report (allow, `details.spendAlert`) once spend reaches this share of a cap. */
      alertRatio: z.number().gt(0).lte(1).default(0.8),
      /**
       * Caps that follow the deployment's own history: every configured cap (global and per
       * country) is raised to `dayMultiple` × (hourly caps: `hourMultiple` ×) the mean daily spend
       * of the `days` days before the last 24 hours. Never lowered; an uncapped (null) cap stays
       * uncapped. The last 24 hours are left out so that today's spend cannot raise today's cap.
       */
      learn: z
        .object({
          enabled: z.boolean().default(true),
          days: z.number().int().min(1).max(30).default(7),
          dayMultiple: z.number().positive().default(3),
          hourMultiple: z.number().positive().default(0.75),
        })
        .strict()
        .prefault({}),
    })
    .strict()
    .prefault({}),
  velocity: z
    .object({
      mode: mode.default('enforce'),
      number: limits([L(600, 3, 'block'), L(86_400, 10, 'block')]),
      /** Auth0-style: after `grace` sends in `windowSeconds`, wait base·2^k (capped) since the last send. */
      backoff: z
        .object({
          enabled: z.boolean().default(true),
          grace: z.number().int().min(0).default(2),
          baseSeconds: z.number().int().positive().default(60),
          maxSeconds: z.number().int().positive().default(1920),
          windowSeconds: z.number().int().positive().default(3600),
        })
        .strict()
        .prefault({}),
      user: limits([L(3600, 10, 'block'), L(86_400, 20, 'block')]),
      // Carrier NAT puts ~200 legitimate users behind one mobile IP a day: IP limits only challenge.
      ip: limits([L(3600, 30, 'challenge'), L(86_400, 300, 'challenge')]),
      ip24: limits([L(3600, 60, 'challenge')]),
      ip64: limits([L(3600, 30, 'challenge')]),
      prefix4: limits([L(3600, 8, 'challenge'), L(3600, 20, 'block')]),
      prefix3: limits([L(3600, 5, 'challenge'), L(3600, 12, 'block')]),
      countryChannel: limits([L(3600, 1000, 'challenge')]),
    })
    .strict()
    .prefault({}),
  /** Other factors the client may offer when a send is refused (`email`, `totp`). */
  fallbackMethods: z.array(z.string().min(1)).default([]),
  /** Mode of any rule by id (extra rules such as `reputation` or `pumping`); wins over a section's mode. */
  ruleModes: z.record(z.string().min(1), mode).default({}),
};

export const defenseSettingsSchema = z.object(settingsShape).strict();
export type DefenseSettings = z.output<typeof defenseSettingsSchema>;

type DeepPartial<T> = T extends unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
export type DefenseSettingsOverride = DeepPartial<DefenseSettings>;

export const defenseConfigSchema = z
  .object({
    ...settingsShape,
    /** false: no decision is taken at all (only validation and the policy's country list apply). */
    enabled: z.boolean().default(true),
    /** Per policy id: settings merged over the global ones (objects merge, arrays replace). */
    policies: z.record(z.string().min(1), z.record(z.string(), z.unknown())).default({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const { policies, enabled: _enabled, ...global } = config;
    for (const [policyId, override] of Object.entries(policies)) {
      const parsed = defenseSettingsSchema.safeParse(deepMerge(global, override));
      if (parsed.success) continue;
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['policies', policyId, ...issue.path] });
      }
    }
  });

export type DefenseConfig = Omit<z.output<typeof defenseConfigSchema>, 'policies'> & {
  policies: Record<string, DefenseSettingsOverride>;
};

/** The settings one send is judged by: the global settings with its policy's override merged in. */
export type EffectiveDefenseConfig = DefenseSettings & { policyId: string | null };

/** Parses (and fills defaults into) a defense config; throws a ZodError naming the path at fault. */
export function parseDefenseConfig(input: unknown = {}): DefenseConfig {
  return defenseConfigSchema.parse(input) as DefenseConfig;
}

/** Effective settings for `policyId`; a policy without an override gets the global settings. */
export function resolveDefenseConfig(config: DefenseConfig, policyId: string | null): EffectiveDefenseConfig {
  const { policies, enabled: _enabled, ...global } = config;
  const override = policyId !== null ? policies[policyId] : undefined;
  const merged = (override ? deepMerge(global, override) : global) as DefenseSettings;
  return Object.freeze({ ...merged, policyId: override ? policyId : null });
}

/** Mode of rule `id`: `ruleModes[id]`, else the section's own mode, else enforce. */
export function ruleMode(config: EffectiveDefenseConfig, id: string, section?: { mode: RuleMode }): RuleMode {
  return config.ruleModes[id] ?? section?.mode ?? 'enforce';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; arrays, scalars and null replace; undefined leaves the base value. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
  return out;
}
