// What a UI (the hosted page, the headless API) may show about a session: derived, masked, safe.
import type { Channel } from '../core/events/event.ts';
import type { SessionStatus } from '../core/flows/session.ts';
import type { AuthenticationMode } from '../core/policy/profile.ts';

export interface RegisteredNumberView {
  index: number;
  /** e.g. "+1 •••••••0123" */
  masked: string;
  region: string | null;
}

export interface CodeSentView {
  channel: Channel;
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
