// The one-click mitigation control shown beside a row of the dashboard (number, prefix, IP, range,
// country): a plain form posting to /admin/mitigations, so it works without JavaScript; the admin
// script (assets/admin-mitigate.js) turns it into an in-place action with an Undo button. Only
// admins see it; viewers get nothing.
import type { AdminRole } from '../../core/admin/model.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { html, type SafeHtml } from '../html.ts';

export type MitigationKind = 'number' | 'prefix' | 'ip' | 'cidr' | 'country';

export interface MitigationTarget {
  kind: MitigationKind;
  /** E.164 number, digit prefix (`+4477009`), IP, CIDR or ISO alpha-2 country. */
  value: string;
}

export interface MitigationContext {
  role: AdminRole;
  csrf: string;
  /** Same-origin path (with query) to come back to after the no-JS form round trip. */
  returnTo: string;
}

/** Durations offered, as the reputation API's `ttl` values; the first is the default. */
export const MITIGATION_TTLS: readonly { ttl: string; label: string }[] = [
  { ttl: '1h', label: '1 hour' },
  { ttl: '15m', label: '15 minutes' },
  { ttl: '24h', label: '24 hours' },
  { ttl: '7d', label: '7 days' },
];

const kindLabels: Record<MitigationKind, string> = {
  number: 'number',
  prefix: 'prefix',
  ip: 'IP',
  cidr: 'range',
  country: 'country',
};

/** Block / allow buttons for one target, time-boxed; empty for viewers. */
export function mitigationControls(target: MitigationTarget, ctx: MitigationContext): SafeHtml | '' {
  if (ctx.role !== 'admin') return '';
  const what = `${kindLabels[target.kind]} ${target.value}`;
  return html`<form method="post" action="/admin/mitigations" class="tg-mitigate" data-kind="${target.kind}" data-value="${target.value}">
<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}">
<input type="hidden" name="kind" value="${target.kind}">
<input type="hidden" name="value" value="${target.value}">
<input type="hidden" name="returnTo" value="${ctx.returnTo}">
<select name="ttl" aria-label="For how long (${what})">${MITIGATION_TTLS.map((t) => html`<option value="${t.ttl}">${t.label}</option>`)}</select>
<button type="submit" name="list" value="block" class="tg-mitigate-block" aria-label="Block ${what}">Block</button>
<button type="submit" name="list" value="allow" class="tg-mitigate-allow tg-link" aria-label="Allow ${what}">Allow</button>
</form>`;
}
