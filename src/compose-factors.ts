// Composition of the stronger factors (docs/factors.md), called by app.ts: the mailer chosen by
// `mail.*`, the email-code and authenticator-app services on the shared SQLite connection, and
// the session flows the hosted page and the headless API drive. Kept out of app.ts so the
// composition root stays readable.
import { randomUUID } from 'node:crypto';
import { createMailer } from './adapters/mail/index.ts';
import { SqliteFactorStore } from './adapters/store/sqlite-factors.ts';
import type { SqliteStore } from './adapters/store/sqlite.ts';
import type { Config } from './config.ts';
import type { CodeRules } from './core/codes/one-time-code.ts';
import type { LoadedPolicySet } from './core/policy/profile.ts';
import type { Clock, Counters, Mailer, Random } from './ports.ts';
import type { AppRegistry } from './services/apps.ts';
import { EmailCodeService } from './services/email-code-service.ts';
import { EmailDefense } from './services/email-defense.ts';
import type { EventRecorder } from './services/event-recorder.ts';
import type { PhoneFactorService } from './services/phone-factor-service.ts';
import type { ProfileResolver } from './services/profile-resolver.ts';
import type { Keys } from './services/secrets.ts';
import type { SendGate } from './services/send-gate.ts';
import type { EnabledFactors } from './services/session-methods.ts';
import { SessionFlows } from './services/session-flows.ts';
import { TotpEnrollments } from './services/totp-enrollments.ts';
import { TotpService } from './services/totp-service.ts';
import { TotpSessionService } from './services/totp-session.ts';

export interface FactorParts {
  mailer: Mailer | null;
  flows: SessionFlows;
  totpEnrollments: TotpEnrollments | null;
  close(): Promise<void>;
}

/** The kill switches; email also needs a mailer (production has none until `mail` is configured). */
export function enabledFactors(config: Config): EnabledFactors {
  return { email: config.factors.email.enabled && (config.mail !== undefined || config.mode !== 'production'), totp: config.factors.totp.enabled };
}

/**
 * Production without `mail` configured has no way to send an email code: refuse to start if a
 * loaded profile offers email (methods or fallback) rather than fail the first user who picks it.
 */
export function checkMailConfigured(config: Config, policies: LoadedPolicySet): void {
  if (config.mode !== 'production' || config.mail || !config.factors.email.enabled) return;
  const offering = [...policies.profiles.values()].filter((p) => p.methods.includes('email') || p.fallbackMethods.includes('email'));
  if (offering.length > 0) {
    throw new Error(`mail: ${offering.map((p) => `${p.policyId}/${p.id}`).join(', ')} offer(s) email codes; configure mail.adapter: smtp (or set factors.email.enabled: false)`);
  }
}

export function composeFactors(d: {
  config: Config;
  store: SqliteStore;
  clock: Clock;
  random: Random;
  events: EventRecorder;
  profiles: ProfileResolver;
  apps: AppRegistry;
  gate: SendGate;
  phone: PhoneFactorService;
  counters: Counters;
  keys: Keys;
  codeRules: CodeRules;
}): FactorParts {
  const { config } = d;
  const f = config.factors;
  const mailer = config.mail
    ? createMailer(config.mail, { store: d.store, clock: d.clock, newId: randomUUID })
    : config.mode === 'production' ? null : createMailer({ adapter: 'outbox' }, { store: d.store, clock: d.clock, newId: randomUUID });
  const email = f.email.enabled && mailer
    ? new EmailCodeService({
        sessions: d.phone, gate: d.gate, mailer, clock: d.clock, random: d.random, events: d.events, profiles: d.profiles, apps: d.apps,
        codeRules: d.codeRules, codeHashKey: d.keys.codeHash,
        defense: new EmailDefense({ disposable: f.email.disposable, velocity: f.email.velocity, counters: config.defense.enabled ? d.counters : null }),
      })
    : null;
  const totpService = f.totp.enabled
    ? new TotpService({
        store: new SqliteFactorStore(d.store.connection),
        clock: d.clock,
        random: d.random,
        secretKey: d.keys.totp,
        recoveryKey: d.keys.recovery,
        issuer: f.totp.issuer ?? 'Tollgate',
        parameters: { algorithm: f.totp.algorithm, digits: f.totp.digits },
        window: f.totp.window,
        maxWrongAttempts: f.totp.maxWrongAttempts,
        attemptWindowMs: f.totp.attemptWindowSeconds * 1000,
        pendingTtlMs: f.totp.pendingTtlSeconds * 1000,
        recoveryCodeCount: f.totp.recoveryCodes,
      })
    : null;
  const totp = totpService
    ? new TotpSessionService({ sessions: d.phone, totp: totpService, events: d.events, profiles: d.profiles, apps: d.apps, maxSessionFailures: f.totp.maxWrongAttempts, issuer: f.totp.issuer })
    : null;
  return {
    mailer,
    flows: new SessionFlows({ phone: d.phone, email, totp }),
    totpEnrollments: totpService ? new TotpEnrollments({ totp: totpService, events: d.events, issuer: f.totp.issuer }) : null,
    async close() {
      await mailer?.close?.();
    },
  };
}
