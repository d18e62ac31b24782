// Reads Tollgate's native policy file (YAML, or JSON through the same parser) into a
// ResolvedPolicy. Pure: takes the text and the file name; every error names file, line and key.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { checkCountryList, countryListFromCodes, type CountryListEntry, countrySettings, parseCountryListJson } from './country-list.ts';
import { type NativeContentDefinition, type NativePolicy, nativePolicySchema } from './native-schema.ts';
import type { ContentDefinition } from './profile.ts';
import type { ContentDefinitionLookup } from './profile-rules.ts';
import { type Location, type Problems } from './problems.ts';
import { phonePageStringIds, type RawClaim, type RawProfile, type ResolvedPolicy } from './raw-profile.ts';
import { keyPath, YamlLocator } from './yaml-locate.ts';

/** Parses one native policy file. Records problems; returns null when the file cannot be used. */
export function parseNativePolicy(text: string, file: string, problems: Problems): ResolvedPolicy | null {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const detail = syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    problems.error({ file, line: syntax.linePos?.[0].line, element: 'syntax' }, `invalid YAML/JSON: ${detail}`);
    return null;
  }
  for (const w of doc.warnings) problems.warn({ file, line: w.linePos?.[0].line }, w.message.split('\n')[0]!);
  if (doc.contents === null) {
    problems.error({ file, line: 1, element: '(root)' }, 'the policy file is empty');
    return null;
  }

  const locator = new YamlLocator(doc, lines);
  const at = (path: readonly PropertyKey[]): Location => ({ file, line: locator.line(path), element: keyPath(path) });
  const data: unknown = doc.toJS();
  const parsed = nativePolicySchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.error(at([...issue.path, key]), `unknown key "${key}"`);
      } else {
        const missing = valueAt(data, issue.path) === undefined;
        problems.error(at(issue.path), missing ? 'is required' : issue.message);
      }
    }
    return null;
  }
  return resolveNative(parsed.data, file, at, problems);
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function resolveNative(
  policy: NativePolicy,
  file: string,
  at: (path: readonly PropertyKey[]) => Location,
  problems: Problems,
): ResolvedPolicy {
  const built = new Map<string, ContentDefinition>();
  for (const [id, cd] of Object.entries(policy.contentDefinitions)) {
    const definition = problems.attempt(() => nativeContentDefinition(id, cd, file, at, problems));
    if (definition) built.set(id, definition);
  }
  // A definition that failed is still "defined": its own error says what is wrong with it.
  const contentDefinitions: ContentDefinitionLookup = {
    has: (id) => Object.hasOwn(policy.contentDefinitions, id),
    get: (id) => built.get(id),
    keys: () => Object.keys(policy.contentDefinitions),
  };
  const profiles: RawProfile[] = Object.entries(policy.profiles).map(([id, p]) => {
    const base = ['profiles', id];
    const claims = (list: typeof p.inputClaims, kind: string): RawClaim[] =>
      list.map((c, i) => ({ ...at([...base, kind, i]), ...c }));
    return {
      ...at(base),
      id,
      ...(p.displayName !== undefined ? { displayName: p.displayName } : {}),
      policyId: policy.policyId,
      metadata: Object.entries(p.metadata).map(([key, value]) => ({ ...at([...base, 'metadata', key]), key, value })),
      inputClaims: claims(p.inputClaims, 'inputClaims'),
      outputClaims: claims(p.outputClaims, 'outputClaims'),
    };
  });
  if (profiles.length === 0) problems.warn(at(['profiles']), `policy ${policy.policyId} defines no profile`);
  return { policyId: policy.policyId, at: at(['policyId']), files: [file], profiles, contentDefinitions };
}

function nativeContentDefinition(
  id: string,
  cd: NativeContentDefinition,
  file: string,
  at: (path: readonly PropertyKey[]) => Location,
  problems: Problems,
): ContentDefinition | undefined {
  const base = ['contentDefinitions', id];
  const { defaultLanguage, supportedLanguages } = cd;
  if (supportedLanguages.length > 0 && !supportedLanguages.includes(defaultLanguage)) {
    problems.error(at([...base, 'supportedLanguages']), `must include the default language ${defaultLanguage}`);
  }
  let loadUri: string | undefined;
  if (cd.loadUri !== undefined) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(cd.loadUri)) {
      problems.error(at([...base, 'loadUri']), 'must be a file path (relative to the policy file), not a URL');
    } else {
      loadUri = isAbsolute(cd.loadUri) ? cd.loadUri : isAbsolute(file) ? resolve(dirname(file), cd.loadUri) : join(dirname(file), cd.loadUri);
    }
  }

  const strings: Record<string, Record<string, string>> = {};
  const lists = new Map<string, CountryListEntry>();
  for (const [language, overrides] of Object.entries(cd.strings)) {
    strings[language] = {};
    for (const [stringId, text] of Object.entries(overrides)) {
      const where = at([...base, 'strings', language, stringId]);
      if (stringId === 'countryList') {
        lists.set(language, { names: parseCountryListJson(text, where), at: where });
        continue;
      }
      if (!phonePageStringIds.has(stringId)) problems.warn(where, `"${stringId}" is not a StringId of the phone factor page`);
      strings[language][stringId] = text;
    }
  }
  if (cd.countryList !== undefined) {
    const where = at([...base, 'countryList']);
    if (lists.has(defaultLanguage)) {
      problems.error(where, `countryList is also set in strings.${defaultLanguage}.countryList; keep one`);
    }
    const names = Array.isArray(cd.countryList)
      ? countryListFromCodes(cd.countryList, defaultLanguage, where)
      : checkCountryList(cd.countryList, where);
    lists.set(defaultLanguage, { names, at: where });
  }
  return {
    id,
    ...(loadUri !== undefined ? { loadUri } : {}),
    stylesheets: cd.stylesheets,
    ...(cd.dataUri !== undefined ? { dataUri: cd.dataUri } : {}),
    defaultLanguage,
    supportedLanguages,
    strings,
    ...countrySettings(lists, defaultLanguage, at(base), problems),
  };
}
