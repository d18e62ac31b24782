// Derives the safe, masked view of a session that UIs render (see phone-factor-view.ts).
import type { CodeRules } from '../core/codes/one-time-code.ts';
import type { PhoneFactorSession } from '../core/flows/session.ts';
import * as flow from '../core/flows/transitions.ts';
import { maskEmail } from '../core/email/address.ts';
import { maskPhoneNumber, parsePhoneNumber } from '../core/phone/phone-number.ts';
import type { PhoneFactorProfile } from '../core/policy/profile.ts';
import type { CodeSentView, SessionView } from './phone-factor-view.ts';
import { type EnabledFactors, fallbackMethodsOf, offeredMethods, verifiedMethod } from './session-methods.ts';

export function codeSentView(s: PhoneFactorSession, rules: CodeRules): CodeSentView | null {
  if (s.status !== 'code_sent' || !s.code) return null;
  return {
    channel: s.code.channel,
    maskedTo: s.code.channel === 'email' ? maskEmail(s.code.email ?? '') : maskPhoneNumber(s.code.phoneNumber ?? ''),
    expiresAt: s.code.expiresAt,
    attemptsLeft: flow.attemptsLeft(s, rules),
    sendsLeft: flow.sendsLeft(s, rules),
    resendAvailableAt: flow.resendAvailableAt(s, rules),
  };
}

export function buildSessionView(
  s: PhoneFactorSession,
  profile: PhoneFactorProfile,
  ctx: { codeRules: CodeRules; appName: string; factors?: EnabledFactors },
): SessionView {
  const factors = ctx.factors ?? { email: true, totp: true };
  const cd = profile.contentDefinition;
  return {
    id: s.id,
    status: s.status,
    profileId: s.profileId,
    policyId: s.policyId,
    appName: ctx.appName,
    locale: s.locale,
    authenticationMode: profile.authenticationMode,
    channels: flow.channelsFor(profile.authenticationMode),
    manualEntryAllowed: profile.manualPhoneNumberEntryAllowed,
    autodial: profile.autodial,
    autosubmit: profile.autosubmit,
    enableCaptchaChallenge: profile.enableCaptchaChallenge,
    codeLength: ctx.codeRules.length,
    registeredNumbers: s.registeredNumbers.map((n, index) => ({
      index,
      masked: maskPhoneNumber(n),
      region: parsePhoneNumber(n)?.region ?? null,
    })),
    countryAllowlist: cd.countryAllowlist,
    countryNames: cd.countryNames,
    stringOverrides: cd.strings,
    contentDefinition: { id: cd.id, loadUri: cd.loadUri, stylesheets: cd.stylesheets, defaultLanguage: cd.defaultLanguage, supportedLanguages: cd.supportedLanguages },
    selectedNumberMasked: s.selectedNumber ? maskPhoneNumber(s.selectedNumber) : null,
    codeSent: codeSentView(s, ctx.codeRules),
    expiresAt: s.expiresAt,
    returnUrl: s.returnUrl,
    methods: offeredMethods(profile, s, factors),
    fallbackMethods: fallbackMethodsOf(profile, factors),
    selectedEmailMasked: s.selectedEmail ? maskEmail(s.selectedEmail) : null,
    verifiedMethod: s.status === 'verified' ? verifiedMethod(s) : null,
  };
}
