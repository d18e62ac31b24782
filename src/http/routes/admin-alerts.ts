// Alerts in the admin app (docs/alerts.md, docs/api.md "Alerts"): the JSON API
//   GET/POST /v1/admin/alerts/rules, GET/PUT/DELETE /v1/admin/alerts/rules/:id,
//   GET /v1/admin/alerts/history, POST /v1/admin/alerts/evaluate
// and the page /admin/alerts with its plain forms (create, edit, enable/disable, delete or reset,
// evaluate now). Viewers read; admins write; cookie sessions need the CSRF token on every write.
// Viewers never see a whole phone number nor a webhook URL (which may hold a token).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { canSeeFullNumbers } from '../../core/admin/model.ts';
import type { AlertGroupState } from '../../core/alerts/evaluation.ts';
import { ALERT_RULE_ID, type AlertRule } from '../../core/alerts/rule.ts';
import type { AlertHistoryEntry } from '../../core/alerts/store.ts';
import { TollgateError } from '../../core/errors.ts';
import { maskPhoneNumber } from '../../core/phone/phone-number.ts';
import { ALERTS_PATH, type AlertFormValues, renderAlertsPage } from '../../pages/admin/alerts-page.ts';
import { applyPageHeaders } from '../../pages/security-headers.ts';
import { maskWebhookUrl } from '../../services/alert-actions.ts';
import type { AlertFiring, AlertRuleView, AlertService } from '../../services/alert-service.ts';
import type { AdminAuth, AdminPrincipal } from '../../services/admin-auth.ts';
import type { Clock } from '../../ports.ts';
import { parseBody } from '../errors.ts';
import { signInRedirect } from './admin-auth.ts';

export interface AdminAlertsDeps {
  alerts: AlertService;
  auth: AdminAuth;
  clock: Clock;
}

const PAGE_HISTORY = 100;

export const idParams = z.object({ id: z.string().max(100) });
export const historyQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  ruleId: z.string().regex(ALERT_RULE_ID, 'a rule id').optional(),
  /** Entries older than this: ISO 8601 or epoch ms. */
  before: z.string().max(40).optional(),
});

function ruleId(request: FastifyRequest): string {
  const { id } = parseBody(idParams, request.params);
  if (!ALERT_RULE_ID.test(id)) throw new TollgateError('not_found', 'No alert rule has this id.', { field: 'id' });
  return id;
}

function parseBefore(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d{1,15}$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n)) throw new TollgateError('invalid_request', 'before: an ISO 8601 time or epoch milliseconds', { field: 'before' });
  return n;
}

/** The body without the form's / script's CSRF field (the rule schema refuses unknown fields). */
function withoutCsrf(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const { csrf: _csrf, ...rest } = body as Record<string, unknown>;
  return rest;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

// ---- what each role may see -----------------------------------------------------------------------

function ruleFor(rule: AlertRule, full: boolean): AlertRule {
  if (full) return rule;
  return { ...rule, actions: rule.actions.map((a) => (a.type === 'webhook' ? { ...a, url: maskWebhookUrl(a.url) } : a)) };
}

function viewFor(v: AlertRuleView, full: boolean): AlertRuleView {
  return { ...v, rule: ruleFor(v.rule, full), declared: v.declared ? ruleFor(v.declared, full) : null };
}

function shownKey(groupBy: string, group: string, full: boolean): string {
  return groupBy === 'phone' && !full ? maskPhoneNumber(group) : group;
}

function historyFor(h: AlertHistoryEntry, full: boolean): AlertHistoryEntry {
  if (full || h.groupBy !== 'phone') return h;
  const masked = maskPhoneNumber(h.group);
  return { ...h, group: masked, actions: h.actions.map((a) => ({ ...a, target: a.target.split(h.group).join(masked) })) };
}

function ruleJson(v: AlertRuleView) {
  return {
    id: v.id, source: v.source, overridden: v.overridden, summary: v.summary, lastFiredAt: iso(v.lastFiredAt), firing: v.firing,
    updatedAt: iso(v.updatedAt), updatedBy: v.updatedBy, rule: v.rule, declared: v.declared,
  };
}

function historyJson(h: AlertHistoryEntry) {
  return { ...h, time: iso(h.time) };
}

function firingJson(f: AlertFiring, full: boolean) {
  return {
    ...f, group: shownKey(f.groupBy, f.group, full),
    actions: full || f.groupBy !== 'phone' ? f.actions : f.actions.map((a) => ({ ...a, target: a.target.split(f.group).join(maskPhoneNumber(f.group)) })),
  };
}

// ---- the page's forms ------------------------------------------------------------------------------

function field(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first.slice(0, 2000) : undefined;
}

export function formValues(body: unknown): AlertFormValues {
  const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const names = ['id', 'name', 'description', 'metric', 'counts', 'groupBy', 'windowMinutes', 'settleMinutes', 'comparison', 'threshold', 'relativeTo', 'minVolume', 'cooldownMinutes', 'webhookUrl', 'webhookFormat', 'emailTo', 'blockMinutes'] as const;
  const out: AlertFormValues = {};
  for (const n of names) {
    const v = field(b, n);
    if (v !== undefined) out[n] = v;
  }
  out.enabled = field(b, 'enabled') === 'true';
  out.revealPhoneNumbers = field(b, 'revealPhoneNumbers') === 'true';
  return out;
}

/** A form's fields as a rule for the schema: empty fields are left out (defaults apply), numbers parsed. */
export function ruleFromForm(v: AlertFormValues): Record<string, unknown> {
  const text = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : s.trim());
  const num = (s: string | undefined) => {
    const t = text(s);
    if (t === undefined) return undefined;
    const n = Number(t);
    return Number.isFinite(n) ? n : t; // left as text: the schema names the field
  };
  const actions: unknown[] = [];
  if (text(v.webhookUrl)) actions.push({ type: 'webhook', url: text(v.webhookUrl), format: text(v.webhookFormat) ?? 'json' });
  if (text(v.emailTo)) actions.push({ type: 'email', to: v.emailTo!.split(/[\s,;]+/).filter(Boolean) });
  if (text(v.blockMinutes)) actions.push({ type: 'block', minutes: num(v.blockMinutes) });
  const rule: Record<string, unknown> = {
    id: text(v.id), name: v.name ?? '', description: text(v.description), enabled: v.enabled === true, metric: text(v.metric), counts: text(v.counts),
    groupBy: text(v.groupBy), windowMinutes: num(v.windowMinutes), settleMinutes: num(v.settleMinutes), comparison: text(v.comparison),
    threshold: num(v.threshold), relativeTo: text(v.relativeTo), minVolume: num(v.minVolume), cooldownMinutes: num(v.cooldownMinutes),
    revealPhoneNumbers: v.revealPhoneNumbers === true, actions,
  };
  for (const k of Object.keys(rule)) if (rule[k] === undefined) delete rule[k];
  return rule;
}

/** Form errors name the form's own field (`actions.0.url` is the webhook URL box). */
function formField(rule: Record<string, unknown>, field: string | undefined): string | undefined {
  const m = field ? /^actions\.(\d+)/.exec(field) : null;
  if (!m) return field;
  const action = (rule.actions as { type: string }[])[Number(m[1])];
  return action?.type === 'webhook' ? 'webhookUrl' : action?.type === 'email' ? 'emailTo' : 'blockMinutes';
}

const notices: Record<string, string> = {
  created: 'The rule was created.',
  saved: 'The rule was saved.',
  enabled: 'The rule is enabled.',
  disabled: 'The rule is disabled.',
  deleted: 'The rule was deleted.',
  reset: 'The rule is back to its declared version.',
};

export async function registerAdminAlerts(app: FastifyInstance, d: AdminAlertsDeps): Promise<void> {
  const { alerts, auth } = d;
  const noStore = (reply: FastifyReply) => reply.header('Cache-Control', 'no-store');

  // ---- JSON API --------------------------------------------------------------------------------

  app.get('/v1/admin/alerts/rules', async (request, reply) => {
    const me = await auth.requireRole(request, 'viewer');
    const full = canSeeFullNumbers(me.role);
    noStore(reply);
    return { rules: (await alerts.listRules()).map((v) => ruleJson(viewFor(v, full))) };
  });

  app.get('/v1/admin/alerts/rules/:id', async (request, reply) => {
    const me = await auth.requireRole(request, 'viewer');
    const id = ruleId(request);
    noStore(reply);
    return ruleJson(viewFor(await alerts.getRule(id), canSeeFullNumbers(me.role)));
  });

  app.post('/v1/admin/alerts/rules', async (request, reply) => {
    const me = await auth.requireRole(request, 'admin');
    const view = await alerts.createRule(withoutCsrf(request.body), me.actor);
    return noStore(reply).code(201).send(ruleJson(view));
  });

  app.put('/v1/admin/alerts/rules/:id', async (request, reply) => {
    const me = await auth.requireRole(request, 'admin');
    const view = await alerts.updateRule(ruleId(request), withoutCsrf(request.body), me.actor);
    return noStore(reply).send(ruleJson(view));
  });

  app.delete('/v1/admin/alerts/rules/:id', async (request, reply) => {
    const me = await auth.requireRole(request, 'admin');
    const r = await alerts.deleteRule(ruleId(request), me.actor);
    return noStore(reply).send(r.result === 'deleted' ? r : { result: r.result, rule: ruleJson(r.rule) });
  });

  app.get('/v1/admin/alerts/history', async (request, reply) => {
    const me = await auth.requireRole(request, 'viewer');
    const q = parseBody(historyQuery, request.query);
    const entries = await alerts.history({ limit: q.limit, ruleId: q.ruleId, before: parseBefore(q.before) });
    const full = canSeeFullNumbers(me.role);
    noStore(reply);
    return { entries: entries.map((h) => historyJson(historyFor(h, full))) };
  });

  app.post('/v1/admin/alerts/evaluate', async (request, reply) => {
    const me = await auth.requireRole(request, 'admin');
    const firings = await alerts.evaluate();
    await auth.audit.record({ actor: me.actor, action: 'alert_evaluate', target: 'alerts', details: { notifications: firings.length } });
    return noStore(reply).send({ evaluatedAt: iso(d.clock.now()), firings: firings.map((f) => firingJson(f, true)) });
  });

  // ---- the page ----------------------------------------------------------------------------------

  async function renderPage(reply: FastifyReply, me: AdminPrincipal, status: number, extra: { notice?: string; error?: Parameters<typeof renderAlertsPage>[0]['error'] } = {}) {
    const full = canSeeFullNumbers(me.role);
    const [rules, firing, history] = await Promise.all([alerts.listRules(), alerts.firingNow(), alerts.history({ limit: PAGE_HISTORY })]);
    const names = new Map(rules.map((r) => [r.id, r.rule]));
    const page = renderAlertsPage({
      user: me.user,
      csrf: me.csrf ?? '',
      now: d.clock.now(),
      rules: rules.map((v) => viewFor(v, full)),
      firing: firing.map((f: AlertGroupState) => {
        const rule = names.get(f.ruleId);
        return { ...f, ruleName: rule?.name ?? f.ruleId, shownGroup: shownKey(rule?.groupBy ?? '', f.group, full) };
      }),
      history: history.map((h) => historyFor(h, full)),
      ...extra,
    });
    return applyPageHeaders(reply).code(status).send(page);
  }

  app.get(ALERTS_PATH, async (request: FastifyRequest<{ Querystring: Record<string, unknown> }>, reply) => {
    const me = await auth.principal(request);
    if (!me) return signInRedirect(request, reply);
    const q = request.query ?? {};
    const count = (v: unknown) => (typeof v === 'string' && /^\d{1,6}$/.test(v) ? v : '0');
    const done = q.done === 'evaluated'
      ? `Evaluated every rule: ${count(q.fired)} fired, ${count(q.resolved)} resolved.`
      : typeof q.done === 'string' && Object.hasOwn(notices, q.done) ? notices[q.done] : undefined;
    return renderPage(reply, me, 200, { notice: done });
  });

  /**
   * A form post: the admin behind it runs `act`; success redirects back (303) with a notice, a
   * refusal shows the page again with the message (and the form's values when `form` is given).
   */
  async function formPost(request: FastifyRequest, reply: FastifyReply, act: (me: AdminPrincipal) => Promise<string>, form?: { key: string; values: AlertFormValues; rule: Record<string, unknown> }) {
    let me: AdminPrincipal;
    try {
      me = await auth.requireRole(request, 'admin');
    } catch (err) {
      if (!(err instanceof TollgateError)) throw err;
      const who = err.code === 'unauthorized' ? null : await auth.principal(request);
      if (!who) return signInRedirect(request, reply);
      return renderPage(reply, who, err.status, { error: { message: err.message } });
    }
    try {
      const done = await act(me);
      return reply.code(303).redirect(`${ALERTS_PATH}?done=${done}`);
    } catch (err) {
      if (!(err instanceof TollgateError)) throw err;
      const field = form ? formField(form.rule, err.steering.field as string | undefined) : undefined;
      return renderPage(reply, me, err.status, { error: { message: err.message, field, form: form?.key, values: form?.values } });
    }
  }

  app.post(`${ALERTS_PATH}/rules`, async (request, reply) => {
    const values = formValues(request.body);
    const rule = ruleFromForm(values);
    return formPost(request, reply, async (me) => {
      await alerts.createRule(rule, me.actor);
      return 'created';
    }, { key: 'new', values, rule });
  });

  app.post(`${ALERTS_PATH}/rules/:id`, async (request, reply) => {
    const id = ruleId(request);
    const values = formValues(request.body);
    const rule = { ...ruleFromForm(values), id };
    return formPost(request, reply, async (me) => {
      await alerts.updateRule(id, rule, me.actor);
      return 'saved';
    }, { key: id, values, rule });
  });

  app.post(`${ALERTS_PATH}/rules/:id/enabled`, async (request, reply) => {
    const id = ruleId(request);
    const enabled = field((request.body ?? {}) as Record<string, unknown>, 'enabled') === 'true';
    return formPost(request, reply, async (me) => {
      await alerts.setEnabled(id, enabled, me.actor);
      return enabled ? 'enabled' : 'disabled';
    });
  });

  app.post(`${ALERTS_PATH}/rules/:id/delete`, async (request, reply) => {
    const id = ruleId(request);
    return formPost(request, reply, async (me) => (await alerts.deleteRule(id, me.actor)).result);
  });

  app.post(`${ALERTS_PATH}/evaluate`, async (request, reply) => {
    return formPost(request, reply, async (me) => {
      const firings = await alerts.evaluate();
      await auth.audit.record({ actor: me.actor, action: 'alert_evaluate', target: 'alerts', details: { notifications: firings.length } });
      const fired = firings.filter((f) => f.kind === 'fired').length;
      return `evaluated&fired=${fired}&resolved=${firings.length - fired}`;
    });
  });
}
