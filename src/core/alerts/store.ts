// What the alert service needs from storage: the rules (from the defaults, the configuration and
// the app), each rule's per-group state, the history of firings and resolutions, and the metrics
// over the event log. Implemented on SQLite by adapters/store/sqlite-alerts*.ts.
import type { AlertGroupState, MetricRow, Notification } from './evaluation.ts';
import type { AlertComparison, AlertGroupBy, AlertMetric, AlertRule } from './rule.ts';

/** Where a rule comes from: Tollgate's defaults, the configuration file, or the admin app. */
export type AlertRuleSource = 'default' | 'config' | 'app';

export interface StoredAlertRule {
  id: string;
  source: AlertRuleSource;
  /** The rule as declared (defaults, configuration) or as created in the app. */
  definition: AlertRule;
  /** A default or configured rule edited in the app: this version wins until reset. Always null for app rules. */
  override: AlertRule | null;
  createdAt: number;
  updatedAt: number;
  /** `config`, `user:alice`, … */
  updatedBy: string;
}

/** The rule in force: the app's override, else the declared definition. */
export function effectiveRule(stored: StoredAlertRule): AlertRule {
  return stored.override ?? stored.definition;
}

export interface AlertActionOutcome {
  type: 'webhook' | 'email' | 'block';
  /** What was acted on, fit to show: a webhook's origin (never its path or token), the addresses, `prefix +4474001 for 60 min`. */
  target: string;
  ok: boolean;
  /** `HTTP 200`, `sent`, `entry <id>`, or why it failed (`timeout`, `HTTP 500 after a retry`, `no mailer configured`). */
  detail: string;
}

export interface AlertHistoryEntry {
  id: string;
  time: number;
  ruleId: string;
  /** The rule's name then (rules may be renamed or deleted later). */
  ruleName: string;
  kind: Notification;
  metric: AlertMetric;
  groupBy: AlertGroupBy;
  /** Full group key (numbers unmasked): masking is the reader's job. */
  group: string;
  value: number | null;
  threshold: number;
  comparison: AlertComparison;
  volume: number;
  actions: AlertActionOutcome[];
}

export interface AlertHistoryQuery {
  ruleId?: string;
  /** Epoch ms, exclusive: entries older than this (paging). */
  before?: number;
  limit?: number;
}

/** What one evaluation of a rule writes, computed from the states read in the same transaction. */
export interface StateChange<T> {
  save: AlertGroupState[];
  /** Groups whose state is forgotten. */
  drop: string[];
  history: AlertHistoryEntry[];
  result: T;
}

export interface AlertStore {
  listRules(): Promise<StoredAlertRule[]>;
  getRule(id: string): Promise<StoredAlertRule | null>;
  /** Inserts or replaces. */
  putRule(rule: StoredAlertRule): Promise<void>;
  /** Also forgets the rule's states; the history stays. False when there was no such rule. */
  deleteRule(id: string): Promise<boolean>;

  /**
   * Reads the rule's states and applies what `change` makes of them, in one write transaction, so
   * two instances evaluating at the same moment cannot both notify the same episode.
   */
  changeStates<T>(ruleId: string, change: (states: AlertGroupState[]) => StateChange<T>): Promise<T>;
  /** Forgets every state of a rule (when it is disabled or deleted). */
  clearStates(ruleId: string): Promise<void>;
  /** Every (rule, group) firing now. */
  firing(): Promise<AlertGroupState[]>;

  /** Records what the actions of a history entry did (written after they ran). */
  setHistoryActions(id: string, actions: AlertActionOutcome[]): Promise<void>;
  /** Newest first. */
  listHistory(query?: AlertHistoryQuery): Promise<AlertHistoryEntry[]>;
  /** The last `fired` time per rule id. */
  lastFired(): Promise<Map<string, number>>;
}

/** The metrics over the event log for a window ending at `now` (minus the rule's settle time). */
export interface AlertMetrics {
  measure(rule: AlertRule, now: number): Promise<MetricRow[]>;
}
