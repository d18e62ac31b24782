// A tiny HTML tagged template that escapes every interpolated value unless it is wrapped in raw().
// Every server-rendered page goes through it, so an untrusted string can never become markup.

/** A fragment already known to be safe HTML (built by `html` or explicitly trusted with `raw`). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for use in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => entities[c] ?? c);
}

/** Marks a trusted fragment (e.g. an operator template, or markup built elsewhere) as safe. */
export function raw(fragment: string): SafeHtml {
  return new SafeHtml(fragment);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * html`<p>${text}</p>`: strings, numbers and anything else are escaped; SafeHtml is inserted as is;
 * arrays are rendered item by item; null, undefined and false render as nothing.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Only http(s) URLs and same-origin absolute paths may be used in href/src; anything else → fallback. */
export function safeUrl(url: string | null | undefined, fallback = '#'): string {
  if (!url) return fallback;
  if (url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\')) return url;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : fallback;
  } catch {
    return fallback;
  }
}

/** The origin of an absolute http(s) URL, for CSP source lists; null for paths and other schemes. */
export function originOf(url: string | null | undefined): string | null {
  if (!url || url.startsWith('/')) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}
