// The CAPTCHA widget inside the send form: markup for ALTCHA (self-hosted) or a third-party widget
// (Turnstile, hCaptcha, reCAPTCHA v2 checkbox), the form field each one posts, and the sources the
// page's Content-Security-Policy must add for it. Takes what `Captcha.challenge()` returned.
import type { CaptchaProvider } from '../ports.ts';
import { messageLanguage, type MessageLanguage } from '../core/i18n/messages.ts';
import { html, type SafeHtml } from './html.ts';

/** Where Tollgate serves the ALTCHA web component (node_modules/altcha/dist/main/altcha.js). */
export const ALTCHA_SCRIPT_PATH = '/assets/vendor/altcha.js';

const thirdParty = {
  turnstile: { script: 'https://challenges.cloudflare.com/turnstile/v0/api.js', divClass: 'cf-turnstile', field: 'cf-turnstile-response' },
  hcaptcha: { script: 'https://js.hcaptcha.com/1/api.js', divClass: 'h-captcha', field: 'h-captcha-response' },
  recaptcha: { script: 'https://www.google.com/recaptcha/api.js', divClass: 'g-recaptcha', field: 'g-recaptcha-response' },
} as const;

/** Extra CSP sources per directive; the page adds them to its own ('self') lists. */
export interface CaptchaCspSources {
  scriptSrc: string[];
  frameSrc: string[];
  styleSrc: string[];
  connectSrc: string[];
  workerSrc: string[];
}

/**
 * ALTCHA's main bundle injects one <style> element into <head>; this is the CSP hash of its text in
 * altcha@3.2.2 (a test recomputes it from node_modules, so an upgrade cannot silently change it).
 */
export const ALTCHA_STYLE_HASH = "'sha256-ZgqGuQlekW98cv0XQjYUGCLTvc3q5MkU+2SkqlFGoTM='";

// From each provider's CSP documentation, and for ALTCHA from running its widget under Tollgate's
// CSP in Chromium: the proof-of-work workers start from blob: URLs (worker-src blob:; without it
// script-src 'self' applies and blocks them), and the injected style needs its hash.
const csp: Record<CaptchaProvider, CaptchaCspSources> = {
  altcha: { scriptSrc: [], frameSrc: [], styleSrc: [ALTCHA_STYLE_HASH], connectSrc: [], workerSrc: ['blob:'] },
  turnstile: {
    scriptSrc: ['https://challenges.cloudflare.com'],
    frameSrc: ['https://challenges.cloudflare.com'],
    styleSrc: [],
    connectSrc: [],
    workerSrc: [],
  },
  hcaptcha: {
    scriptSrc: ['https://hcaptcha.com', 'https://*.hcaptcha.com'],
    frameSrc: ['https://hcaptcha.com', 'https://*.hcaptcha.com'],
    styleSrc: ['https://hcaptcha.com', 'https://*.hcaptcha.com'],
    connectSrc: ['https://hcaptcha.com', 'https://*.hcaptcha.com'],
    workerSrc: [],
  },
  recaptcha: {
    scriptSrc: ['https://www.google.com/recaptcha/', 'https://www.gstatic.com/recaptcha/'],
    frameSrc: ['https://www.google.com/recaptcha/', 'https://recaptcha.google.com/recaptcha/'],
    styleSrc: [],
    connectSrc: [],
    workerSrc: [],
  },
};

/** Every CSP source the provider's widget needs, per directive. */
export function captchaCspSources(provider: CaptchaProvider): CaptchaCspSources {
  const s = csp[provider];
  return { scriptSrc: [...s.scriptSrc], frameSrc: [...s.frameSrc], styleSrc: [...s.styleSrc], connectSrc: [...s.connectSrc], workerSrc: [...s.workerSrc] };
}

/** The script-src additions alone ([] for ALTCHA, which is served by Tollgate itself). */
export function captchaScriptSources(provider: CaptchaProvider): string[] {
  return captchaCspSources(provider).scriptSrc;
}

/** The form field the widget posts its token in (ALTCHA: `altcha` unless renamed). */
export function captchaFormField(provider: CaptchaProvider, formFieldName?: string): string {
  if (provider === 'altcha' || provider === 'turnstile') return formFieldName ?? (provider === 'altcha' ? 'altcha' : thirdParty.turnstile.field);
  return thirdParty[provider].field; // hCaptcha and reCAPTCHA do not let the field be renamed
}

const noscript: Record<MessageLanguage, string> = {
  en: 'This step needs JavaScript: a small check in your browser proves you are not an automated script before we send a code. Please turn JavaScript on and reload the page.',
  fr: 'Cette étape nécessite JavaScript : une petite vérification dans votre navigateur prouve que vous n’êtes pas un robot avant l’envoi du code. Activez JavaScript puis rechargez la page.',
  it: 'Questo passaggio richiede JavaScript: un piccolo controllo nel browser dimostra che non sei un programma automatico prima dell’invio del codice. Attiva JavaScript e ricarica la pagina.',
};

export interface CaptchaWidgetOptions {
  /** ALTCHA and Turnstile only: the name of the posted field. */
  formFieldName?: string;
  /** BCP-47 locale of the page (widget language, noscript text). */
  locale: string;
}

const fieldNamePattern = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const siteKeyPattern = /^[A-Za-z0-9_-]{1,128}$/;
const cdataPattern = /^[A-Za-z0-9_-]{1,255}$/;

/** `fr-CA` → `fr`; anything odd → null (the widget then picks its own language). */
function widgetLanguage(locale: string): string | null {
  const base = locale.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return /^[a-z]{2,3}$/.test(base) ? base : null;
}

/** The widget as a fragment to place inside the send form (before its submit button). */
export function captchaWidget(info: Record<string, unknown>, opts: CaptchaWidgetOptions): SafeHtml {
  const provider = info.provider;
  if (opts.formFieldName !== undefined && !fieldNamePattern.test(opts.formFieldName)) throw new TypeError('captcha widget: invalid formFieldName');
  const lang = widgetLanguage(opts.locale);
  const fallback = html`<noscript><p class="tg-hint tg-captcha-noscript">${noscript[messageLanguage(opts.locale)]}</p></noscript>`;

  let widget: SafeHtml;
  if (provider === 'altcha') {
    const challenge = info.challenge;
    if (!challenge || typeof challenge !== 'object' || !('parameters' in challenge)) throw new TypeError('captcha widget: altcha info has no challenge');
    // The challenge travels inline (JSON in the attribute; html`` escapes the quotes), so the
    // widget never fetches anything and the challenge stays tied to this page's session.
    widget = html`<altcha-widget challenge="${JSON.stringify(challenge)}" name="${captchaFormField('altcha', opts.formFieldName)}" auto="onload"${lang ? html` language="${lang}"` : ''}></altcha-widget>
<script type="module" src="${ALTCHA_SCRIPT_PATH}"></script>`;
  } else if (provider === 'turnstile' || provider === 'hcaptcha' || provider === 'recaptcha') {
    const siteKey = info.siteKey;
    if (typeof siteKey !== 'string' || !siteKeyPattern.test(siteKey)) throw new TypeError('captcha widget: invalid siteKey');
    const p = thirdParty[provider];
    if (provider === 'turnstile') {
      const cdata = typeof info.cdata === 'string' && cdataPattern.test(info.cdata) ? info.cdata : null;
      widget = html`<div class="${p.divClass}" data-sitekey="${siteKey}"${lang ? html` data-language="${lang}"` : ''}${opts.formFieldName ? html` data-response-field-name="${opts.formFieldName}"` : ''}${cdata ? html` data-cdata="${cdata}"` : ''}></div>
<script src="${p.script}" async defer></script>`;
    } else {
      const src = lang ? `${p.script}?hl=${encodeURIComponent(lang)}` : p.script;
      widget = html`<div class="${p.divClass}" data-sitekey="${siteKey}"></div>
<script src="${src}" async defer></script>`;
    }
  } else {
    throw new TypeError('captcha widget: unknown provider');
  }
  return html`<div class="tg-captcha" data-captcha-provider="${provider}">
${widget}
${fallback}
</div>`;
}

/** Same as `captchaWidget`, as a plain string (wrap in raw() to put it in another html``). */
export function renderCaptchaWidget(info: Record<string, unknown>, opts: CaptchaWidgetOptions): string {
  return captchaWidget(info, opts).value;
}
