// What every dashboard page renderer is given (who is looking, the filters, the drill-down) and
// the cells shared by all tabs: links into the drill-down for numbers and IPs, and the row actions
// (time-boxed block / allow through mitigationControls) beside numbers, prefixes, IPs and countries.
import type { AdminRole } from '../../core/admin/model.ts';
import { ipKeys, numberPrefix } from '../../core/defense/phone-keys.ts';
import { html, type SafeHtml } from '../html.ts';
import { type MitigationTarget, mitigationControls } from './mitigation-controls.ts';
import { type DashboardState, type DashboardTab, type DrillDown, tabHref } from './workbook-url.ts';

export interface WorkbookView {
  tab: DashboardTab;
  state: DashboardState;
  /** The current drill-down as link parameters (a viewer's carries phoneRef, never the number). */
  drill: DrillDown;
  /** The drill-down subject as this viewer may see it (masked number for viewers). */
  subject: { phone?: string; ip?: string };
  role: AdminRole;
  /** canSeeFullNumbers(role): rows given to the renderers are already masked when false. */
  fullNumbers: boolean;
  csrf: string;
  /** This page (path and query), where the no-JS mitigation form comes back to. */
  returnTo: string;
  /** The resolved range, epoch ms. */
  from: number;
  to: number;
  currency: string;
  expectedRegions: readonly string[];
  /** DB-IP's CC BY 4.0 attribution, shown wherever IP-derived countries are (null: geo is off). */
  attribution: { text: string; url: string } | null;
  /** Rows shown per table (the CSV export has up to csvLimit). */
  rowsShown: number;
  csvLimit: number;
  /** Suggestions for the policy and app boxes of the filter bar. */
  policies: readonly string[];
  apps: readonly string[];
}

/** Rows as this viewer may see them: for viewers, numbers masked with a `phoneRef` beside them. */
export type Shown<R> = R & { phoneRef?: string };

/** A row's number as link parameters: the opaque reference for viewers, the number for admins. */
export interface PhoneCell {
  phoneNumber: string | null;
  phoneRef?: string;
}

export function phoneDrill(row: PhoneCell): DrillDown {
  if (row.phoneRef) return { phoneRef: row.phoneRef };
  return row.phoneNumber ? { phone: row.phoneNumber } : {};
}

/** The number, linking to its failures on the Details tab (with the current filters). */
export function phoneLink(view: WorkbookView, row: PhoneCell): SafeHtml | string {
  if (!row.phoneNumber) return '—';
  const href = tabHref('details', view.state, phoneDrill(row), '#tg-drill');
  return html`<a class="tg-wb-number" href="${href}">${row.phoneNumber}</a>`;
}

export function ipLink(view: WorkbookView, ip: string | null): SafeHtml | string {
  if (!ip) return '—';
  return html`<a class="tg-wb-ip" href="${tabHref('details', view.state, { ip }, '#tg-drill')}">${ip}</a>`;
}

/**
 * One "Block / allow" disclosure per row, with a control per target. Collapsed by default, so a
 * table with a control on every row stays readable; works without JS. Admins only.
 */
export function rowActions(view: WorkbookView, ...targets: MitigationTarget[][]): SafeHtml | '' {
  const all = targets.flat();
  if (view.role !== 'admin' || all.length === 0) return '';
  const ctx = { role: view.role, csrf: view.csrf, returnTo: view.returnTo };
  const name = (t: MitigationTarget) => `${t.kind === 'ip' ? 'IP' : t.kind} ${t.value}`;
  return html`<details class="tg-wb-actions"><summary aria-label="Block or allow ${all.map(name).join(', ')}">Block / allow</summary>${all.map(
    (t) => html`<div class="tg-wb-action"><span class="tg-wb-action-target">${t.kind === 'ip' ? 'IP' : t.kind} <code>${t.value}</code></span>${mitigationControls(t, ctx)}</div>`,
  )}</details>`;
}

const E164 = /^\+[1-9]\d{3,14}$/;
const PREFIX = /^\+[1-9]\d{1,13}$/;
const COUNTRY = /^[A-Z]{2}$/;

/**
 * A number's targets: the number, and its block of 1,000 (the number minus its last 3 digits: the
 * defense's `prefix3`, core/defense/phone-keys.ts). None unless full numbers are shown (admins'
 * rows are never masked; a masked number is not a target).
 */
export function numberTargets(view: WorkbookView, phone: string | null): MitigationTarget[] {
  if (!view.fullNumbers || !phone || !E164.test(phone)) return [];
  const prefix = numberPrefix(phone, 3);
  return [{ kind: 'number', value: phone }, ...(PREFIX.test(prefix) ? [{ kind: 'prefix' as const, value: prefix }] : [])];
}

export function prefixTargets(prefix: string | null): MitigationTarget[] {
  return prefix && PREFIX.test(prefix) ? [{ kind: 'prefix', value: prefix }] : [];
}

export function ipTargets(ip: string | null): MitigationTarget[] {
  return ip && ipKeys(ip) ? [{ kind: 'ip', value: ip }] : [];
}

/** A country entry of the reputation lists matches the number's country (the destination). */
export function countryTargets(country: string | null): MitigationTarget[] {
  return country && COUNTRY.test(country) ? [{ kind: 'country', value: country }] : [];
}

export const numberActions = (view: WorkbookView, phone: string | null) => rowActions(view, numberTargets(view, phone));
export const prefixActions = (view: WorkbookView, prefix: string | null) => rowActions(view, prefixTargets(prefix));
export const ipActions = (view: WorkbookView, ip: string | null) => rowActions(view, ipTargets(ip));
export const countryActions = (view: WorkbookView, country: string | null) => rowActions(view, countryTargets(country));
