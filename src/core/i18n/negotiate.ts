// Chooses the language a page is shown in: the session's locale, then ?ui_locales=, then the
// browser's Accept-Language, then the policy's default. Pure; tags match by exact tag or by prefix.

export interface LocaleChoiceInput {
  /** Locale the app set when it created the session. */
  sessionLocale?: string | null;
  /** Space-separated BCP-47 tags, from `?ui_locales=` (OpenID Connect style). */
  uiLocales?: string | null;
  /** The raw Accept-Language header. */
  acceptLanguage?: string | null;
  /** Languages the page may be shown in, in the policy's order (e.g. ['en', 'fr', 'it']). */
  supported: readonly string[];
  /** The policy's default language. */
  defaultLanguage: string;
}

export interface WeightedTag {
  tag: string;
  q: number;
}

const tagPattern = /^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$/;

/** Accept-Language entries by decreasing weight (stable for equal weights); drops `*` and q=0. */
export function parseAcceptLanguage(header: string | null | undefined): WeightedTag[] {
  if (!header || header.length > 1000) return [];
  const out: WeightedTag[] = [];
  for (const part of header.split(',').slice(0, 50)) {
    const [rawTag, ...params] = part.trim().split(';');
    const tag = (rawTag ?? '').trim();
    if (!tagPattern.test(tag)) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) q = Number(m[1]);
    }
    if (!Number.isFinite(q) || q <= 0) continue;
    out.push({ tag, q: Math.min(q, 1) });
  }
  return out.map((t, i) => ({ ...t, i })).sort((a, b) => b.q - a.q || a.i - b.i).map(({ tag, q }) => ({ tag, q }));
}

/** The supported tag matching `tag`: exact (case-insensitive), then by language prefix (fr-CA → fr). */
export function matchLocale(tag: string, supported: readonly string[]): string | null {
  const wanted = tag.trim().replace(/_/g, '-').toLowerCase();
  if (!tagPattern.test(wanted)) return null;
  const exact = supported.find((s) => s.toLowerCase() === wanted);
  if (exact) return exact;
  const base = wanted.split('-')[0];
  return supported.find((s) => s.toLowerCase() === base) ?? supported.find((s) => s.toLowerCase().split('-')[0] === base) ?? null;
}

function firstMatch(tags: string[], supported: readonly string[]): string | null {
  for (const tag of tags) {
    const m = matchLocale(tag, supported);
    if (m) return m;
  }
  return null;
}

export function chooseLocale(input: LocaleChoiceInput): string {
  const { supported } = input;
  if (input.sessionLocale) {
    const m = matchLocale(input.sessionLocale, supported);
    if (m) return m;
  }
  if (input.uiLocales) {
    const m = firstMatch(input.uiLocales.split(/\s+/).filter(Boolean).slice(0, 20), supported);
    if (m) return m;
  }
  const fromHeader = firstMatch(parseAcceptLanguage(input.acceptLanguage).map((t) => t.tag), supported);
  if (fromHeader) return fromHeader;
  return matchLocale(input.defaultLanguage, supported) ?? supported[0] ?? input.defaultLanguage;
}

/** Region subtags (upper case, ISO alpha-2) named in Accept-Language, by decreasing weight: fr-CA → CA. */
export function regionsFromAcceptLanguage(header: string | null | undefined): string[] {
  const regions: string[] = [];
  for (const { tag } of parseAcceptLanguage(header)) {
    const region = tag
      .split(/[-_]/)
      .slice(1)
      .find((s) => /^[A-Za-z]{2}$/.test(s));
    if (region && !regions.includes(region.toUpperCase())) regions.push(region.toUpperCase());
  }
  return regions;
}
