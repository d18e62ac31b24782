// Wraps a page body into a full HTML document: the built-in layout, or an operator template
// (content definition LoadUri) whose `<div id="api"></div>` receives the body (B2C convention).
import { assetUrl } from './asset-urls.ts';
import { html, raw, safeUrl, type SafeHtml } from './html.ts';

export interface DocumentParts {
  lang: string;
  title: string;
  body: SafeHtml;
  /** Operator stylesheets, linked after the built-in one (same-origin paths or https URLs only). */
  stylesheets?: string[];
  skipLabel: string;
  /** `<meta http-equiv="refresh">` seconds (dev outbox). */
  refreshSeconds?: number;
  /** Class on <body>, e.g. "tg-wide". */
  bodyClass?: string;
}

/** Keeps same-origin paths and https URLs; drops everything else. */
export function allowedStylesheets(urls: string[] | undefined): string[] {
  return (urls ?? []).filter((u) => {
    if (typeof u !== 'string') return false;
    const safe = safeUrl(u, '');
    return safe !== '' && (safe.startsWith('/') || safe.startsWith('https://'));
  });
}

function headAssets(parts: DocumentParts): SafeHtml {
  return html`<link rel="stylesheet" href="${assetUrl('phone-factor.css')}">
${allowedStylesheets(parts.stylesheets).map((href) => html`<link rel="stylesheet" href="${safeUrl(href)}">\n`)}<script src="${assetUrl('phone-factor.js')}" defer></script>`;
}

export function renderDocument(parts: DocumentParts): string {
  const refresh = parts.refreshSeconds ? html`<meta http-equiv="refresh" content="${parts.refreshSeconds}">\n` : '';
  return html`<!doctype html>
<html lang="${parts.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
${refresh}<title>${parts.title}</title>
${headAssets(parts)}
</head>
<body${parts.bodyClass ? html` class="${parts.bodyClass}"` : ''}>
<a class="tg-skip" href="#tg-main">${parts.skipLabel}</a>
<main id="tg-main" class="tg-card" tabindex="-1">
<div id="api">
${parts.body}
</div>
</main>
</body>
</html>
`.value;
}

const apiDivPattern = /<div\s+id\s*=\s*(["'])api\1\s*>\s*<\/div>/i;

/** True when the template holds the `<div id="api"></div>` placeholder. */
export function hasApiPlaceholder(template: string): boolean {
  return apiDivPattern.test(template);
}

/**
 * Puts the body into the operator template: fills `<div id="api"></div>`, adds the page assets
 * before `</head>`, sets `<html lang>`. Returns null when the placeholder is missing.
 */
export function injectIntoTemplate(template: string, parts: DocumentParts): string | null {
  if (!hasApiPlaceholder(template)) return null;
  const meta = html`<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${parts.title}</title>\n`;
  const head = html`${/<meta\s+name\s*=\s*["']viewport["']/i.test(template) ? '' : meta}${headAssets(parts)}\n`.value;
  let out = template.replace(apiDivPattern, () => `<div id="api">\n${parts.body.value}\n</div>`);
  out = /<\/head>/i.test(out) ? out.replace(/<\/head>/i, () => `${head}</head>`) : head + out;
  const langAttr = html` lang="${parts.lang}"`.value;
  if (/<html\b[^>]*>/i.test(out)) {
    out = out.replace(/<html\b([^>]*)>/i, (_m, attrs: string) => `<html${attrs.replace(/\s+lang\s*=\s*(["'])[^"']*\1/i, '')}${langAttr}>`);
  } else {
    out = raw(`<!doctype html>\n<html${langAttr}>\n`).value + out + '\n</html>\n';
  }
  return out;
}
