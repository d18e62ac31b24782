// Shared builders for tests: a profile and a session with sensible defaults.
import type { PhoneFactorSession } from '../../src/core/flows/session.ts';
import type { PhoneFactorProfile } from '../../src/core/policy/profile.ts';

export function profileFixture(over: Partial<PhoneFactorProfile> = {}): PhoneFactorProfile {
  return {
    id: 'PhoneFactor-InputOrVerify',
    policyId: 'B2C_1A_test',
    source: 'test.yaml:1',
    contentDefinitionReferenceId: 'api.phonefactor',
    contentDefinition: {
      id: 'api.phonefactor',
      stylesheets: [],
      defaultLanguage: 'en',
      supportedLanguages: [],
      strings: {},
      countryAllowlist: ['US', 'GB', 'FR'],
      countryNames: {},
    },
    manualPhoneNumberEntryAllowed: true,
    authenticationMode: 'mixed',
    autodial: false,
    autosubmit: true,
    enableCaptchaChallenge: false,
    methods: ['phone'],
    fallbackMethods: [],
    inputClaims: {
      userId: { claimType: 'userIdForMFA', partnerClaimType: 'UserId' },
      phoneNumbers: [
        { claimType: 'strongAuthenticationPhoneNumber', partnerClaimType: 'strongAuthenticationPhoneNumber' },
        { claimType: 'secondaryStrongAuthenticationPhoneNumber', partnerClaimType: 'secondaryStrongAuthenticationPhoneNumber' },
      ],
    },
    outputClaims: {
      newPhoneNumberEntered: { claimType: 'newPhoneNumberEntered', partnerClaimType: 'newPhoneNumberEntered' },
      verifiedPhoneNumber: { claimType: 'Verified.strongAuthenticationPhoneNumber', partnerClaimType: 'Verified.OfficePhone' },
    },
    ...over,
  };
}

export function sessionFixture(over: Partial<PhoneFactorSession> = {}): PhoneFactorSession {
  return {
    id: 'sessionid-0123456789abcdef',
    appId: 'app',
    profileId: 'PhoneFactor-InputOrVerify',
    policyId: 'B2C_1A_test',
    userId: 'user-1',
    registeredNumbers: [],
    returnUrl: null,
    locale: null,
    nonce: null,
    client: { ip: '203.0.113.5', userAgent: 'test' },
    correlationId: 'corr-1',
    status: 'created',
    createdAt: 1_000_000,
    updatedAt: 1_000_000,
    expiresAt: 1_000_000 + 1_800_000,
    selectedNumber: null,
    newPhoneNumberEntered: false,
    sendCount: 0,
    lastSendAt: null,
    code: null,
    verifiedAt: null,
    failureReason: null,
    kind: 'phone_factor',
    version: 0,
    ...over,
  };
}
