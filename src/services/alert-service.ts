// AlertService (docs/alerts.md): the rules — Tollgate's defaults, the configuration's and the app's,
// seeded into the store at start-up and edited through the admin API and page, every change
// audited — and evaluate(), which measures each enabled rule over the event log, moves each
// (rule, group) through its state machine and, on a notification, records it in the history and
// runs the rule's actions (block first, so the messages can say so; then webhooks and emails).
import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../core/admin/audit.ts';
import type { AlertsConfig } from '../core/alerts/config.ts';
import { defaultAlertRules } from '../core/alerts/defaults.ts';
import { type AlertGroupState, evaluateRule, type Notification, type SpendCaps, thresholdsOf } from '../core/alerts/evaluation.ts';
import {
  type AlertRule, alertRuleSchema, describeRule, newAlertRuleSchema, parseAlertRule as parseRule, ruleIdFromName,
} from '../core/alerts/rule.ts';
import {
  type AlertActionOutcome, type AlertHistoryEntry, type AlertHistoryQuery, type AlertMetrics, type AlertRuleSource, type AlertStore,
  effectiveRule, type StoredAlertRule,
} from '../core/alerts/store.ts';
import { TollgateError } from '../core/errors.ts';
import type { Clock, Mailer } from '../ports.ts';
import { blockGroup, type FetchLike, postWebhook, sendAlertEmail, webhookTarget } from './alert-actions.ts';
import { alertEmail, type AlertNotice, jsonPayload, slackPayload } from './alert-messages.ts';
import type { ReputationService } from './reputation-service.ts';

export interface AlertServiceDeps {
  store: AlertStore;
  metrics: AlertMetrics;
  clock: Clock;
  config: AlertsConfig;
  /** `defense.spend`: the caps `relativeTo: spendCap` rules compare with. */
  spendCaps: SpendCaps;
  reputation: ReputationService;
  audit: AuditLog;
  mailer: Mailer | null;
  log: (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
  /** Base URL for links to /admin/alerts in messages; null leaves the link out. */
  publicUrl: string | null;
  fetch?: FetchLike;
  newId?: () => string;
  /** Pause before a webhook's retry (real time). */
  webhookRetryDelayMs?: number;
}

/** A rule as the API and the page show it. */
export interface AlertRuleView {
  id: string;
  source: AlertRuleSource;
  /** A default or configured rule edited in the app (the app's version is in force). */
  overridden: boolean;
  /** The rule in force. */
  rule: AlertRule;
  /** The declared version (defaults or configuration) when overridden. */
  declared: AlertRule | null;
  summary: string;
  lastFiredAt: number | null;
  /** Groups firing now. */
  firing: number;
  updatedAt: number;
  updatedBy: string;
}

/** A notification of one evaluation, with what its actions did. */
export interface AlertFiring {
  historyId: string;
  kind: Notification;
  ruleId: string;
  ruleName: string;
  groupBy: AlertRule['groupBy'];
  group: string;
  value: number | null;
  threshold: number;
  volume: number;
  actions: AlertActionOutcome[];
}

export type DeleteResult = { result: 'deleted' } | { result: 'reset'; rule: AlertRuleView };

const sameRule = (a: AlertRule, b: AlertRule) => JSON.stringify(a) === JSON.stringify(b);

/** What the audit trail keeps of a rule: never its webhook URLs (they can hold tokens). */
function auditFacts(rule: AlertRule): Record<string, unknown> {
  return { name: rule.name, enabled: rule.enabled, summary: describeRule(rule), actions: rule.actions.map((a) => a.type) };
}

export class AlertService {
  private readonly newId: () => string;
  private running: Promise<unknown> | null = null;

  constructor(private readonly d: AlertServiceDeps) {
    this.newId = d.newId ?? randomUUID;
  }

  // ---- rules -------------------------------------------------------------------------------------

  /** The rules the defaults and the configuration declare (a configured rule replaces a default of the same id). */
  declaredRules(): { source: AlertRuleSource; rule: AlertRule }[] {
    const byId = new Map<string, { source: AlertRuleSource; rule: AlertRule }>();
    if (this.d.config.defaults) for (const rule of defaultAlertRules(this.d.config.defaultActions)) byId.set(rule.id, { source: 'default', rule });
    for (const rule of this.d.config.rules) byId.set(rule.id, { source: 'config', rule });
    return [...byId.values()];
  }

  /**
   * Brings the store in line with the declared rules (at start-up): new ones are added, changed
   * ones updated (an app override stays in force), and declared rules no longer declared removed.
   * A declared rule takes over the id of a rule created in the app, keeping that version as its override.
   */
  async seed(): Promise<void> {
    const now = this.d.clock.now();
    const stored = new Map((await this.d.store.listRules()).map((s) => [s.id, s]));
    const declared = this.declaredRules();
    for (const { source, rule } of declared) {
      const existing = stored.get(rule.id);
      if (!existing) {
        await this.d.store.putRule({ id: rule.id, source, definition: rule, override: null, createdAt: now, updatedAt: now, updatedBy: source });
      } else if (existing.source === 'app') {
        await this.d.store.putRule({ ...existing, source, definition: rule, override: sameRule(existing.definition, rule) ? null : existing.definition, updatedAt: now, updatedBy: source });
      } else if (existing.source !== source || !sameRule(existing.definition, rule)) {
        await this.d.store.putRule({ ...existing, source, definition: rule, updatedAt: now, updatedBy: source });
      }
    }
    const ids = new Set(declared.map((x) => x.rule.id));
    for (const s of stored.values()) {
      if (s.source !== 'app' && !ids.has(s.id)) {
        await this.d.store.deleteRule(s.id);
        this.d.log('info', 'alert rule no longer declared: removed', { rule: s.id, source: s.source });
      }
    }
  }

  async listRules(): Promise<AlertRuleView[]> {
    const [rules, fired, firing] = await Promise.all([this.d.store.listRules(), this.d.store.lastFired(), this.d.store.firing()]);
    const count = new Map<string, number>();
    for (const f of firing) count.set(f.ruleId, (count.get(f.ruleId) ?? 0) + 1);
    return rules.map((s) => this.view(s, fired.get(s.id) ?? null, count.get(s.id) ?? 0));
  }

  async getRule(id: string): Promise<AlertRuleView> {
    return (await this.listRules()).find((r) => r.id === id) ?? this.notFound();
  }

  private view(s: StoredAlertRule, lastFiredAt: number | null, firing: number): AlertRuleView {
    const rule = effectiveRule(s);
    return {
      id: s.id, source: s.source, overridden: s.override !== null, rule, declared: s.override ? s.definition : null,
      summary: describeRule(rule), lastFiredAt, firing, updatedAt: s.updatedAt, updatedBy: s.updatedBy,
    };
  }

  private notFound(): never {
    throw new TollgateError('not_found', 'No alert rule has this id.', { field: 'id' });
  }

  async createRule(input: unknown, actor: string): Promise<AlertRuleView> {
    const parsed = parseRule(newAlertRuleSchema, input);
    const existing = new Set((await this.d.store.listRules()).map((r) => r.id));
    const id = parsed.id ?? ruleIdFromName(parsed.name, (x) => existing.has(x));
    if (existing.has(id)) throw new TollgateError('invalid_request', `id: a rule with the id ${id} exists already`, { field: 'id' });
    const rule = alertRuleSchema.parse({ ...parsed, id });
    const now = this.d.clock.now();
    await this.d.store.putRule({ id, source: 'app', definition: rule, override: null, createdAt: now, updatedAt: now, updatedBy: actor });
    await this.d.audit.record({ actor, action: 'alert_rule_create', target: id, details: auditFacts(rule) });
    return this.getRule(id);
  }

  /** Replaces a rule. A declared rule gets the new version as its override (back to the declared version: no override). */
  async updateRule(id: string, input: unknown, actor: string, action = 'alert_rule_update'): Promise<AlertRuleView> {
    const stored = (await this.d.store.getRule(id)) ?? this.notFound();
    const body = input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
    if (body.id !== undefined && body.id !== id) throw new TollgateError('invalid_request', 'id: the id of a rule cannot change', { field: 'id' });
    const rule = parseRule(alertRuleSchema, { ...body, id });
    const now = this.d.clock.now();
    const next: StoredAlertRule = stored.source === 'app'
      ? { ...stored, definition: rule, updatedAt: now, updatedBy: actor }
      : { ...stored, override: sameRule(stored.definition, rule) ? null : rule, updatedAt: now, updatedBy: actor };
    await this.d.store.putRule(next);
    if (!rule.enabled) await this.d.store.clearStates(id);
    await this.d.audit.record({ actor, action, target: id, details: { ...auditFacts(rule), source: stored.source } });
    return this.getRule(id);
  }

  async setEnabled(id: string, enabled: boolean, actor: string): Promise<AlertRuleView> {
    const stored = (await this.d.store.getRule(id)) ?? this.notFound();
    return this.updateRule(id, { ...effectiveRule(stored), enabled }, actor, enabled ? 'alert_rule_enable' : 'alert_rule_disable');
  }

  /**
   * A rule created in the app is deleted. A declared rule cannot be (it would come back at the next
   * start): its app override is dropped instead (reset to the declared version).
   */
  async deleteRule(id: string, actor: string): Promise<DeleteResult> {
    const stored = (await this.d.store.getRule(id)) ?? this.notFound();
    if (stored.source === 'app') {
      await this.d.store.deleteRule(id);
      await this.d.audit.record({ actor, action: 'alert_rule_delete', target: id, details: auditFacts(stored.definition) });
      return { result: 'deleted' };
    }
    if (stored.override === null) {
      const where = stored.source === 'default' ? 'set alerts.defaults to false' : 'remove it from alerts.rules';
      throw new TollgateError('invalid_request', `id: ${id} is declared in the ${stored.source === 'default' ? 'defaults' : 'configuration'}; disable it, or ${where}`, { field: 'id' });
    }
    await this.d.store.putRule({ ...stored, override: null, updatedAt: this.d.clock.now(), updatedBy: actor });
    if (!stored.definition.enabled) await this.d.store.clearStates(id);
    await this.d.audit.record({ actor, action: 'alert_rule_reset', target: id, details: auditFacts(stored.definition) });
    return { result: 'reset', rule: await this.getRule(id) };
  }

  // ---- history -----------------------------------------------------------------------------------

  history(query: AlertHistoryQuery = {}): Promise<AlertHistoryEntry[]> {
    return this.d.store.listHistory(query);
  }

  firingNow(): Promise<AlertGroupState[]> {
    return this.d.store.firing();
  }

  // ---- evaluation --------------------------------------------------------------------------------

  /** Runs every enabled rule now and returns the notifications (after their actions ran). Runs one at a time. */
  async evaluate(): Promise<AlertFiring[]> {
    while (this.running) await this.running.catch(() => {});
    const run = this.run();
    this.running = run;
    try {
      return await run;
    } finally {
      if (this.running === run) this.running = null;
    }
  }

  /** For the timer: skipped while an evaluation is still running. */
  async tick(): Promise<void> {
    if (this.running) return;
    await this.evaluate();
  }

  /** Resolves when no evaluation is running (clean shutdown). */
  async idle(): Promise<void> {
    await this.running?.catch(() => {});
  }

  private async run(): Promise<AlertFiring[]> {
    const now = this.d.clock.now();
    const out: AlertFiring[] = [];
    for (const stored of await this.d.store.listRules()) {
      const rule = effectiveRule(stored);
      if (!rule.enabled) continue;
      let rows;
      try {
        rows = await this.d.metrics.measure(rule, now);
      } catch (err) {
        this.d.log('error', 'alert rule could not be measured', { rule: rule.id, err: String(err) });
        continue;
      }
      const thresholdFor = thresholdsOf(rule, this.d.spendCaps);
      const entries = await this.d.store.changeStates(rule.id, (states) => {
        const steps = evaluateRule(rule, rows, states, now, thresholdFor);
        const had = new Set(states.map((s) => s.group));
        const history: AlertHistoryEntry[] = steps
          .filter((s) => s.notify !== null)
          .map((s) => ({
            id: this.newId(), time: now, ruleId: rule.id, ruleName: rule.name, kind: s.notify!, metric: rule.metric, groupBy: rule.groupBy,
            group: s.group, value: s.value, threshold: s.breach?.threshold ?? thresholdFor(s.group) ?? rule.threshold,
            comparison: rule.comparison, volume: s.volume, actions: this.planned(rule, s.notify!),
          }));
        return {
          save: steps.flatMap((s) => (s.next ? [s.next] : [])),
          drop: steps.filter((s) => s.next === null && had.has(s.group)).map((s) => s.group),
          history,
          result: history,
        };
      });
      for (const entry of entries) {
        const actions = await this.act(rule, entry);
        await this.d.store.setHistoryActions(entry.id, actions);
        this.d.log(entry.kind === 'fired' ? 'warn' : 'info', `alert ${entry.kind}: ${rule.name}`, {
          rule: rule.id, groupBy: rule.groupBy, value: entry.value, threshold: entry.threshold,
          actions: actions.map((a) => `${a.type}:${a.ok ? 'ok' : 'failed'}`),
        });
        out.push({
          historyId: entry.id, kind: entry.kind, ruleId: rule.id, ruleName: rule.name, groupBy: rule.groupBy, group: entry.group,
          value: entry.value, threshold: entry.threshold, volume: entry.volume, actions,
        });
      }
    }
    return out;
  }

  /** What the history shows until the actions have run (a crash mid-way leaves "pending"). */
  private planned(rule: AlertRule, kind: Notification): AlertActionOutcome[] {
    return this.actionsFor(rule, kind).map((a) => ({
      type: a.type,
      target: a.type === 'webhook' ? webhookTarget(a.url) : a.type === 'email' ? a.to.join(', ') : `${rule.groupBy} for ${a.minutes} min`,
      ok: false,
      detail: 'pending',
    }));
  }

  /** A resolution notifies (webhooks, emails) but does not block. */
  private actionsFor(rule: AlertRule, kind: Notification) {
    return kind === 'fired' ? rule.actions : rule.actions.filter((a) => a.type !== 'block');
  }

  private async act(rule: AlertRule, entry: AlertHistoryEntry): Promise<AlertActionOutcome[]> {
    const actions = this.actionsFor(rule, entry.kind);
    const results = new Map<number, AlertActionOutcome>();
    let block: AlertNotice['block'];
    for (const [i, a] of actions.entries()) {
      if (a.type !== 'block') continue;
      const r = await blockGroup({ reputation: this.d.reputation, audit: this.d.audit }, rule, entry.group, a.minutes);
      results.set(i, { type: r.type, target: r.target, ok: r.ok, detail: r.detail });
      block ??= { kind: r.kind, value: r.value, minutes: a.minutes, ok: r.ok, detail: r.detail };
    }
    const notice: AlertNotice = {
      kind: entry.kind, rule, group: entry.group, value: entry.value, threshold: entry.threshold, volume: entry.volume, time: entry.time,
      block, link: this.d.publicUrl ? `${this.d.publicUrl.replace(/\/+$/, '')}/admin/alerts` : null,
    };
    for (const [i, a] of actions.entries()) {
      if (a.type === 'webhook') {
        const body = a.format === 'slack' ? slackPayload(notice) : jsonPayload(notice);
        const r = await postWebhook(a.url, body, { timeoutMs: this.d.config.webhookTimeoutSeconds * 1000, fetch: this.d.fetch, retryDelayMs: this.d.webhookRetryDelayMs });
        results.set(i, { type: 'webhook', target: webhookTarget(a.url), ...r });
      } else if (a.type === 'email') {
        results.set(i, await sendAlertEmail(this.d.mailer, a.to, alertEmail(notice)));
      }
    }
    return actions.map((_, i) => results.get(i)!);
  }
}
