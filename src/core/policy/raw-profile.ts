// The format-neutral shape both loaders (native YAML/JSON and B2C XML) reduce a PhoneFactor
// technical profile to, before the shared rules in profile-rules.ts give it meaning. Keeping one
// intermediate shape is what makes the two formats behave identically.
import type { ContentDefinitionLookup } from './profile-rules.ts';
import type { Location } from './problems.ts';

export interface RawMetadataItem extends Location {
  key: string;
  /** B2C writes every value as text; the native format may also use YAML/JSON booleans. */
  value: string | boolean;
}

export interface RawClaim extends Location {
  claimTypeReferenceId: string;
  partnerClaimType?: string;
}

export interface RawProfile extends Location {
  id: string;
  displayName?: string;
  /** The policy the profile is published under (the leaf of an XML inheritance chain). */
  policyId: string;
  /** Effective metadata, one item per key, in the order written. */
  metadata: RawMetadataItem[];
  inputClaims: RawClaim[];
  outputClaims: RawClaim[];
}

/** One policy, ready for the rules: its profiles and the content definitions they may use. */
export interface ResolvedPolicy {
  policyId: string;
  /** Where the PolicyId is written (the leaf file, for an XML chain). */
  at: Location;
  /** Every file that contributed, base first. */
  files: string[];
  profiles: RawProfile[];
  contentDefinitions: ContentDefinitionLookup;
}

/**
 * The metadata keys of the PhoneFactor technical profile (B2C docs, 2024 revision), plus
 * Tollgate's `setting.methods` / `setting.fallbackMethods` (stronger factors, docs/factors.md).
 */
export const knownMetadataKeys = [
  'ContentDefinitionReferenceId',
  'ManualPhoneNumberEntryAllowed',
  'setting.authenticationMode',
  'setting.autodial',
  'setting.autosubmit',
  'setting.enableCaptchaChallenge',
  'setting.methods',
  'setting.fallbackMethods',
] as const;

/** The StringIds of the phone factor page (`api.phonefactor`), for spotting typos in overrides. */
export const phonePageStringIds: ReadonlySet<string> = new Set([
  'heading',
  'intro',
  'button_verify',
  'button_send_code',
  'button_verify_code',
  'button_retry',
  'button_cancel',
  'text_button_send_second_code',
  'enter_code_text_intro',
  'alternative_text',
  'country_code_label',
  'country_code_input_placeholder_text',
  'countryList',
  'number_label',
  'local_number_input_placeholder_text',
  'number_pattern',
  'invalid_number',
  'requiredField_number',
  'requiredField_countryCode',
  'verification_code_input_placeholder_text',
  'code_pattern',
  'invalid_code',
  'requiredField_code',
  'error_incorrect_code',
  'error_tryagain',
  'error_448',
  'error_449',
  'error_sms_throttled',
  'error_phone_throttled',
  'error_throttled',
  'cancel_message',
  'intro_sms',
  'intro_phone',
  'intro_mixed',
  'intro_sms_p',
  'intro_phone_p',
  'intro_mixed_p',
  'intro_entry_sms',
  'intro_entry_phone',
  'intro_entry_mixed',
]);
