// What a UI (the hosted page, the headless API) may show about a session: derived, masked, safe.
import type { Channel, CodeChannel } from '../core/events/event.ts';
import type { SessionStatus } from '../core/flows/session.ts';
import type { AuthenticationMode, FactorMethod } from '../core/policy/profile.ts';

export interface RegisteredNumberView {
  index: number;
  /** e.g. "+1 •••••••0123" */
  masked: string;
  region: string | null;
}

export interface CodeSentView {
  channel: CodeChannel;
  /** Masked number (`+1 •••••••0123`) or address (`j•••@example.com`). */
  maskedTo: string;
  expiresAt: number;
  attemptsLeft: number;
  sendsLeft: number;
  /** Epoch ms from which a new code may be requested. */
  resendAvailableAt: number;
}

export interface SessionView {
  id: string;
  status: SessionStatus;
  profileId: string;
  policyId: string;
  appName: string;
  locale: string | null;
  authenticationMode: AuthenticationMode;
  /** Channels the user may pick, from authenticationMode: sms → [sms], phone → [voice], mixed → both. */
  channels: Channel[];
  manualEntryAllowed: boolean;
  autodial: boolean;
  autosubmit: boolean;
  enableCaptchaChallenge: boolean;
  codeLength: number;
  registeredNumbers: RegisteredNumberView[];
  /** Allowlisted regions (ISO alpha-2) for the country dropdown; null = every region. */
  countryAllowlist: string[] | null;
  /** countryList display names from the policy, per language (ISO → name). */
  countryNames: Record<string, Record<string, string>>;
  /** Policy string overrides per language (StringId → text). */
  stringOverrides: Record<string, Record<string, string>>;
  contentDefinition: { id: string; loadUri?: string; stylesheets: string[]; defaultLanguage: string; supportedLanguages: string[] };
  selectedNumberMasked: string | null;
  codeSent: CodeSentView | null;
  expiresAt: number;
  /** Where to send the browser once the session is verified/failed (returnUrl with result), if any. */
  returnUrl: string | null;
  /** Widget data when a CAPTCHA must be solved before the next send (provider, challenge or site key). */
  captcha?: Record<string, unknown> | null;
  /** Methods the user may verify with now (setting.methods plus unlocked fallbacks); absent = phone only. */
  methods?: FactorMethod[];
  /** The profile's fallback methods (offered after a refused phone send). */
  fallbackMethods?: FactorMethod[];
  /** How a verified session was verified. */
  verifiedMethod?: FactorMethod | null;
  /** The address an email code went or goes to, masked. */
  selectedEmailMasked?: string | null;
  /** Authenticator-app state, when the session offers it (filled by the factor flows, not by buildSessionView). */
  totp?: TotpView | null;
}

export interface TotpView {
  /** The user has an active authenticator app: the page asks for a code. */
  enrolled: boolean;
  /** An enrollment started on the hosted page and not confirmed yet (QR code and key to show). */
  pending: { uri: string; qrSvgDataUrl: string; secret: string } | null;
  digits: number;
}

/** An email code request: a new address, or none to resend to the address already chosen. */
export interface EmailSendRequest {
  email?: string;
  captcha?: string;
}

/** A sign-in with the authenticator app: a current code, or one of the recovery codes. */
export interface TotpSubmission {
  code?: string;
  recoveryCode?: string;
}

export interface SendRequest {
  /** A new number typed by the user (E.164, or national with `country`). */
  phoneNumber?: string;
  /** ISO region chosen in the dropdown for national-format input. */
  country?: string;
  /** Index into the registered numbers. */
  phoneIndex?: number;
  channel: Channel;
  /** A CAPTCHA solution token (ALTCHA payload, Turnstile/hCaptcha/reCAPTCHA response). */
  captcha?: string;
}

export interface SendOutcome {
  view: SessionView;
  sent: CodeSentView;
}

export interface VerifyOutcome {
  view: SessionView;
  /** The signed result (JWT). */
  result: string;
  /** returnUrl with `result` (and `state` style parameters) appended, when the session has one. */
  redirectTo: string | null;
}
