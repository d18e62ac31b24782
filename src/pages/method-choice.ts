// The method choice of the hosted page (text or call, email, authenticator app) when the session
// offers several, and the "verify another way" buttons shown under a refused phone send. Plain
// GET links styled as buttons: each method is its own page state, so they work without script
// and the browser's back button does what people expect.
import type { StringId } from '../core/i18n/strings/index.ts';
import type { FactorMethod } from '../core/policy/profile.ts';
import { html, type SafeHtml } from './html.ts';
import { methodUrl, type PageContext } from './page-context.ts';

const labels: Record<FactorMethod, StringId> = { phone: 'method_phone', email: 'method_email', totp: 'method_totp' };

/** The methods the page may show (phone only when the view predates them). */
export function methodsOf(ctx: PageContext): FactorMethod[] {
  return ctx.view.methods?.length ? ctx.view.methods : ['phone'];
}

/** The method whose form the page shows: the one asked for, if offered, else the first offered. */
export function currentMethod(ctx: PageContext): FactorMethod {
  const methods = methodsOf(ctx);
  return ctx.method && methods.includes(ctx.method) ? ctx.method : methods[0]!;
}

/**
 * The choice, as a labelled group of links; the current one carries aria-current. Nothing when
 * only one method is offered, so a phone-only profile looks exactly as before.
 */
export function methodChoice(ctx: PageContext, labelId: StringId = 'label_method', current: FactorMethod = currentMethod(ctx)): SafeHtml {
  const methods = methodsOf(ctx);
  if (methods.length < 2) return html``;
  return html`<nav class="tg-methods" aria-labelledby="tg-methods-label">
  <p id="tg-methods-label" class="tg-methods-label">${ctx.tr.t(labelId)}</p>
  <ul>
    ${methods.map(
      (m) => html`<li><a class="tg-button ${m === current ? 'tg-primary' : 'tg-secondary'}" href="${methodUrl(ctx, m)}" data-method="${m}"${m === current ? html` aria-current="true"` : ''}>${ctx.tr.t(labels[m])}</a></li>`,
    )}
  </ul>
</nav>`;
}

/** Under an error: the methods a refused send unlocked, as buttons. */
export function alternativesBlock(ctx: PageContext): SafeHtml {
  const offered = methodsOf(ctx);
  const current = currentMethod(ctx);
  const alternatives = (ctx.error?.alternatives ?? []).filter((m) => m !== current && offered.includes(m));
  if (alternatives.length === 0) return html``;
  return html`<div class="tg-alternatives">
  <p>${ctx.tr.t('text_alternatives')}</p>
  <div class="tg-actions">
    ${alternatives.map((m) => html`<a class="tg-button tg-primary" href="${methodUrl(ctx, m)}" data-alternative="${m}">${ctx.tr.t(labels[m])}</a>`)}
  </div>
</div>`;
}
