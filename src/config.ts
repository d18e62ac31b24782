// All configuration, declared once (zod), from one file plus environment variables, validated at
// start-up. Every key is documented in docs/configuration.md (a test keeps the two in step).
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { telephonyConfigSchema } from './adapters/telephony/index.ts';
import { defaultPriceTable, priceTableSchema } from './core/pricing/price-table.ts';
import { captchaConfigSchema } from './adapters/captcha/index.ts';
import { defenseConfigSchema } from './core/defense/defense-config.ts';
import { mailConfigSchema } from './adapters/mail/index.ts';
import { factorsConfigSchema } from './services/factors-config.ts';
import { alertsConfigSchema } from './core/alerts/config.ts';

const appSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (1–64)'),
  name: z.string().min(1).max(100),
  /** Each entry: `sha256:<hex>` of the key (preferred) or the key itself (at least 24 characters). */
  apiKeys: z.array(z.string().min(24)).min(1),
  /** Exact URLs (scheme, host, port and path; query ignored) a session may return to. */
  returnUrls: z.array(z.url({ protocol: /^https?$/ })).default([]),
  /** `aud` of result tokens; defaults to the app id. */
  audience: z.string().min(1).optional(),
});
export type AppConfig = z.infer<typeof appSchema>;

export const configSchema = z
  .object({
    mode: z.enum(['development', 'test', 'production']).default('development'),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.coerce.number().int().min(0).max(65535).default(8080),
        /** The URL users and apps reach Tollgate at (session URLs, issuer, callbacks). */
        publicUrl: z.url({ protocol: /^https?$/ }).optional(),
        /** Proxies (IPs or CIDRs) whose X-Forwarded-For is believed. */
        trustedProxies: z.array(z.string().min(1)).default([]),
        /** Largest accepted request body, bytes. */
        bodyLimit: z.number().int().min(1024).max(10_485_760).default(65_536),
      })
      .prefault({}),
    dataDir: z.string().min(1).default('./data'),
    database: z
      .object({
        driver: z.literal('sqlite').default('sqlite'),
        /** SQLite file; default `<dataDir>/tollgate.db`. */
        path: z.string().min(1).optional(),
      })
      .prefault({}),
    /** Master secret (≥ 32 characters); code hashes, user-id hashes and CSRF tokens use keys derived from it. Required in production. */
    secret: z.string().min(32).optional(),
    /** Policy files or folders (native YAML/JSON or B2C XML). */
    policies: z.array(z.string().min(1)).min(1).default(['policies/demo.yaml']),
    apps: z.array(appSchema).default([]),
    codes: z
      .object({
        length: z.number().int().min(4).max(10).default(6),
        ttlSeconds: z.number().int().min(60).max(86_400).default(600),
        maxWrongAttempts: z.number().int().min(1).max(10).default(3),
        maxSends: z.number().int().min(1).max(20).default(5),
        resendCooldownSeconds: z.number().int().min(0).max(3600).default(30),
      })
      .prefault({}),
    /** Profile used by the Twilio-Verify-style pair (/v1/verifications); default: the first profile loaded. */
    verificationProfile: z.string().min(1).optional(),
    session: z.object({ ttlSeconds: z.number().int().min(60).max(86_400).default(1800) }).prefault({}),
    telephony: telephonyConfigSchema.default({ adapter: 'outbox' } as z.input<typeof telephonyConfigSchema>),
    /** How email codes leave (docs/factors.md); unset = the development outbox (refused in production). */
    mail: mailConfigSchema.optional(),
    /** Email codes and authenticator apps (docs/factors.md). */
    factors: factorsConfigSchema.prefault({}),
    pricing: priceTableSchema.default(defaultPriceTable),
    results: z
      .object({
        /** Lifetime of the signed result token. */
        ttlSeconds: z.number().int().min(30).max(3600).default(300),
        /** A new signing key is made when the newest is older than this. */
        keyRotationDays: z.number().int().min(1).max(365).default(30),
        /** A rotated key stays in the JWKS this long, so tokens it signed still verify. */
        keyRetentionDays: z.number().int().min(1).max(365).default(7),
      })
      .prefault({}),
    /** The decision before every send (docs/defense.md). */
    defense: defenseConfigSchema.prefault({}),
    /** Pumping-detector tuning over its defaults (docs/pumping.md); the rule's mode is `defense.ruleModes.pumping`. */
    pumping: z.record(z.string(), z.unknown()).default({}),
    /** CAPTCHA verifier (docs/captcha.md); `simulated` is for the simulator and tests only. */
    captcha: z.union([captchaConfigSchema, z.object({ provider: z.literal('simulated') })]).default({ provider: 'altcha' }),
    /** Offline IP intelligence (country, ASN, hosting networks) from bundled DB-IP / RouteViews data. */
    geo: z.object({ enabled: z.boolean().default(true) }).prefault({}),
    /** The admin dashboard (docs/workbook.md). */
    workbook: z
      .object({
        /** Regions (ISO 3166 alpha-2) sign-ups are expected from; the Fraud tab flags failures from elsewhere. */
        expectedRegions: z.array(z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code, upper case')).default([]),
        /** Seconds between background rollup refreshes (reads refresh on demand anyway). */
        refreshSeconds: z.number().int().min(5).max(3600).default(60),
      })
      .prefault({}),
    /** Alert rules over the event log (docs/alerts.md). */
    alerts: alertsConfigSchema.prefault({}),
    /** `manual`: time stands still until POST /dev/clock (development and test only). */
    clock: z.enum(['system', 'manual']).default('system'),
    /** Registers the demo app with this API key (development and test only). */
    devApiKey: z.string().min(16).optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((c, ctx) => {
    if (c.mode !== 'production') return;
    if (!c.secret) ctx.addIssue({ code: 'custom', path: ['secret'], message: 'required in production (set TOLLGATE_SECRET)' });
    if (c.devApiKey) ctx.addIssue({ code: 'custom', path: ['devApiKey'], message: 'TOLLGATE_DEV_API_KEY is refused in production mode' });
    if (c.clock === 'manual') ctx.addIssue({ code: 'custom', path: ['clock'], message: 'the manual clock is refused in production mode' });
    if (c.telephony.adapter === 'outbox') {
      ctx.addIssue({ code: 'custom', path: ['telephony', 'adapter'], message: 'the development outbox never reaches a phone; configure twilio or webhook in production' });
    }
    if (c.mail?.adapter === 'outbox') {
      ctx.addIssue({ code: 'custom', path: ['mail', 'adapter'], message: 'the development outbox never reaches a mailbox; configure smtp in production' });
    }
    if (c.captcha.provider === 'simulated') ctx.addIssue({ code: 'custom', path: ['captcha', 'provider'], message: 'the simulated CAPTCHA is refused in production mode' });
    if (!c.server.publicUrl) ctx.addIssue({ code: 'custom', path: ['server', 'publicUrl'], message: 'required in production (set TOLLGATE_PUBLIC_URL)' });
  });

export type Config = z.infer<typeof configSchema> & { configFile: string | null; baseDir: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Environment variables and the config key each one sets. */
export const environmentVariables: Record<string, string> = {
  TOLLGATE_CONFIG: '(path of the configuration file)',
  TOLLGATE_MODE: 'mode',
  HOST: 'server.host',
  PORT: 'server.port',
  TOLLGATE_PUBLIC_URL: 'server.publicUrl',
  TOLLGATE_TRUSTED_PROXIES: 'server.trustedProxies (comma-separated)',
  TOLLGATE_DATA_DIR: 'dataDir',
  TOLLGATE_DB: 'database.path',
  TOLLGATE_SECRET: 'secret',
  TOLLGATE_POLICIES: 'policies (comma-separated)',
  TOLLGATE_CLOCK: 'clock',
  TOLLGATE_DEV_API_KEY: 'devApiKey',
  TOLLGATE_LOG_LEVEL: 'logLevel',
  TOLLGATE_DEFENSE: 'defense.enabled (`off` disables every send decision)',
  TOLLGATE_CAPTCHA: 'captcha.provider (`altcha`, or `simulated` in development and test)',
  TOLLGATE_GEO: 'geo.enabled (`off` skips loading the IP data)',
  TWILIO_AUTH_TOKEN: 'telephony.authToken (when telephony.adapter is twilio)',
  TOLLGATE_WEBHOOK_SECRET: 'telephony.secret (when telephony.adapter is webhook)',
  TOLLGATE_SMTP_PASSWORD: 'mail.password (when mail.adapter is smtp)',
  TOLLGATE_TOTP_KEY: 'factors.totpKey',
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const configFile = env.TOLLGATE_CONFIG ? resolve(cwd, env.TOLLGATE_CONFIG) : null;
  let raw: Record<string, unknown> = {};
  if (configFile) {
    if (!existsSync(configFile)) throw new ConfigError([`TOLLGATE_CONFIG: file not found: ${configFile}`]);
    try {
      const parsed = parseYaml(readFileSync(configFile, 'utf8'));
      if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) throw new Error('the top level must be a mapping');
      raw = (parsed ?? {}) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError([`${configFile}: ${(err as Error).message}`]);
    }
  }
  applyEnvironment(raw, env);
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const where = configFile ? `${configFile}: ` : '';
    throw new ConfigError(result.error.issues.map((i) => `${where}${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const baseDir = configFile ? dirname(configFile) : cwd;
  return { ...result.data, configFile, baseDir };
}

function applyEnvironment(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  const set = (path: string[], value: unknown) => {
    let node = raw;
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = value;
  };
  const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
  if (env.TOLLGATE_MODE) set(['mode'], env.TOLLGATE_MODE);
  if (env.HOST) set(['server', 'host'], env.HOST);
  if (env.PORT) set(['server', 'port'], env.PORT);
  if (env.TOLLGATE_PUBLIC_URL) set(['server', 'publicUrl'], env.TOLLGATE_PUBLIC_URL);
  if (env.TOLLGATE_TRUSTED_PROXIES) set(['server', 'trustedProxies'], list(env.TOLLGATE_TRUSTED_PROXIES));
  if (env.TOLLGATE_DATA_DIR) set(['dataDir'], env.TOLLGATE_DATA_DIR);
  if (env.TOLLGATE_DB) set(['database', 'path'], env.TOLLGATE_DB);
  if (env.TOLLGATE_SECRET) set(['secret'], env.TOLLGATE_SECRET);
  if (env.TOLLGATE_POLICIES) set(['policies'], list(env.TOLLGATE_POLICIES));
  if (env.TOLLGATE_CLOCK) set(['clock'], env.TOLLGATE_CLOCK);
  if (env.TOLLGATE_DEV_API_KEY) set(['devApiKey'], env.TOLLGATE_DEV_API_KEY);
  if (env.TOLLGATE_LOG_LEVEL) set(['logLevel'], env.TOLLGATE_LOG_LEVEL);
  if (env.TOLLGATE_DEFENSE) set(['defense', 'enabled'], !['off', 'false', '0'].includes(env.TOLLGATE_DEFENSE));
  if (env.TOLLGATE_CAPTCHA) set(['captcha'], { provider: env.TOLLGATE_CAPTCHA });
  if (env.TOLLGATE_GEO) set(['geo', 'enabled'], !['off', 'false', '0'].includes(env.TOLLGATE_GEO));
  // Provider secrets belong in the environment, not in the file.
  const telephony = raw.telephony as Record<string, unknown> | undefined;
  if (telephony?.adapter === 'twilio' && env.TWILIO_AUTH_TOKEN) set(['telephony', 'authToken'], env.TWILIO_AUTH_TOKEN);
  if (telephony?.adapter === 'webhook' && env.TOLLGATE_WEBHOOK_SECRET) set(['telephony', 'secret'], env.TOLLGATE_WEBHOOK_SECRET);
  const mail = raw.mail as Record<string, unknown> | undefined;
  if (mail?.adapter === 'smtp' && env.TOLLGATE_SMTP_PASSWORD) set(['mail', 'password'], env.TOLLGATE_SMTP_PASSWORD);
  if (env.TOLLGATE_TOTP_KEY) set(['factors', 'totpKey'], env.TOLLGATE_TOTP_KEY);
}

/** Resolved helpers that several modules need. */
export function publicUrlOf(config: Config, boundPort?: number): string {
  if (config.server.publicUrl) return config.server.publicUrl.replace(/\/+$/, '');
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? 'localhost' : config.server.host;
  const h = host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${boundPort ?? config.server.port}`;
}

export function databasePathOf(config: Config): string {
  return resolve(config.baseDir, config.database.path ?? `${config.dataDir}/tollgate.db`);
}
