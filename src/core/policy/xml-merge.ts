// B2C policy inheritance: how a child policy file's elements merge into its base's. Each
// function takes the effective parent and one child layer and returns a new effective layer;
// nothing is mutated, so one base can feed several relying-party chains.
import type { RawClaim, RawMetadataItem } from './raw-profile.ts';
import type {
  MergeBehavior,
  XmlContentDefinition,
  XmlLayer,
  XmlLocalizedResources,
  XmlResourcesReference,
  XmlSupportedLanguages,
  XmlTechnicalProfile,
} from './xml-model.ts';

function byMergeBehavior<T>(parent: T[], child: T[], behavior: MergeBehavior): T[] {
  if (behavior === 'ReplaceAll') return [...child];
  return behavior === 'Prepend' ? [...child, ...parent] : [...parent, ...child];
}

/** Items whose key the child repeats are replaced in place; new keys are appended. */
function overrideByKey<T>(parent: T[], child: T[], key: (t: T) => string, merge: (p: T, c: T) => T): T[] {
  const out = [...parent];
  for (const c of child) {
    const i = out.findIndex((p) => key(p) === key(c));
    if (i === -1) out.push(c);
    else out[i] = merge(out[i]!, c);
  }
  return out;
}

function mergeClaims(parent: RawClaim[] | undefined, child: RawClaim[] | undefined): RawClaim[] | undefined {
  if (!child) return parent;
  if (!parent) return child;
  // A child claim that repeats a ClaimTypeReferenceId overrides only the attributes it sets.
  return overrideByKey(parent, child, (c) => c.claimTypeReferenceId, (p, c) => ({ ...p, ...c }));
}

export function mergeTechnicalProfile(parent: XmlTechnicalProfile, child: XmlTechnicalProfile): XmlTechnicalProfile {
  const protocol = child.protocol ?? parent.protocol;
  const displayName = child.displayName ?? parent.displayName;
  const inputClaims = mergeClaims(parent.inputClaims, child.inputClaims);
  const outputClaims = mergeClaims(parent.outputClaims, child.outputClaims);
  return {
    id: child.id,
    at: child.at,
    ...(protocol ? { protocol } : {}),
    ...(displayName ? { displayName } : {}),
    metadata: overrideByKey<RawMetadataItem>(parent.metadata, child.metadata, (i) => i.key, (_p, c) => c),
    ...(inputClaims ? { inputClaims } : {}),
    ...(outputClaims ? { outputClaims } : {}),
    unknown: [...parent.unknown, ...child.unknown],
  };
}

function mergeReferences(parent: XmlContentDefinition['references'], child: XmlContentDefinition['references']) {
  if (!child) return parent;
  const merged = byMergeBehavior(parent?.list ?? [], child.list, child.mergeBehavior);
  // The same (language, resources) pair listed by two layers counts once, where it first appears.
  const seen = new Set<string>();
  const list = merged.filter((r: XmlResourcesReference) => {
    const k = `${r.language}\u0000${r.resourcesId ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { mergeBehavior: child.mergeBehavior, list };
}

export function mergeContentDefinition(parent: XmlContentDefinition, child: XmlContentDefinition): XmlContentDefinition {
  const loadUri = child.loadUri ?? parent.loadUri;
  const dataUri = child.dataUri ?? parent.dataUri;
  const references = mergeReferences(parent.references, child.references);
  return {
    id: child.id,
    at: child.at,
    ...(loadUri ? { loadUri } : {}),
    ...(dataUri ? { dataUri } : {}),
    ...(references ? { references } : {}),
  };
}

export function mergeLocalizedResources(parent: XmlLocalizedResources, child: XmlLocalizedResources): XmlLocalizedResources {
  const key = (s: XmlLocalizedResources['strings'][number]) => `${s.elementType}\u0000${s.elementId ?? ''}\u0000${s.stringId}`;
  return { id: child.id, at: child.at, strings: overrideByKey(parent.strings, child.strings, key, (_p, c) => c) };
}

function mergeSupportedLanguages(parent: XmlSupportedLanguages | undefined, child: XmlSupportedLanguages | undefined) {
  if (!child) return parent;
  if (!parent) return child;
  const languages = [...new Set(byMergeBehavior(parent.languages, child.languages, child.mergeBehavior))];
  const defaultLanguage = child.defaultLanguage ?? parent.defaultLanguage;
  return { ...child, ...(defaultLanguage ? { defaultLanguage } : {}), languages };
}

function mergeMaps<T>(parent: Map<string, T>, child: Map<string, T>, merge: (p: T, c: T) => T): Map<string, T> {
  const out = new Map(parent);
  for (const [id, c] of child) {
    const p = out.get(id);
    out.set(id, p ? merge(p, c) : c);
  }
  return out;
}

/** The effective layer after `child` is applied on top of `parent`. */
export function mergeLayers(parent: XmlLayer, child: XmlLayer): XmlLayer {
  const supportedLanguages = mergeSupportedLanguages(parent.supportedLanguages, child.supportedLanguages);
  return {
    technicalProfiles: mergeMaps(parent.technicalProfiles, child.technicalProfiles, mergeTechnicalProfile),
    contentDefinitions: mergeMaps(parent.contentDefinitions, child.contentDefinitions, mergeContentDefinition),
    ...(supportedLanguages ? { supportedLanguages } : {}),
    localizedResources: mergeMaps(parent.localizedResources, child.localizedResources, mergeLocalizedResources),
  };
}
