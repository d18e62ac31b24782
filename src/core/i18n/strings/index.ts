// The built-in page strings by language, and a translator that layers policy overrides
// (content-definition LocalizedStrings) over them and fills {placeholders}.
import { en, type StringId } from './en.ts';
import { fr } from './fr.ts';
import { it } from './it.ts';

export type { StringId };

export const builtInStrings: Record<string, Record<StringId, string>> = { en, fr, it };

/** Languages Tollgate ships page strings for, default first. */
export const shippedLanguages: readonly string[] = ['en', 'fr', 'it'];

export const stringIds = Object.keys(en) as StringId[];

export type StringParams = Record<string, string | number>;

export interface Translator {
  /** The language the strings are in (the chosen locale). */
  readonly locale: string;
  t(id: StringId, params?: StringParams): string;
}

/** Replaces `{name}` with params.name; unknown names (e.g. a regex `{6}`) are left alone. */
export function fillPlaceholders(text: string, params: StringParams = {}): string {
  return text.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

function baseOf(locale: string): string {
  return locale.toLowerCase().split(/[-_]/)[0] ?? locale;
}

/** Picks `table[locale]`, then `table[base language]` (keys compared case-insensitively). */
export function pickByLanguage<T>(table: Record<string, T> | undefined, locale: string): T | undefined {
  if (!table) return undefined;
  const keys = Object.keys(table);
  const exact = keys.find((k) => k.toLowerCase() === locale.toLowerCase());
  if (exact) return table[exact];
  const base = keys.find((k) => k.toLowerCase() === baseOf(locale));
  return base ? table[base] : undefined;
}

/**
 * A translator for `locale`. Lookup order: the policy override for that language, the built-in
 * string of that language (or its base language), then English.
 */
export function createTranslator(locale: string, overridesByLanguage?: Record<string, Record<string, string>>): Translator {
  const overrides = pickByLanguage(overridesByLanguage, locale) ?? {};
  const builtIn = pickByLanguage(builtInStrings, locale) ?? en;
  return {
    locale,
    t(id, params) {
      const override = Object.hasOwn(overrides, id) ? overrides[id] : undefined;
      const text = typeof override === 'string' ? override : (builtIn[id] ?? en[id]);
      return fillPlaceholders(text, params);
    },
  };
}
