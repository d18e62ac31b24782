// Turns an effective B2C ContentDefinition (after inheritance) into Tollgate's ContentDefinition:
// the page template, the languages, the UxElement string overrides and the country allowlist.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { type CountryListEntry, countrySettings, parseCountryListJson } from './country-list.ts';
import type { ContentDefinition } from './profile.ts';
import type { Problems } from './problems.ts';
import { phonePageStringIds } from './raw-profile.ts';
import type { Located, XmlContentDefinition, XmlLayer } from './xml-model.ts';

/**
 * B2C's LoadUri names a template B2C hosts (`~/tenant/templates/...`) or an https URL. Tollgate
 * renders its own page for the first and never fetches the second (a policy must not make the
 * server download pages), so only a local file path becomes an operator template.
 */
function templatePath(loadUri: Located<string> | undefined, problems: Problems): string | undefined {
  if (!loadUri || loadUri.value === '' || loadUri.value.startsWith('~/')) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(loadUri.value)) {
    problems.warn(loadUri.at, `LoadUri ${loadUri.value} is a URL; Tollgate does not fetch remote templates and uses its built-in page`);
    return undefined;
  }
  const file = loadUri.at.file;
  if (isAbsolute(loadUri.value)) return loadUri.value;
  return isAbsolute(file) ? resolve(dirname(file), loadUri.value) : join(dirname(file), loadUri.value);
}

export function buildXmlContentDefinition(cd: XmlContentDefinition, layer: XmlLayer, problems: Problems): ContentDefinition {
  const langs = layer.supportedLanguages;
  const defaultLanguage = langs?.defaultLanguage ?? 'en';
  const supportedLanguages = langs?.languages ?? [];
  if (langs && supportedLanguages.length > 0 && !supportedLanguages.includes(defaultLanguage)) {
    problems.error(langs.at, `SupportedLanguages must include the DefaultLanguage ${defaultLanguage}`);
  }

  // References are read in order and the first one to set a StringId wins: that is what makes
  // MergeBehavior="Prepend" in a relying-party file take precedence over its base.
  const strings: Record<string, Record<string, string>> = {};
  const lists = new Map<string, CountryListEntry>();
  for (const ref of cd.references?.list ?? []) {
    if (!ref.resourcesId) {
      problems.warn(ref.at, 'LocalizedResourcesReference without LocalizedResourcesReferenceId (a Url) is not supported; ignored');
      continue;
    }
    const resources = layer.localizedResources.get(ref.resourcesId);
    if (!resources) {
      problems.error(ref.at, `LocalizedResources "${ref.resourcesId}" is not defined in this policy or its bases`);
      continue;
    }
    const table = (strings[ref.language] ??= {});
    for (const s of resources.strings) {
      if (s.elementType !== 'UxElement') continue;
      if (s.stringId === 'countryList') {
        if (!lists.has(ref.language)) {
          const names = problems.attempt(() => parseCountryListJson(s.value, s.at));
          if (names) lists.set(ref.language, { names, at: s.at });
        }
        continue;
      }
      if (!phonePageStringIds.has(s.stringId)) {
        problems.warn(s.at, `"${s.stringId}" is not a StringId of the phone factor page`);
      }
      if (!(s.stringId in table)) table[s.stringId] = s.value;
    }
  }

  const loadUri = templatePath(cd.loadUri, problems);
  return {
    id: cd.id,
    ...(loadUri !== undefined ? { loadUri } : {}),
    stylesheets: [],
    ...(cd.dataUri ? { dataUri: cd.dataUri.value } : {}),
    defaultLanguage,
    supportedLanguages,
    strings,
    ...countrySettings(lists, defaultLanguage, cd.at, problems),
  };
}
