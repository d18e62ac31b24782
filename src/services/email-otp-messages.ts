// The code email, per language (en, fr, it): subject, plain text and HTML. Pure.
// Like the SMS, it carries only the code, the app name and the lifetime: mail is read on shared
// screens and forwarded, so no user data goes in. The code stays out of the subject so that
// mailbox lists and notification banners do not show it.
import { messageLanguage, type MessageLanguage } from '../core/i18n/messages.ts';

export interface CodeEmailInput {
  locale: string;
  code: string;
  appName: string;
  ttlMinutes: number;
}

export interface CodeEmail {
  subject: string;
  text: string;
  html: string;
  /** The language actually used (en when the locale is not supported). */
  language: MessageLanguage;
}

interface EmailPhrases {
  subject(app: string): string;
  intro(app: string): string;
  expires(ttl: number): string;
  doNotShare: string;
  ignore: string;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

const phrases: Record<MessageLanguage, EmailPhrases> = {
  en: {
    subject: (app) => `Your ${app} verification code`,
    intro: (app) => `Use this code to verify your email address for ${app}:`,
    expires: (ttl) => `It expires in ${ttl} ${plural(ttl, 'minute', 'minutes')}.`,
    doNotShare: 'Do not share it with anyone: we will never ask you for it.',
    ignore: "Didn't ask for this code? You can safely ignore this email.",
  },
  fr: {
    subject: (app) => `Votre code de vérification ${app}`,
    intro: (app) => `Utilisez ce code pour vérifier votre adresse e-mail sur ${app} :`,
    expires: (ttl) => `Il expire dans ${ttl} ${plural(ttl, 'minute', 'minutes')}.`,
    doNotShare: 'Ne le communiquez à personne : nous ne vous le demanderons jamais.',
    ignore: "Vous n'avez pas demandé ce code ? Vous pouvez ignorer cet e-mail.",
  },
  it: {
    subject: (app) => `Il tuo codice di verifica ${app}`,
    intro: (app) => `Usa questo codice per verificare il tuo indirizzo email su ${app}:`,
    expires: (ttl) => `Scade tra ${ttl} ${plural(ttl, 'minuto', 'minuti')}.`,
    doNotShare: 'Non condividerlo con nessuno: non te lo chiederemo mai.',
    ignore: 'Non hai richiesto questo codice? Puoi ignorare questa email.',
  },
};

// The app name comes from configuration and lands in a header (Subject): control characters or
// line breaks would forge headers or split lines, so they are flattened as for SMS.
function cleanAppName(appName: string): string {
  const flat = appName.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > 0 ? flat.slice(0, 40) : 'Tollgate';
}

function cleanTtl(ttlMinutes: number): number {
  return Number.isFinite(ttlMinutes) && ttlMinutes >= 1 ? Math.round(ttlMinutes) : 1;
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEntities[c]!);
}

// Mail clients strip <style> and ignore most CSS: inline styles on a table layout are what
// renders the same in Outlook, Gmail and Apple Mail. Colours meet WCAG AA contrast on white.
function renderHtml(language: MessageLanguage, p: EmailPhrases, app: string, code: string, ttl: number): string {
  const e = escapeHtml;
  const font = 'font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;';
  return `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(p.subject(app))}</title>
</head>
<body style="margin:0;padding:0;background:#f4f5f7;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f4f5f7;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:480px;background:#ffffff;border-radius:8px;">
<tr><td style="padding:28px 28px 8px;${font}font-size:16px;line-height:24px;color:#1f2328;">${e(p.intro(app))}</td></tr>
<tr><td align="center" style="padding:16px 28px;">
<p style="margin:0;padding:12px 20px;display:inline-block;background:#f0f3f7;border-radius:6px;font-family:Consolas,Menlo,monospace;font-size:32px;line-height:40px;letter-spacing:6px;font-weight:bold;color:#1f2328;" aria-label="${e(code.split('').join(' '))}">${e(code)}</p>
</td></tr>
<tr><td style="padding:8px 28px;${font}font-size:15px;line-height:22px;color:#1f2328;">${e(p.expires(ttl))} ${e(p.doNotShare)}</td></tr>
<tr><td style="padding:16px 28px 28px;${font}font-size:14px;line-height:20px;color:#57606a;border-top:1px solid #e4e7eb;">${e(p.ignore)}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

/** Subject, text and HTML for a code email in the locale's language (en when unsupported). */
export function renderCodeEmail(input: CodeEmailInput): CodeEmail {
  const language = messageLanguage(input.locale);
  const p = phrases[language];
  const app = cleanAppName(input.appName);
  const ttl = cleanTtl(input.ttlMinutes);
  const code = input.code.replace(/\s+/g, '');
  const text = [p.intro(app), '', `    ${code}`, '', `${p.expires(ttl)} ${p.doNotShare}`, '', p.ignore, ''].join('\n');
  return { subject: p.subject(app), text, html: renderHtml(language, p, app, code, ttl), language };
}
