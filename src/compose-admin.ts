// Composition of the admin web app (docs/workbook.md, docs/alerts.md), called by app.ts: the
// workbook over the store's SQLite connection with its rollups kept current, and the admin pages
// and APIs that read it. Kept out of app.ts so the composition root stays readable.
import type { FastifyInstance } from 'fastify';
import type { SqliteStore } from './adapters/store/sqlite.ts';
import type { Config } from './config.ts';
import type { PumpingDetector } from './core/defense/pumping/index.ts';
import type { Clock, Mailer } from './ports.ts';
import type { AdminAuth } from './services/admin-auth.ts';
import type { EventRecorder } from './services/event-recorder.ts';
import type { ReputationService } from './services/reputation-service.ts';
import { WorkbookService } from './services/workbook-service.ts';
import { geoAttribution, geoAttributionUrl } from './adapters/geo/offline-geo.ts';
import { registerAdminWorkbook } from './http/routes/admin-workbook.ts';
import { registerAdminAudit } from './http/routes/admin-audit.ts';
import { registerAdminMitigations } from './http/routes/admin-mitigations.ts';
import { SqliteAlertMetrics } from './adapters/store/sqlite-alerts-metrics.ts';
import { SqliteAlertStore } from './adapters/store/sqlite-alerts.ts';
import { registerAdminAlerts } from './http/routes/admin-alerts.ts';
import { AlertService } from './services/alert-service.ts';

export interface AdminDeps {
  config: Config;
  http: FastifyInstance;
  store: SqliteStore;
  clock: Clock;
  events: EventRecorder;
  reputation: ReputationService;
  adminAuth: AdminAuth;
  pumping: PumpingDetector;
  mailer: Mailer | null;
  csrfKey: Uint8Array;
  secureCookies: boolean;
  log: (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
}

export interface AdminParts {
  workbook: FreshWorkbook;
  /** Alert rules, evaluation and history (docs/alerts.md). */
  alerts: AlertService;
  close(): Promise<void>;
}

/**
 * The workbook whose rollups follow the event stream: an append marks them stale, the next panel
 * read (or the timer, every `workbook.refreshSeconds`) applies what was appended since. Reads are
 * therefore never behind the events they follow, and idle instances keep the rollups warm.
 */
export class FreshWorkbook extends WorkbookService {
  private stale = true;
  private pending: Promise<unknown> | null = null;

  markStale(): void {
    this.stale = true;
  }

  /** Applies pending events to the rollups once, however many callers ask at the same time. */
  async ensureFresh(): Promise<void> {
    if (this.pending) await this.pending;
    if (!this.stale) return;
    this.stale = false;
    this.pending = this.refresh().finally(() => {
      this.pending = null;
    });
    try {
      await this.pending;
    } catch (err) {
      this.stale = true;
      throw err;
    }
  }

  /** Resolves when no refresh is running (for a clean shutdown). */
  async idle(): Promise<void> {
    await this.pending?.catch(() => {});
  }

  override async panel<K extends Parameters<WorkbookService['panel']>[0]>(
    id: K,
    input?: Parameters<WorkbookService['panel']>[1],
    options?: Parameters<WorkbookService['panel']>[2],
  ) {
    await this.ensureFresh();
    return super.panel(id, input, options);
  }
}

export async function composeAdmin(d: AdminDeps): Promise<AdminParts> {
  const workbook = new FreshWorkbook(d.store.connection, d.clock, { expectedRegions: d.config.workbook.expectedRegions });
  d.events.subscribe(() => workbook.markStale());
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, task: () => Promise<unknown>, what: string) => {
    const t = setInterval(() => {
      task().catch((err) => d.log('error', `${what} failed`, { err: String(err) }));
    }, ms);
    t.unref();
    timers.push(t);
  };
  every(d.config.workbook.refreshSeconds * 1000, () => workbook.ensureFresh(), 'workbook rollup refresh');

  // ---- admin pages and APIs: each part registers its own routes below ----
  await registerAdminWorkbook(d.http, {
    workbook, auth: d.adminAuth, pumping: d.pumping, now: () => d.clock.now(), currency: d.config.pricing.currency,
    expectedRegions: d.config.workbook.expectedRegions, refKey: d.csrfKey,
    attribution: d.config.geo.enabled ? { text: geoAttribution, url: geoAttributionUrl } : null,
    apps: [...d.config.apps.map((a) => a.id), ...(d.config.mode === 'production' ? [] : ['demo'])],
  });

  // Blocks & allows (one-click mitigation, undo) and the audit trail.
  await registerAdminMitigations(d.http, { reputation: d.reputation, auth: d.adminAuth, restore: (entry) => d.store.putReputation(entry) });
  await registerAdminAudit(d.http, { auth: d.adminAuth, clock: d.clock });

  // Alerts (docs/alerts.md): rules seeded from the defaults and the configuration, evaluated on a
  // real-time timer, their API and page.
  const alerts = new AlertService({
    store: new SqliteAlertStore(d.store.connection), metrics: new SqliteAlertMetrics(d.store.connection), clock: d.clock,
    config: d.config.alerts, spendCaps: d.config.defense.spend, reputation: d.reputation, audit: d.adminAuth.audit,
    mailer: d.mailer, log: d.log, publicUrl: d.config.server.publicUrl ?? null,
  });
  await alerts.seed();
  if (d.config.alerts.enabled) every(d.config.alerts.evaluateEverySeconds * 1000, () => alerts.tick(), 'alert evaluation');
  await registerAdminAlerts(d.http, { alerts, auth: d.adminAuth, clock: d.clock });

  return {
    workbook,
    alerts,
    async close() {
      for (const t of timers) clearInterval(t);
      await alerts.idle();
      await workbook.idle();
    },
  };
}
