// What every part of the phone-factor page gets to render with, and the small pieces the steps
// share: the CSRF field, the error region, form actions, the cancel form.
import type { Translator } from '../core/i18n/strings/index.ts';
import type { FactorMethod } from '../core/policy/profile.ts';
import type { SessionView } from '../services/phone-factor-view.ts';
import { CSRF_FIELD } from './csrf.ts';
import { html, type SafeHtml } from './html.ts';

/** Which input an error is about, so it gets aria-invalid and aria-describedby. */
export type ErrorField = 'code' | 'phoneNumber' | 'country' | 'email' | 'recoveryCode' | null;

export interface PageError {
  /** Main message (already localized). */
  message: string;
  /** Secondary line, e.g. attempts left or seconds to wait. */
  detail: string | null;
  field: ErrorField;
  /** HTTP status of the response that shows it. */
  status: number;
  /** Other methods to offer under the message (a refused phone send unlocked them). */
  alternatives?: FactorMethod[];
}

export interface PageContext {
  view: SessionView;
  tr: Translator;
  /** Hidden-field CSRF token for this session and browser. */
  csrf: string;
  /** Epoch ms. */
  now: number;
  error: PageError | null;
  acceptLanguage: string | null;
  /** `?ui_locales=…` to keep on form actions and redirects, or ''. */
  query: string;
  /** The method the user picked (`?method=`), or the one an action was about; null = the default. */
  method?: FactorMethod | null;
  /** The authenticator step shows the recovery-code form (`?recovery=1`). */
  recovery?: boolean;
}

export const ERROR_ID = 'tg-error';

/** `/pf/ID/ACTION?ui_locales=…` */
export function actionUrl(ctx: Pick<PageContext, 'view' | 'query'>, action: string): string {
  return `/pf/${encodeURIComponent(ctx.view.id)}/${action}${ctx.query}`;
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
}

/** The alert region (focused on load when present). Empty when there is no error. */
export function errorRegion(error: PageError | null): SafeHtml {
  if (!error) return html``;
  return html`<div id="${ERROR_ID}" class="tg-alert" role="alert" tabindex="-1" autofocus>
  <p>${error.message}</p>${error.detail ? html`<p>${error.detail}</p>` : ''}
</div>`;
}

/** `/pf/ID?method=…` (plus ui_locales, and any extra parameters): the page showing one method. */
export function methodUrl(ctx: Pick<PageContext, 'view' | 'query'>, method: FactorMethod, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(ctx.query.replace(/^\?/, ''));
  params.set('method', method);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return `/pf/${encodeURIComponent(ctx.view.id)}?${params.toString()}`;
}

/** aria-describedby value for a field: its hint ids, plus the error when the error is about it. */
export function describedBy(ctx: PageContext, field: ErrorField, ...hints: string[]): string {
  const ids = [...hints];
  if (ctx.error && ctx.error.field === field) ids.push(ERROR_ID);
  return ids.join(' ');
}

/** ` aria-invalid="true"` when the error is about this field. */
export function invalidAttr(ctx: PageContext, field: ErrorField): SafeHtml {
  return ctx.error && ctx.error.field === field ? html` aria-invalid="true"` : html``;
}

export function cancelForm(ctx: PageContext, label: string, linkStyle = false): SafeHtml {
  return html`<form class="tg-form tg-cancel" method="post" action="${actionUrl(ctx, 'cancel')}">
  ${csrfField(ctx.csrf)}
  <button type="submit" class="${linkStyle ? 'tg-link' : 'tg-button tg-secondary'}">${label}</button>
</form>`;
}

/** Whether the page is about more than a phone number (several methods, or email / app only). */
export function beyondPhone(ctx: Pick<PageContext, 'view'>): boolean {
  const methods = ctx.view.methods ?? ['phone'];
  return methods.length > 1 || methods[0] !== 'phone';
}

/** The app line under the heading: "{app} asks you to confirm a phone number." (or "… it's you."). */
export function appLine(ctx: PageContext): SafeHtml {
  if (!ctx.view.appName) return html``;
  return html`<p class="tg-app">${ctx.tr.t(beyondPhone(ctx) ? 'text_for_app_identity' : 'text_for_app', { app: ctx.view.appName })}</p>`;
}
