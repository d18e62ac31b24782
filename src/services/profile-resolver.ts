// Finds the phone-factor profile a request names (bare `ProfileId` or `PolicyId/ProfileId`).
import { TollgateError } from '../core/errors.ts';
import type { PhoneFactorSession } from '../core/flows/session.ts';
import { findProfile } from '../core/policy/find-profile.ts';
import type { LoadedPolicySet, PhoneFactorProfile } from '../core/policy/profile.ts';

export class ProfileResolver {
  constructor(readonly set: LoadedPolicySet) {}

  resolve(name: string): PhoneFactorProfile {
    const found = findProfile(this.set, name);
    if ('profile' in found) return found.profile;
    const hint = found.error === 'ambiguous'
      ? `Profile "${name}" exists in several policies; name one of: ${found.candidates.join(', ')}.`
      : `No phone-factor profile "${name}". Known: ${[...this.set.profiles.keys()].join(', ')}.`;
    throw new TollgateError('profile_not_found', hint, { field: 'profile' });
  }

  resolveSession(s: PhoneFactorSession): PhoneFactorProfile {
    const profile = this.set.profiles.get(`${s.policyId}/${s.profileId}`);
    if (!profile) throw new TollgateError('profile_not_found', `The profile of this session (${s.policyId}/${s.profileId}) is no longer loaded.`);
    return profile;
  }

  /** Name and description of each profile, for the demo page and `policy check`. */
  list(): { name: string; description: string }[] {
    return [...this.set.profiles.values()].map((p) => ({
      name: `${p.policyId}/${p.id}`,
      description: `${p.displayName ?? p.id}: ${p.authenticationMode}, ${p.inputClaims.phoneNumbers.length} phone claim(s)${p.manualPhoneNumberEntryAllowed ? ', manual entry' : ''}${p.autodial ? ', autodial' : ''}`,
    }));
  }
}
