// The PhoneFactor technical profile rules (metadata defaults, claim contract, autodial limits),
// applied to a RawProfile from either policy format. Every message names the item at fault.
import type { AuthenticationMode, ClaimMapping, ContentDefinition, PhoneFactorProfile } from './profile.ts';
import { type Location, type Problems, sourceOf } from './problems.ts';
import { readFallbackMethods, readMethods } from './method-rules.ts';
import { knownMetadataKeys, type RawClaim, type RawMetadataItem, type RawProfile } from './raw-profile.ts';

/**
 * The content definitions a profile may reference. A Map fits; the XML loader builds them lazily,
 * and `get` gives undefined for one that `has` but could not be built (its errors are already
 * recorded, so the profile adds none of its own).
 */
export interface ContentDefinitionLookup {
  has(id: string): boolean;
  get(id: string): ContentDefinition | undefined;
  keys(): Iterable<string>;
}

const modes: readonly AuthenticationMode[] = ['sms', 'phone', 'mixed'];

function mapping(claim: RawClaim): ClaimMapping {
  return { claimType: claim.claimTypeReferenceId, partnerClaimType: claim.partnerClaimType ?? claim.claimTypeReferenceId };
}

function names(claim: RawClaim, name: string): boolean {
  return claim.claimTypeReferenceId === name || claim.partnerClaimType === name;
}

function describe(claims: RawClaim[]): string {
  return claims.map((c) => `${c.claimTypeReferenceId} (${sourceOf(c)})`).join(', ');
}

function readBoolean(item: RawMetadataItem | undefined, fallback: boolean, problems: Problems): boolean {
  if (!item) return fallback;
  if (typeof item.value === 'boolean') return item.value;
  const text = item.value.trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  problems.error(item, `${item.key} must be true or false, not "${item.value}"`);
  return fallback;
}

function readMode(item: RawMetadataItem | undefined, problems: Problems): AuthenticationMode {
  if (!item) return 'mixed';
  const text = String(item.value).trim();
  if ((modes as readonly string[]).includes(text)) return text as AuthenticationMode;
  problems.error(item, `setting.authenticationMode must be one of sms, phone, mixed, not "${item.value}"`);
  return 'mixed';
}

/**
 * Applies the rules to one profile. Records every problem it finds and returns null when any of
 * them is an error, so one bad profile does not hide the others.
 */
export function buildProfile(
  raw: RawProfile,
  contentDefinitions: ContentDefinitionLookup,
  problems: Problems,
): PhoneFactorProfile | null {
  const before = problems.errors.length;
  const meta = new Map(raw.metadata.map((item) => [item.key, item]));
  for (const item of raw.metadata) {
    if (!(knownMetadataKeys as readonly string[]).includes(item.key)) {
      problems.warn(item, `unknown metadata key "${item.key}" in profile ${raw.id}; ignored`);
    }
  }

  const cdItem = meta.get('ContentDefinitionReferenceId');
  const cdId = cdItem === undefined ? '' : String(cdItem.value).trim();
  const contentDefinition = contentDefinitions.get(cdId);
  if (!cdItem || cdId === '') {
    problems.error(raw, `profile ${raw.id} has no ContentDefinitionReferenceId metadata (required)`);
  } else if (!contentDefinitions.has(cdId)) {
    const known = [...contentDefinitions.keys()];
    problems.error(cdItem, `content definition "${cdId}" is not defined${known.length ? ` (defined: ${known.join(', ')})` : ''}`);
  }

  const authenticationMode = readMode(meta.get('setting.authenticationMode'), problems);
  const manual = readBoolean(meta.get('ManualPhoneNumberEntryAllowed'), false, problems);
  const autodialItem = meta.get('setting.autodial');
  const autodial = readBoolean(autodialItem, false, problems);
  const autosubmit = readBoolean(meta.get('setting.autosubmit'), true, problems);
  const captcha = readBoolean(meta.get('setting.enableCaptchaChallenge'), false, problems);
  const methods = readMethods(meta.get('setting.methods'), problems);
  const fallbackMethods = readFallbackMethods(meta.get('setting.fallbackMethods'), methods, problems);

  const inputs = checkDuplicates(raw.inputClaims, 'input', problems);
  const userIds = inputs.filter((c) => names(c, 'UserId'));
  const phones = inputs.filter((c) => !names(c, 'UserId'));
  if (userIds.length === 0) {
    problems.error(
      raw,
      `profile ${raw.id} needs an input claim whose name or PartnerClaimType is UserId (e.g. userIdForMFA with PartnerClaimType="UserId")`,
    );
  } else if (userIds.length > 1) {
    problems.error(userIds[1]!, `profile ${raw.id} has several UserId input claims: ${describe(userIds)}; exactly one is allowed`);
  }
  // A profile that verifies only by email or authenticator app needs no phone number at all.
  if (phones.length === 0 && !manual && methods.includes('phone')) {
    problems.error(
      raw,
      `profile ${raw.id} has no phone-number input claim and ManualPhoneNumberEntryAllowed is false: no number could ever be verified`,
    );
  }
  if (autodial && autodialItem) {
    if (methods.length !== 1 || methods[0] !== 'phone') {
      problems.error(autodialItem, `setting.autodial=true requires setting.methods to be phone alone (it is ${methods.join(',')}): autodial would send before the user chose a method`);
    }
    if (authenticationMode === 'mixed') {
      problems.error(
        autodialItem,
        `setting.autodial=true requires setting.authenticationMode sms or phone (it is ${meta.has('setting.authenticationMode') ? '' : 'by default '}mixed): autodial must know whether to text or call`,
      );
    }
    if (phones.length !== 1) {
      problems.error(
        autodialItem,
        `setting.autodial=true requires exactly one phone-number input claim; profile ${raw.id} has ${phones.length}${phones.length ? `: ${describe(phones)}` : ''}`,
      );
    }
  }

  const outputs = checkDuplicates(raw.outputClaims, 'output', problems);
  const newEntered = outputs.find((c) => names(c, 'newPhoneNumberEntered'));
  const verified = outputs.find((c) => names(c, 'Verified.OfficePhone'));
  if (!newEntered) {
    problems.error(raw, `profile ${raw.id} needs an output claim whose name or PartnerClaimType is newPhoneNumberEntered`);
  }
  if (!verified) {
    problems.error(raw, `profile ${raw.id} needs an output claim whose name or PartnerClaimType is Verified.OfficePhone`);
  }
  for (const claim of outputs) {
    if (claim !== newEntered && claim !== verified) {
      problems.warn(claim, `output claim ${claim.claimTypeReferenceId} is not produced by the PhoneFactor profile; ignored`);
    }
  }

  if (problems.errors.length > before || !contentDefinition || !newEntered || !verified || userIds.length !== 1) return null;
  return {
    id: raw.id,
    ...(raw.displayName !== undefined ? { displayName: raw.displayName } : {}),
    policyId: raw.policyId,
    source: sourceOf(raw),
    contentDefinitionReferenceId: cdId,
    contentDefinition,
    manualPhoneNumberEntryAllowed: manual,
    authenticationMode,
    autodial,
    autosubmit,
    enableCaptchaChallenge: captcha,
    methods,
    fallbackMethods,
    inputClaims: { userId: mapping(userIds[0]!), phoneNumbers: phones.map(mapping) },
    outputClaims: { newPhoneNumberEntered: mapping(newEntered), verifiedPhoneNumber: mapping(verified) },
  };
}

function checkDuplicates(claims: RawClaim[], kind: string, problems: Problems): RawClaim[] {
  const seen = new Map<string, Location>();
  const kept: RawClaim[] = [];
  for (const claim of claims) {
    const first = seen.get(claim.claimTypeReferenceId);
    if (first) {
      problems.error(claim, `${kind} claim ${claim.claimTypeReferenceId} is listed twice (first at ${sourceOf(first)})`);
      continue;
    }
    seen.set(claim.claimTypeReferenceId, claim);
    kept.push(claim);
  }
  return kept;
}
