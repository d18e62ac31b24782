// The country <select> of the number-entry form: the policy allowlist (or every region
// libphonenumber-js knows), labelled "Name (+cc)" in the page language, sorted by that name.
import { type CountryCode, getCountries, getCountryCallingCode, isSupportedCountry } from 'libphonenumber-js';
import { regionsFromAcceptLanguage } from '../core/i18n/negotiate.ts';
import { pickByLanguage } from '../core/i18n/strings/index.ts';

export interface CountryOption {
  /** ISO 3166-1 alpha-2. */
  code: string;
  label: string;
  callingCode: string;
}

const displayNamesCache = new Map<string, Intl.DisplayNames | null>();

function displayNames(locale: string): Intl.DisplayNames | null {
  if (!displayNamesCache.has(locale)) {
    let names: Intl.DisplayNames | null = null;
    try {
      names = new Intl.DisplayNames([locale, 'en'], { type: 'region', fallback: 'code' });
    } catch {
      names = null;
    }
    displayNamesCache.set(locale, names);
  }
  return displayNamesCache.get(locale) ?? null;
}

/**
 * Options for `allowlist` (null = all regions). Policy names (`countryNames[locale]`) win over
 * Intl.DisplayNames. Unknown codes are dropped.
 */
export function countryOptions(
  allowlist: string[] | null,
  locale: string,
  countryNames: Record<string, Record<string, string>> = {},
): CountryOption[] {
  const codes = allowlist ? [...new Set(allowlist.map((c) => c.toUpperCase()))] : [...getCountries()];
  const policyNames = pickByLanguage(countryNames, locale) ?? {};
  const intl = displayNames(locale);
  const options: CountryOption[] = [];
  for (const code of codes) {
    if (!/^[A-Z]{2}$/.test(code) || !isSupportedCountry(code)) continue;
    const callingCode = getCountryCallingCode(code as CountryCode);
    const policyName = Object.hasOwn(policyNames, code) ? policyNames[code] : undefined;
    const name = typeof policyName === 'string' && policyName.trim() ? policyName.trim() : (intl?.of(code) ?? code);
    options.push({ code, callingCode, label: `${name} (+${callingCode})` });
  }
  const collator = new Intl.Collator(locale, { sensitivity: 'base' });
  return options.sort((a, b) => collator.compare(a.label, b.label));
}

/** The placeholder label of the select: the policy's countryList DEFAULT entry, if it has one. */
export function countryPlaceholder(
  countryNames: Record<string, Record<string, string>> = {},
  locale: string,
): string | null {
  const names = pickByLanguage(countryNames, locale);
  const value = names && Object.hasOwn(names, 'DEFAULT') ? names.DEFAULT : undefined;
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/**
 * The country to preselect: the only option when there is one, else the first Accept-Language
 * region that is offered, else none.
 */
export function preselectedCountry(options: CountryOption[], acceptLanguage: string | null | undefined): string | null {
  if (options.length === 1) return options[0]?.code ?? null;
  const offered = new Set(options.map((o) => o.code));
  return regionsFromAcceptLanguage(acceptLanguage).find((r) => offered.has(r)) ?? null;
}
