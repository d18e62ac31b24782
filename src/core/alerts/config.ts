// The `alerts` configuration key (docs/configuration.md, docs/alerts.md "Configuration").
import { z } from 'zod';
import { alertRuleSchema, MAX_ACTIONS, notifyActionSchema } from './rule.ts';

export const alertsConfigSchema = z
  .object({
    /** false: no background evaluation (rules stay editable; POST /v1/admin/alerts/evaluate still runs them). */
    enabled: z.boolean().default(true),
    /** Seconds between evaluations of every rule. */
    evaluateEverySeconds: z.number().int().min(10).max(3600).default(60),
    /** Include Tollgate's early-warning rules (core/alerts/defaults.ts). */
    defaults: z.boolean().default(true),
    /** Webhooks and emails the default rules notify (they have none of their own). */
    defaultActions: z.array(notifyActionSchema).max(MAX_ACTIONS).default([]),
    /** Per webhook attempt (a failed attempt is retried once). */
    webhookTimeoutSeconds: z.number().int().min(1).max(60).default(5),
    /** Rules of this deployment; a rule with a default rule's id replaces it. */
    rules: z.array(alertRuleSchema).max(500).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.rules.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `the rule id ${r.id} is used twice` });
      seen.add(r.id);
    });
  });

export type AlertsConfig = z.output<typeof alertsConfigSchema>;
