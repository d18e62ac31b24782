// What Tollgate keeps of one B2C custom-policy file: the parts that shape a PhoneFactor profile,
// each with where it was written, so that after inheritance merges the layers an error can still
// name the file and line the effective value came from.
import type { Location } from './problems.ts';
import type { RawClaim, RawMetadataItem } from './raw-profile.ts';

export const b2cNamespace = 'http://schemas.microsoft.com/online/cpim/schemas/2013/06';

export type MergeBehavior = 'Append' | 'Prepend' | 'ReplaceAll';

export interface Located<T> {
  value: T;
  at: Location;
}

export interface XmlTechnicalProfile {
  id: string;
  at: Location;
  /** Absent when the file only overrides a profile defined in a base policy. */
  protocol?: { name?: string; handler?: string; at: Location };
  displayName?: Located<string>;
  metadata: RawMetadataItem[];
  /** Undefined when the file has no InputClaims element (so the parent's stay as they are). */
  inputClaims?: RawClaim[];
  outputClaims?: RawClaim[];
  /** Children Tollgate does not use; warned about only if the effective profile is a PhoneFactor. */
  unknown: Location[];
}

export interface XmlResourcesReference {
  language: string;
  resourcesId?: string;
  at: Location;
}

export interface XmlContentDefinition {
  id: string;
  at: Location;
  loadUri?: Located<string>;
  dataUri?: Located<string>;
  references?: { mergeBehavior: MergeBehavior; list: XmlResourcesReference[] };
}

export interface XmlLocalizedString {
  elementType: string;
  elementId?: string;
  stringId: string;
  value: string;
  at: Location;
}

export interface XmlLocalizedResources {
  id: string;
  at: Location;
  strings: XmlLocalizedString[];
}

export interface XmlSupportedLanguages {
  defaultLanguage?: string;
  mergeBehavior: MergeBehavior;
  languages: string[];
  at: Location;
}

/** The mergeable content of a policy file: one layer of an inheritance chain. */
export interface XmlLayer {
  technicalProfiles: Map<string, XmlTechnicalProfile>;
  contentDefinitions: Map<string, XmlContentDefinition>;
  supportedLanguages?: XmlSupportedLanguages;
  localizedResources: Map<string, XmlLocalizedResources>;
}

export interface XmlPolicyFile extends XmlLayer {
  file: string;
  policyId: string;
  tenantId?: string;
  /** The TrustFrameworkPolicy element. */
  at: Location;
  basePolicy?: { policyId: string; tenantId?: string; at: Location };
}

export function isPhoneFactorHandler(handler: string | undefined): boolean {
  return handler !== undefined && handler.includes('PhoneFactorProtocolProvider');
}
