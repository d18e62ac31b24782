// The `countryList` StringId: the country dropdown of the phone page, and (as B2C's docs use it
// against SMS pumping) the server-side allowlist of countries a code may be sent to.
import type { ContentDefinition } from './profile.ts';
import { errorAt, type Location, type Problems, sourceOf } from './problems.ts';

/** The special key holding the dropdown's placeholder label ("Country/Region"); not a country. */
export const placeholderKey = 'DEFAULT';

const isoAlpha2 = /^[A-Z]{2}$/;

/** A countryList as written for one language, with where it was written. */
export interface CountryListEntry {
  names: Record<string, string>;
  at: Location;
}

/** Checks the keys and values of a countryList map; throws a PolicyError naming the bad key. */
export function checkCountryList(value: unknown, at: Location): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw errorAt(at, 'countryList must be an object mapping ISO 3166-1 alpha-2 codes to names');
  }
  const names: Record<string, string> = {};
  for (const [key, name] of Object.entries(value)) {
    if (key !== placeholderKey && !isoAlpha2.test(key)) {
      throw errorAt(at, `countryList key "${key}" is not an ISO 3166-1 alpha-2 code (two upper-case letters) or ${placeholderKey}`);
    }
    if (typeof name !== 'string') throw errorAt(at, `countryList name of ${key} must be a string`);
    names[key] = name;
  }
  return names;
}

/** Parses the JSON text B2C keeps in `<LocalizedString StringId="countryList">`. */
export function parseCountryListJson(text: string, at: Location): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw errorAt(at, `countryList is not valid JSON: ${(e as Error).message}`);
  }
  return checkCountryList(value, at);
}

/** The native format's list form (`[US, CA]`): display names come from the runtime's ICU data. */
export function countryListFromCodes(codes: readonly string[], language: string, at: Location): Record<string, string> {
  let display: Intl.DisplayNames | undefined;
  try {
    display = new Intl.DisplayNames([language, 'en'], { type: 'region' });
  } catch {
    display = undefined;
  }
  const names: Record<string, string> = {};
  for (const code of codes) {
    if (!isoAlpha2.test(code)) {
      throw errorAt(at, `countryList entry "${code}" is not an ISO 3166-1 alpha-2 code (two upper-case letters)`);
    }
    names[code] = display?.of(code) ?? code;
  }
  return names;
}

/**
 * Derives the allowlist from the default language's list. Only the default language counts (B2C's
 * guidance: override the primary language only), so lists in other languages may rename countries
 * but never widen what is allowed.
 */
export function countrySettings(
  lists: ReadonlyMap<string, CountryListEntry>,
  defaultLanguage: string,
  where: Location,
  problems: Problems,
): Pick<ContentDefinition, 'countryAllowlist' | 'countryNames'> {
  const countryNames: Record<string, Record<string, string>> = {};
  for (const [language, entry] of lists) countryNames[language] = entry.names;
  if (lists.size === 0) return { countryAllowlist: null, countryNames };

  const main = lists.get(defaultLanguage);
  if (!main) {
    problems.error(
      where,
      `countryList is set for ${[...lists.keys()].join(', ')} but not for the default language ${defaultLanguage}; ` +
        'the allowlist is taken from the default language, so set it there',
    );
    return { countryAllowlist: null, countryNames };
  }
  const countryAllowlist = Object.keys(main.names).filter((key) => key !== placeholderKey);
  if (countryAllowlist.length === 0) {
    problems.warn(main.at, `countryList of ${where.element} allows no country: every send will be refused`);
  }
  for (const [language, entry] of lists) {
    if (language === defaultLanguage) continue;
    const extra = Object.keys(entry.names).filter((k) => k !== placeholderKey && !countryAllowlist.includes(k));
    if (extra.length > 0) {
      problems.warn(
        entry.at,
        `countryList for ${language} lists ${extra.join(', ')}, which the default language's list (${sourceOf(main.at)}) does not allow; they will be refused`,
      );
    }
  }
  return { countryAllowlist, countryNames };
}
