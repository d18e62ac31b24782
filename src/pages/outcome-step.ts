// The end states: verified (done + continue to the app), failed / expired (message + retry /
// cancel), cancelled, and a bare message for when there is no session to show.
import type { Translator } from '../core/i18n/strings/index.ts';
import { html, safeUrl, type SafeHtml } from './html.ts';
import { appLine, beyondPhone, cancelForm, errorRegion, type PageContext, type PageError } from './page-context.ts';

export function renderVerified(ctx: PageContext): SafeHtml {
  const { view, tr } = ctx;
  return html`<h1 id="tg-heading">${tr.t(beyondPhone(ctx) ? 'heading_methods' : 'heading')}</h1>
${appLine(ctx)}
${errorRegion(ctx.error)}
<p class="tg-success" role="status">${tr.t(view.verifiedMethod && view.verifiedMethod !== 'phone' ? 'text_verified_other' : 'text_verified')}</p>
${view.returnUrl ? html`<div class="tg-actions"><a class="tg-button tg-primary" href="${safeUrl(view.returnUrl)}">${tr.t('button_continue')}</a></div>` : ''}`;
}

/** failed and expired: the reason, a retry (back to the app, which starts again) and cancel. */
export function renderFailed(ctx: PageContext): SafeHtml {
  const { view, tr } = ctx;
  const message = view.status === 'expired' ? tr.t('error_session_expired') : tr.t('text_failed');
  return html`<h1 id="tg-heading">${tr.t(beyondPhone(ctx) ? 'heading_methods' : 'heading')}</h1>
${appLine(ctx)}
${errorRegion(ctx.error)}
<p class="tg-failure">${message}</p>
${view.returnUrl ? html`<div class="tg-actions"><a class="tg-button tg-primary" href="${safeUrl(view.returnUrl)}">${tr.t('button_retry')}</a></div>` : ''}
${cancelForm(ctx, tr.t('button_cancel'))}`;
}

export function renderCancelled(tr: Translator): SafeHtml {
  return html`<h1 id="tg-heading">${tr.t('heading')}</h1>
<p class="tg-intro" role="status">${tr.t('text_cancelled')}</p>`;
}

/** A page with only a message (no session view: not found, expired link, CSRF failure). */
export function renderMessageOnly(tr: Translator, error: PageError, reloadHref: string | null): SafeHtml {
  return html`<h1 id="tg-heading">${tr.t('heading')}</h1>
${errorRegion(error)}
${reloadHref ? html`<div class="tg-actions"><a class="tg-button tg-primary" href="${safeUrl(reloadHref)}">${tr.t('button_reload')}</a></div>` : ''}`;
}
