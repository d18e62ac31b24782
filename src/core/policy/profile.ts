// The one Profile type every policy source (native YAML/JSON, Azure AD B2C XML) is loaded into.
// Semantics follow the Azure AD B2C PhoneFactor technical profile: see docs/policy.md.

export type AuthenticationMode = 'sms' | 'phone' | 'mixed';

/** The ways a session can be verified: the phone factor, an email code, an authenticator app. */
export type FactorMethod = 'phone' | 'email' | 'totp';
export const factorMethods: readonly FactorMethod[] = ['phone', 'email', 'totp'];

/** A claim as the policy names it (ClaimTypeReferenceId) and as the protocol names it (PartnerClaimType). */
export interface ClaimMapping {
  /** The policy's own claim name, used towards the calling app (e.g. `strongAuthenticationPhoneNumber`). */
  claimType: string;
  /** The protocol name (e.g. `UserId`, `Verified.OfficePhone`); equals claimType when the policy gives none. */
  partnerClaimType: string;
}

export interface ContentDefinition {
  id: string;
  /** Operator template (HTML file path or URL-less local path) holding `<div id="api"></div>`; absent = built-in page. */
  loadUri?: string;
  /** Extra stylesheet URL(s) the hosted page links after its own. */
  stylesheets: string[];
  dataUri?: string;
  /** Default language of the localization (B2C `SupportedLanguages@DefaultLanguage`), e.g. `en`. */
  defaultLanguage: string;
  /** Languages the page may be shown in; empty = all languages Tollgate ships. */
  supportedLanguages: string[];
  /** Per language, StringId → text overrides (B2C `LocalizedString ElementType="UxElement"`). */
  strings: Record<string, Record<string, string>>;
  /**
   * The country allowlist (ISO 3166-1 alpha-2, upper case), taken from the `countryList` string of the
   * default language. `null` means the policy sets none: every country is allowed (as in B2C).
   */
  countryAllowlist: string[] | null;
  /** Display names from the countryList JSON, per language (ISO → name). */
  countryNames: Record<string, Record<string, string>>;
}

export interface PhoneFactorProfile {
  /** TechnicalProfile Id, e.g. `PhoneFactor-InputOrVerify`. */
  id: string;
  displayName?: string;
  /** PolicyId of the policy file that (last) defined the profile, e.g. `B2C_1A_signup_signin`. */
  policyId: string;
  /** Where it was loaded from, for error messages: `file:line`. */
  source: string;
  contentDefinitionReferenceId: string;
  contentDefinition: ContentDefinition;
  manualPhoneNumberEntryAllowed: boolean;
  authenticationMode: AuthenticationMode;
  autodial: boolean;
  autosubmit: boolean;
  enableCaptchaChallenge: boolean;
  /** `setting.methods`: what the user may verify with, in the order offered (default `[phone]`). */
  methods: FactorMethod[];
  /** `setting.fallbackMethods`: offered only once a phone send is refused by the country allowlist or a defense block. */
  fallbackMethods: Exclude<FactorMethod, 'phone'>[];
  inputClaims: {
    /** The claim whose name or PartnerClaimType is `UserId`. */
    userId: ClaimMapping;
    /** Each holds at most one phone number: none set → enroll, one → verify, several → user chooses. */
    phoneNumbers: ClaimMapping[];
  };
  outputClaims: {
    /** PartnerClaimType `newPhoneNumberEntered` (boolean). */
    newPhoneNumberEntered: ClaimMapping;
    /** PartnerClaimType `Verified.OfficePhone` (string, E.164). */
    verifiedPhoneNumber: ClaimMapping;
  };
}

export interface PolicyWarning {
  source: string; // file:line
  message: string;
}

/**
 * The effective set of phone-factor profiles, after inheritance, keyed `${policyId}/${profileId}`
 * (see find-profile.ts). Built by src/core/policy/policy-set.ts.
 */
export interface LoadedPolicySet {
  profiles: Map<string, PhoneFactorProfile>;
  warnings: PolicyWarning[];
  /** Files that were read, in load order. */
  files: string[];
}

/** A malformed policy: names the file, line and element at fault. */
export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly element: string | undefined,
    readonly detail: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}${element ? ` <${element}>` : ''}: ${detail}`);
    this.name = 'PolicyError';
  }
}
