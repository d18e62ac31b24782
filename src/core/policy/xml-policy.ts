// Reads one Azure AD B2C custom-policy file (TrustFrameworkPolicy) into an XmlPolicyFile: its
// PolicyId and BasePolicy, its technical profiles, content definitions and localization. Pure.
// Inheritance is resolved later (xml-chains.ts), since an extension file may override a profile
// without repeating its Protocol.
import type { Element } from '@xmldom/xmldom';
import { type Location, type Problems } from './problems.ts';
import type { RawClaim, RawMetadataItem } from './raw-profile.ts';
import { attr, child, childElements, children, lineOf, parseXml, textOf } from './xml-dom.ts';
import {
  b2cNamespace,
  isPhoneFactorHandler,
  type MergeBehavior,
  type XmlContentDefinition,
  type XmlLocalizedResources,
  type XmlPolicyFile,
  type XmlSupportedLanguages,
  type XmlTechnicalProfile,
} from './xml-model.ts';

/** TechnicalProfile children that are valid B2C but change nothing in Tollgate. */
const ignoredProfileChildren = new Set([
  'Domain',
  'Description',
  'InputTokenFormat',
  'OutputTokenFormat',
  'CryptographicKeys',
  'InputClaimsTransformations',
  'DisplayClaims',
  'OutputClaimsTransformations',
  'UseTechnicalProfileForSessionManagement',
  'EnabledForUserJourneys',
  'IncludeInSso',
]);

const mergeBehaviors: readonly MergeBehavior[] = ['Append', 'Prepend', 'ReplaceAll'];

/** Parses one policy file. Throws a PolicyError for unreadable XML; records the other problems. */
export function parseXmlPolicy(text: string, file: string, problems: Problems): XmlPolicyFile | null {
  const root = parseXml(text, file).documentElement;
  if (!root) return null;
  const loc = (el: Element, element: string): Location => ({ file, line: lineOf(el), element });
  const rootAt = loc(root, root.localName ?? root.nodeName);
  if (root.localName !== 'TrustFrameworkPolicy' || root.namespaceURI !== b2cNamespace) {
    problems.error(rootAt, `the root element must be TrustFrameworkPolicy in namespace ${b2cNamespace}`);
    return null;
  }
  const policyId = attr(root, 'PolicyId');
  if (!policyId || /[/\s]/.test(policyId)) {
    problems.error(rootAt, policyId ? `PolicyId "${policyId}" must not contain "/" or white space` : 'PolicyId is required');
    return null;
  }
  const tenantId = attr(root, 'TenantId');
  const policy: XmlPolicyFile = {
    file,
    policyId,
    ...(tenantId ? { tenantId } : {}),
    at: rootAt,
    technicalProfiles: new Map(),
    contentDefinitions: new Map(),
    localizedResources: new Map(),
  };

  const base = child(root, 'BasePolicy');
  if (base) {
    const baseId = textOf(child(base, 'PolicyId'));
    const baseTenant = textOf(child(base, 'TenantId'));
    if (!baseId) problems.error(loc(base, 'BasePolicy'), 'BasePolicy needs a PolicyId');
    else policy.basePolicy = { policyId: baseId, ...(baseTenant ? { tenantId: baseTenant } : {}), at: loc(child(base, 'PolicyId')!, 'BasePolicy/PolicyId') };
  }

  const blocks = child(root, 'BuildingBlocks');
  for (const el of children(blocks && child(blocks, 'ContentDefinitions'), 'ContentDefinition')) {
    const cd = readContentDefinition(el, loc, problems);
    if (cd) addUnique(policy.contentDefinitions, cd, problems, 'ContentDefinition');
  }
  const localization = blocks && child(blocks, 'Localization');
  if (localization) {
    const langs = child(localization, 'SupportedLanguages');
    if (langs) policy.supportedLanguages = readSupportedLanguages(langs, loc, problems);
    for (const el of children(localization, 'LocalizedResources')) {
      const res = readLocalizedResources(el, loc, problems);
      if (res) addUnique(policy.localizedResources, res, problems, 'LocalizedResources');
    }
  }

  for (const provider of children(child(root, 'ClaimsProviders'), 'ClaimsProvider')) {
    for (const el of children(child(provider, 'TechnicalProfiles'), 'TechnicalProfile')) {
      const tp = readTechnicalProfile(el, loc, problems);
      if (tp) addUnique(policy.technicalProfiles, tp, problems, 'TechnicalProfile');
    }
  }
  return policy;
}

function addUnique<T extends { id: string; at: Location }>(map: Map<string, T>, item: T, problems: Problems, kind: string): void {
  const first = map.get(item.id);
  if (first) problems.error(item.at, `${kind} "${item.id}" is defined twice in this file (first at line ${first.at.line})`);
  else map.set(item.id, item);
}

type Loc = (el: Element, element: string) => Location;

function readMergeBehavior(el: Element, loc: Loc, element: string, problems: Problems): MergeBehavior {
  const value = attr(el, 'MergeBehavior');
  if (value === undefined) return 'Append';
  if ((mergeBehaviors as readonly string[]).includes(value)) return value as MergeBehavior;
  problems.error(loc(el, element), `MergeBehavior must be Append, Prepend or ReplaceAll, not "${value}"`);
  return 'Append';
}

function readTechnicalProfile(el: Element, loc: Loc, problems: Problems): XmlTechnicalProfile | null {
  const id = attr(el, 'Id');
  if (!id) {
    problems.error(loc(el, 'TechnicalProfile'), 'TechnicalProfile needs an Id');
    return null;
  }
  const path = `TechnicalProfile[@Id='${id}']`;
  const tp: XmlTechnicalProfile = { id, at: loc(el, path), metadata: [], unknown: [] };
  const protocol = child(el, 'Protocol');
  if (protocol) {
    const name = attr(protocol, 'Name');
    const handler = attr(protocol, 'Handler');
    tp.protocol = { ...(name ? { name } : {}), ...(handler ? { handler } : {}), at: loc(protocol, `${path}/Protocol`) };
    // Some other kind of profile (OpenID Connect, AAD, self-asserted…): its content is not ours.
    if (!isPhoneFactorHandler(handler)) return tp;
  }
  for (const c of childElements(el)) {
    const name = c.localName ?? c.nodeName;
    if (name === 'Protocol' || ignoredProfileChildren.has(name)) continue;
    if (name === 'DisplayName') tp.displayName = { value: textOf(c) ?? '', at: loc(c, `${path}/DisplayName`) };
    else if (name === 'Metadata') tp.metadata = readItems(c, loc, `${path}/Metadata`, tp, problems);
    else if (name === 'InputClaims') tp.inputClaims = readClaims(c, 'InputClaim', loc, `${path}/InputClaims`, tp, problems);
    else if (name === 'OutputClaims') tp.outputClaims = readClaims(c, 'OutputClaim', loc, `${path}/OutputClaims`, tp, problems);
    else tp.unknown.push(loc(c, `${path}/${name}`));
  }
  return tp;
}

function readItems(el: Element, loc: Loc, path: string, tp: XmlTechnicalProfile, problems: Problems): RawMetadataItem[] {
  const items: RawMetadataItem[] = [];
  for (const c of childElements(el)) {
    if (c.localName !== 'Item') {
      tp.unknown.push(loc(c, `${path}/${c.localName}`));
      continue;
    }
    const key = attr(c, 'Key');
    const at = loc(c, `${path}/Item[@Key='${key ?? ''}']`);
    if (!key) problems.error(at, 'Metadata Item needs a Key');
    else if (items.some((i) => i.key === key)) problems.error(at, `metadata key "${key}" is set twice in this profile`);
    else items.push({ ...at, key, value: textOf(c) ?? '' });
  }
  return items;
}

function readClaims(el: Element, itemName: string, loc: Loc, path: string, tp: XmlTechnicalProfile, problems: Problems): RawClaim[] {
  const claims: RawClaim[] = [];
  for (const c of childElements(el)) {
    if (c.localName !== itemName) {
      tp.unknown.push(loc(c, `${path}/${c.localName}`));
      continue;
    }
    const id = attr(c, 'ClaimTypeReferenceId');
    const partner = attr(c, 'PartnerClaimType');
    const at = loc(c, `${path}/${itemName}[@ClaimTypeReferenceId='${id ?? ''}']`);
    if (!id) problems.error(at, `${itemName} needs a ClaimTypeReferenceId`);
    else claims.push({ ...at, claimTypeReferenceId: id, ...(partner ? { partnerClaimType: partner } : {}) });
  }
  return claims;
}

function readContentDefinition(el: Element, loc: Loc, problems: Problems): XmlContentDefinition | null {
  const id = attr(el, 'Id');
  if (!id) {
    problems.error(loc(el, 'ContentDefinition'), 'ContentDefinition needs an Id');
    return null;
  }
  const path = `ContentDefinition[@Id='${id}']`;
  const cd: XmlContentDefinition = { id, at: loc(el, path) };
  for (const name of ['LoadUri', 'DataUri'] as const) {
    const c = child(el, name);
    if (c) cd[name === 'LoadUri' ? 'loadUri' : 'dataUri'] = { value: textOf(c) ?? '', at: loc(c, `${path}/${name}`) };
  }
  const refs = child(el, 'LocalizedResourcesReferences');
  if (refs) {
    const list = children(refs, 'LocalizedResourcesReference').flatMap((r) => {
      const language = attr(r, 'Language');
      const resourcesId = attr(r, 'LocalizedResourcesReferenceId');
      const at = loc(r, `${path}/LocalizedResourcesReferences/LocalizedResourcesReference[@Language='${language ?? ''}']`);
      if (!language) {
        problems.error(at, 'LocalizedResourcesReference needs a Language');
        return [];
      }
      return [{ language, ...(resourcesId ? { resourcesId } : {}), at }];
    });
    cd.references = { mergeBehavior: readMergeBehavior(refs, loc, `${path}/LocalizedResourcesReferences`, problems), list };
  }
  return cd;
}

function readSupportedLanguages(el: Element, loc: Loc, problems: Problems): XmlSupportedLanguages {
  const defaultLanguage = attr(el, 'DefaultLanguage');
  return {
    ...(defaultLanguage ? { defaultLanguage } : {}),
    mergeBehavior: readMergeBehavior(el, loc, 'Localization/SupportedLanguages', problems),
    languages: children(el, 'SupportedLanguage').map((l) => textOf(l) ?? '').filter((l) => l !== ''),
    at: loc(el, 'Localization/SupportedLanguages'),
  };
}

function readLocalizedResources(el: Element, loc: Loc, problems: Problems): XmlLocalizedResources | null {
  const id = attr(el, 'Id');
  if (!id) {
    problems.error(loc(el, 'LocalizedResources'), 'LocalizedResources needs an Id');
    return null;
  }
  const path = `LocalizedResources[@Id='${id}']`;
  const strings = children(child(el, 'LocalizedStrings'), 'LocalizedString').flatMap((s) => {
    const elementType = attr(s, 'ElementType');
    const stringId = attr(s, 'StringId');
    const elementId = attr(s, 'ElementId');
    const at = loc(s, `${path}/LocalizedStrings/LocalizedString[@StringId='${stringId ?? ''}']`);
    if (!elementType || !stringId) {
      problems.error(at, 'LocalizedString needs an ElementType and a StringId');
      return [];
    }
    // Not trimmed: B2C shows the text as written, and some strings end in a space on purpose
    // (enter_code_text_intro is followed by the "send a new code" link).
    return [{ elementType, ...(elementId ? { elementId } : {}), stringId, value: s.textContent ?? '', at }];
  });
  return { id, at: loc(el, path), strings };
}
