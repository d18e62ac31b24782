// The effects of an alert: a webhook POST (timeout, one retry), an email per recipient through the
// Mailer port, and a time-boxed block through the reputation lists with an audit entry. Each one
// reports an outcome for the history and never throws. Webhook URLs can hold tokens (Slack, Teams),
// so outcomes and logs name only the URL's origin, and no transport error text is copied.
import type { AlertActionOutcome } from '../core/alerts/store.ts';
import { blockKindByGroup, type AlertRule } from '../core/alerts/rule.ts';
import { TollgateError } from '../core/errors.ts';
import type { Mailer } from '../ports.ts';
import { type AuditLog, reputationAudit } from '../core/admin/audit.ts';
import { type AlertEmail } from './alert-messages.ts';
import type { ReputationService } from './reputation-service.ts';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface WebhookOptions {
  timeoutMs: number;
  fetch?: FetchLike;
  /** Pause before the retry (real time). */
  retryDelayMs?: number;
}

/** Only the origin of a webhook URL is ever shown: its path and query may be a credential. */
export function webhookTarget(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(invalid URL)';
  }
}

/** The URL as a viewer sees it (origin only); admins, who can edit the rule, see it whole. */
export const maskWebhookUrl = webhookTarget;

interface Attempt {
  ok: boolean;
  retry: boolean;
  detail: string;
}

async function attempt(url: string, body: string, o: WebhookOptions): Promise<Attempt> {
  try {
    const res = await (o.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Tollgate-Alerts/1' },
      body,
      // A redirect could carry the alert elsewhere: not followed, reported as a failure.
      redirect: 'manual',
      signal: AbortSignal.timeout(o.timeoutMs),
    });
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) return { ok: true, retry: false, detail: `HTTP ${res.status}` };
    const retry = res.status >= 500 || res.status === 408 || res.status === 429;
    const detail = res.status >= 300 && res.status < 400 ? `HTTP ${res.status} (redirects are not followed)` : `HTTP ${res.status}`;
    return { ok: false, retry, detail };
  } catch (err) {
    const name = (err as { name?: string }).name;
    return { ok: false, retry: true, detail: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'connection failed' };
  }
}

/** POSTs `payload` as JSON; a timeout, a connection failure, 408, 429 or 5xx is retried once. */
export async function postWebhook(url: string, payload: unknown, o: WebhookOptions): Promise<{ ok: boolean; detail: string }> {
  const body = JSON.stringify(payload);
  const first = await attempt(url, body, o);
  if (first.ok || !first.retry) return first;
  await new Promise((r) => setTimeout(r, o.retryDelayMs ?? 500));
  const second = await attempt(url, body, o);
  return second.ok ? { ok: true, detail: `${second.detail} (after a retry: ${first.detail})` } : { ok: false, detail: `${second.detail} after a retry` };
}

/** One mail per recipient, so one refused address does not stop the others. */
export async function sendAlertEmail(mailer: Mailer | null, to: readonly string[], email: AlertEmail): Promise<AlertActionOutcome> {
  const target = to.join(', ');
  if (!mailer) return { type: 'email', target, ok: false, detail: 'no mailer configured (mail.*)' };
  const failed: string[] = [];
  for (const address of to) {
    try {
      await mailer.send({ to: address, subject: email.subject, text: email.text, html: email.html, locale: 'en', code: '', sessionId: null });
    } catch (err) {
      // MailError messages are written by the adapter from the failure's kind: no server reply, no credential.
      failed.push(`${address}: ${err instanceof Error && err.name === 'MailError' ? err.message : 'sending failed'}`);
    }
  }
  if (failed.length === 0) return { type: 'email', target, ok: true, detail: `sent to ${to.length}` };
  return { type: 'email', target, ok: false, detail: `failed for ${failed.join('; ')}` };
}

export interface BlockDeps {
  reputation: ReputationService;
  audit: AuditLog;
}

/** Blocks the group for `minutes` (kind from the rule's groupBy) and records it in the audit trail. */
export async function blockGroup(d: BlockDeps, rule: AlertRule, group: string, minutes: number): Promise<AlertActionOutcome & { kind: string; value: string }> {
  const kind = blockKindByGroup[rule.groupBy];
  const target = `${kind ?? rule.groupBy} ${group} for ${minutes} min`;
  if (!kind) return { type: 'block', target, ok: false, detail: `groupBy ${rule.groupBy} cannot be blocked`, kind: rule.groupBy, value: group };
  const actor = `alert:${rule.id}`;
  try {
    const entry = await d.reputation.add({ kind, value: group, list: 'block', ttlSeconds: minutes * 60, note: `alert ${rule.name}`, createdBy: actor });
    const record = reputationAudit(actor, 'reputation_add', entry, 'alert', { ttlSeconds: minutes * 60 });
    await d.audit.record({ ...record, details: { ...record.details, rule: rule.id } });
    return { type: 'block', target, ok: true, detail: `entry ${entry.id}`, kind, value: entry.value };
  } catch (err) {
    const detail = err instanceof TollgateError ? err.message : 'the block list could not be written';
    return { type: 'block', target, ok: false, detail, kind, value: group };
  }
}
