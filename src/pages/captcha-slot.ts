// Where the CAPTCHA goes on the hosted page: inside every form that sends a code, when the view
// says one must be solved first (profile setting, or the defense asked for it).
import type { CaptchaProvider } from '../ports.ts';
import { captchaWidget } from './captcha-widget.ts';
import { html, type SafeHtml } from './html.ts';
import type { PageContext } from './page-context.ts';

const realProviders: readonly string[] = ['altcha', 'turnstile', 'hcaptcha', 'recaptcha'];

/** The form fields a solution may arrive in (one per provider; `captcha` for the test stand-in). */
export const captchaTokenFields = ['altcha', 'cf-turnstile-response', 'h-captcha-response', 'g-recaptcha-response', 'captcha'] as const;

export function captchaProviderOf(info: Record<string, unknown> | null | undefined): CaptchaProvider | undefined {
  const p = info?.provider;
  return typeof p === 'string' && realProviders.includes(p) ? (p as CaptchaProvider) : undefined;
}

export function captchaSlot(ctx: PageContext): SafeHtml {
  const info = ctx.view.captcha;
  if (!info) return html``;
  if (captchaProviderOf(info)) return captchaWidget(info, { locale: ctx.tr.locale });
  // The simulated provider (test mode): a plain field for the token.
  return html`<div class="tg-field tg-captcha"><label for="tg-captcha-token">CAPTCHA (test mode)</label><input id="tg-captcha-token" name="captcha" type="text" autocomplete="off"></div>`;
}
