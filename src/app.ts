// The composition root: builds the adapters chosen by configuration, the services, and the HTTP
// app. `npm start`, the CLI and the tests all start Tollgate through createTollgate().
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { ManualClock } from './adapters/clock/manual-clock.ts';
import { SystemClock } from './adapters/clock/system-clock.ts';
import { loadPolicyFiles } from './adapters/policy/policy-files.ts';
import { CryptoRandom } from './adapters/random/crypto-random.ts';
import { SqliteStore } from './adapters/store/sqlite.ts';
import { createTelephony } from './adapters/telephony/index.ts';
import { type Config, databasePathOf, publicUrlOf } from './config.ts';
import { defaultCodeRules } from './core/codes/one-time-code.ts';
import { TollgateError } from './core/errors.ts';
import type { PolicyWarning } from './core/policy/profile.ts';
import { clientInfoFrom } from './http/client-info.ts';
import { installErrorHandling } from './http/errors.ts';
import { openApiDocument } from './http/openapi.ts';
import { registerAssets } from './http/routes/assets.ts';
import { registerDemoPages } from './http/routes/demo-pages.ts';
import { registerDevHooks } from './http/routes/dev-hooks.ts';
import { registerHostedPage } from './http/routes/hosted-page.ts';
import { registerPhoneFactorApi } from './http/routes/phone-factor-api.ts';
import { registerTelephonyCallbacks } from './http/routes/telephony-callbacks.ts';
import { registerVerificationsApi } from './http/routes/verifications-api.ts';
import type { Clock, Store, Telephony } from './ports.ts';
import { AppRegistry, type RegisteredApp, registerApps, sha256 } from './services/apps.ts';
import { EventRecorder } from './services/event-recorder.ts';
import { PhoneFactorService } from './services/phone-factor-service.ts';
import { ProfileResolver } from './services/profile-resolver.ts';
import { ResultTokens } from './services/result-tokens.ts';
import { deriveKeys, resolveSecret } from './services/secrets.ts';
import { Verifications } from './services/verifications.ts';
import { createCaptcha } from './adapters/captcha/index.ts';
import { SimulatedCaptcha } from './adapters/captcha/simulated.ts';
import { MemoryCounters } from './adapters/counters/memory.ts';
import { NullGeo, OfflineGeo } from './adapters/geo/offline-geo.ts';
import { DefenseEngine, type DefenseRule } from './core/defense/engine.ts';
import { ReputationService } from './services/reputation-service.ts';
import { reputationRule, SendDefense } from './services/send-defense.ts';
import { SendGate } from './services/send-gate.ts';
import { PumpingDetector, pumpingRule } from './core/defense/pumping/index.ts';
import { seedFromEvents } from './services/event-replay.ts';
import type { Captcha, Geo } from './ports.ts';
import { SqliteAdminStore } from './adapters/store/sqlite-admin.ts';
import { registerAdminAuth } from './http/routes/admin-auth.ts';
import { registerAdminReputation } from './http/routes/admin-reputation.ts';
import { AdminAuth } from './services/admin-auth.ts';
// Stronger factors (email codes, authenticator apps): docs/factors.md.
import { checkMailConfigured, composeFactors, enabledFactors, type FactorParts } from './compose-factors.ts';
import { registerFactorsApi } from './http/routes/factors-api.ts';
import type { SessionFlows } from './services/session-flows.ts';
// The admin web app: workbook, mitigation, alerts (docs/workbook.md).
import { type AdminParts, composeAdmin } from './compose-admin.ts';

export interface Tollgate {
  config: Config;
  http: FastifyInstance;
  store: Store;
  clock: Clock;
  manualClock: ManualClock | null;
  service: PhoneFactorService;
  tokens: ResultTokens;
  events: EventRecorder;
  profiles: ProfileResolver;
  apps: AppRegistry;
  policyWarnings: PolicyWarning[];
  reputation: ReputationService;
  adminAuth: AdminAuth;
  pumping: PumpingDetector;
  /** Every session step of every method (phone, email code, authenticator app). */
  flows: SessionFlows;
  /** The admin web app's parts (the workbook with fresh rollups, alerts). */
  admin: AdminParts;
  /** The demo app (development and test only). */
  demoApp: RegisteredApp | null;
  publicUrl(): string;
  /** Listens on config.server.host/port and returns the public URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface TollgateOverrides {
  telephony?: Telephony;
  logger?: boolean | object;
}

export async function createTollgate(config: Config, overrides: TollgateOverrides = {}): Promise<Tollgate> {
  const store = new SqliteStore(databasePathOf(config));
  try {
    await store.migrate();
    return await assemble(config, store, overrides);
  } catch (err) {
    await store.close();
    throw err;
  }
}

async function assemble(config: Config, store: SqliteStore, overrides: TollgateOverrides): Promise<Tollgate> {
  const production = config.mode === 'production';
  const manualClock = config.clock === 'manual' ? new ManualClock() : null;
  const clock: Clock = manualClock ?? new SystemClock();
  const random = new CryptoRandom();
  const keys = deriveKeys(await resolveSecret(config.secret, store), config.factors.totpKey);
  const policySet = await loadPolicyFiles(config.policies.map((p) => resolve(config.baseDir, p)));
  checkMailConfigured(config, policySet); // stronger factors: no email profile without a mailer in production
  const profiles = new ProfileResolver(policySet);

  let publicUrl = publicUrlOf(config);
  const appConfigs = [...config.apps];
  const demoKey = production ? null : (config.devApiKey ?? randomBytes(24).toString('base64url'));
  if (demoKey) appConfigs.push({ id: 'demo', name: 'Tollgate demo', apiKeys: [`sha256:${sha256(demoKey).toString('hex')}`], returnUrls: [] });
  const registered = registerApps(appConfigs);
  const demoApp = registered.find((a) => a.id === 'demo' && demoKey) ?? null;
  const setPublicUrl = (url: string) => {
    publicUrl = url;
    if (demoApp) demoApp.returnUrls.splice(0, demoApp.returnUrls.length, `${url}/demo/callback`);
  };
  setPublicUrl(publicUrl);
  const apps = new AppRegistry(registered);

  const telephony = overrides.telephony ?? createTelephony(config.telephony, { store, clock, newId: randomUUID });
  const http = Fastify({
    logger: overrides.logger ?? {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
      serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: maskCapabilities(req.url) }) },
    },
    trustProxy: config.server.trustedProxies.length ? config.server.trustedProxies : false,
    bodyLimit: config.server.bodyLimit,
    genReqId: () => randomUUID(),
    // Router-level failures (over-long path parameters, bad URL encoding) get the same error shape
    // and never echo the input back.
    frameworkErrors: (error, _request, reply) => {
      const e = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? new TollgateError('not_found') : new TollgateError('invalid_request', 'The request URL is malformed.');
      (reply as unknown as { code(n: number): { send(b: unknown): void } }).code(e.status).send(e.toJSON());
    },
  });
  const geo: Geo = config.geo.enabled ? new OfflineGeo() : new NullGeo();
  const events = new EventRecorder(
    store, clock, keys.userIdHash, config.pricing.currency,
    (err, event) => http.log.error({ err, eventType: event.type, eventId: event.id }, 'event could not be stored'),
    (ip) => geo.lookup(ip)?.country ?? null,
  );
  const tokens = new ResultTokens(store, clock, {
    issuer: () => publicUrl,
    ttlSeconds: config.results.ttlSeconds,
    rotationDays: config.results.keyRotationDays,
    retentionDays: config.results.keyRetentionDays,
  });
  await tokens.ensureCurrentKey();
  const codeRules = {
    ...defaultCodeRules,
    length: config.codes.length,
    ttlMs: config.codes.ttlSeconds * 1000,
    maxWrongAttempts: config.codes.maxWrongAttempts,
    maxSends: config.codes.maxSends,
    resendCooldownMs: config.codes.resendCooldownSeconds * 1000,
  };
  const counters = new MemoryCounters();
  const reputation = new ReputationService(store, clock);
  // The pumping detector learns from every recorded event: rebuilt from the last two weeks at start-up.
  const pumping = new PumpingDetector(config.pumping);
  await seedFromEvents(store, clock.now() - 14 * 86_400_000, (batch) => pumping.seed(batch));
  events.subscribe((event) => pumping.observe(event));
  const extraRules: DefenseRule[] = [reputationRule(reputation), pumpingRule(pumping)];
  const engine = new DefenseEngine(config.defense, counters, extraRules);
  const defense = config.defense.enabled
    ? new SendDefense({ engine, geo, store, reputation, prices: config.pricing, hashUserId: (u) => events.hashUserId(u) })
    : null;
  const captcha: Captcha = config.captcha.provider === 'simulated' ? new SimulatedCaptcha() : createCaptcha(config.captcha, { clock, hmacKey: keys.captcha });
  const gate = new SendGate({ defense, captcha });
  const adminAuth = new AdminAuth({ store: new SqliteAdminStore(store.connection), clock, csrfKey: keys.csrf });
  const service = new PhoneFactorService({
    gate,
    store, telephony, clock, random, events, tokens, profiles, apps, codeRules,
    codeHashKey: keys.codeHash,
    sessionTtlMs: config.session.ttlSeconds * 1000,
    prices: config.pricing,
    publicUrl: () => publicUrl,
    factors: enabledFactors(config),
  });

  // ---- stronger factors: email codes and authenticator apps (docs/factors.md) ----
  const factors: FactorParts = composeFactors({ config, store, clock, random, events, profiles, apps, gate, phone: service, counters, keys, codeRules });

  const verificationProfile = config.verificationProfile ?? [...policySet.profiles.keys()][0]!;
  profiles.resolve(verificationProfile); // fail at start-up, not at the first request
  const verifications = new Verifications(service, store, clock, verificationProfile);

  await http.register(formbody, { bodyLimit: config.server.bodyLimit });
  await http.register(cookie);
  http.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    (request as { rawBody?: string }).rawBody = body as string;
    if ((body as string).trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new TollgateError('invalid_request', 'The body is not valid JSON.'), undefined);
    }
  });
  installErrorHandling(http);
  http.addHook('onSend', async (_request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
  });

  await registerAssets(http);
  await registerAdminAuth(http, { auth: adminAuth, csrfKey: keys.csrf, secureCookies: publicUrl.startsWith('https:') });
  await registerAdminReputation(http, { reputation, audit: adminAuth.audit, adminAuth: async (request, role) => (await adminAuth.requireRole(request, role)).actor });
  const admin = await composeAdmin({
    config, http, store, clock, events, reputation, adminAuth, pumping,
    mailer: factors.mailer,
    csrfKey: keys.csrf,
    secureCookies: publicUrl.startsWith('https:'),
    log: (level, message, details) => http.log[level](details ?? {}, message),
  });
  await registerPhoneFactorApi(http, { service, flows: factors.flows, apps, profiles, clock });
  await registerFactorsApi(http, { apps, enrollments: factors.totpEnrollments });
  await registerVerificationsApi(http, { verifications, apps });
  await registerTelephonyCallbacks(http, { config: config.telephony, publicUrl: () => publicUrl, events, clock });
  await registerHostedPage(http, {
    service: factors.flows,
    csrfKey: keys.csrf,
    secureCookies: publicUrl.startsWith('https:'),
    clientInfo: (request) => clientInfoFrom(request),
    now: () => clock.now(),
  });
  http.get('/.well-known/jwks.json', async (_req, reply) => {
    reply.header('Cache-Control', 'public, max-age=300');
    return tokens.jwks();
  });
  http.get('/openapi.json', async () => openApiDocument(publicUrl));
  http.get('/healthz', async () => {
    await store.getSetting('health');
    return { status: 'ok', mode: config.mode, time: new Date(clock.now()).toISOString() };
  });
  if (!production) {
    await registerDevHooks(http, { store, clock, manualClock });
    if (demoApp) {
      await registerDemoPages(http, {
        profiles: profiles.list(),
        startSession: async (input) => {
          const { url } = await service.start(demoApp, { ...input, returnUrl: `${publicUrl}/demo/callback`, client: { ip: null, userAgent: null } });
          return { url };
        },
        verifyResult: async (token) => (await tokens.verify(token, demoApp.audience)) as Record<string, unknown>,
        csrfKey: keys.csrf,
        secureCookies: publicUrl.startsWith('https:'),
      });
    }
  }

  return {
    config, http, store, clock, manualClock, service, tokens, events, profiles, apps, demoApp, reputation, adminAuth, pumping, admin,
    flows: factors.flows,
    policyWarnings: policySet.warnings,
    publicUrl: () => publicUrl,
    async listen() {
      await http.listen({ host: config.server.host, port: config.server.port });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.server.port;
      if (!config.server.publicUrl) setPublicUrl(publicUrlOf(config, port));
      return publicUrl;
    },
    async close() {
      await http.close();
      await admin.close();
      await factors.close();
      await store.close();
    },
  };
}

/** Session ids are capabilities: logs keep only their first characters. */
export function maskCapabilities(url: string): string {
  return url.replace(/([A-Za-z0-9_-]{8})[A-Za-z0-9_-]{12,}/g, '$1…');
}
