// Looks a profile up by the name an app or operator gives: `PolicyId/ProfileId`, or a bare
// `ProfileId` when only one loaded policy has it. The same TechnicalProfile (e.g. the starter
// pack's PhoneFactor-InputOrVerify) is often published by several relying-party policies, each
// with its own effective settings, so a bare name must never silently pick one of them.
import type { LoadedPolicySet, PhoneFactorProfile } from './profile.ts';

export type FindProfileResult =
  | { profile: PhoneFactorProfile }
  | { error: 'not_found' | 'ambiguous'; candidates: string[] };

/** The key of a profile in `LoadedPolicySet.profiles`. */
export function profileKey(policyId: string, profileId: string): string {
  return `${policyId}/${profileId}`;
}

/**
 * `candidates` lists the qualified names the caller could have meant: for `ambiguous`, every policy
 * holding that profile id; for `not_found`, every profile with that id in other policies, or all
 * loaded profiles when there is none.
 */
export function findProfile(set: LoadedPolicySet, name: string): FindProfileResult {
  const trimmed = name.trim();
  const exact = set.profiles.get(trimmed);
  if (exact) return { profile: exact };

  const slash = trimmed.indexOf('/');
  const profileId = slash === -1 ? trimmed : trimmed.slice(slash + 1);
  const sameId = [...set.profiles.values()].filter((p) => p.id === profileId).map((p) => profileKey(p.policyId, p.id)).sort();

  if (slash === -1) {
    if (sameId.length === 1) return { profile: set.profiles.get(sameId[0]!)! };
    if (sameId.length > 1) return { error: 'ambiguous', candidates: sameId };
  }
  return { error: 'not_found', candidates: sameId.length > 0 ? sameId : [...set.profiles.keys()].sort() };
}
