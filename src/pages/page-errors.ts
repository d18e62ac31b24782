// Turns what the service threw into the message the page shows (B2C StringIds first), the field it
// concerns and the HTTP status. Unknown errors become a generic message: never a stack trace.
import type { CodeChannel } from '../core/events/event.ts';
import { TollgateError } from '../core/errors.ts';
import type { StringId, Translator } from '../core/i18n/strings/index.ts';
import type { FactorMethod } from '../core/policy/profile.ts';
import type { ErrorField, PageError } from './page-context.ts';

export interface ErrorContext {
  /** Channel of the send that failed, for the throttling message. */
  channel?: CodeChannel | null;
  codeLength?: number;
  /** `totp` for the authenticator-app forms (their wrong-code messages differ). */
  method?: FactorMethod | null;
  /** The authenticator form was the recovery-code one. */
  recovery?: boolean;
}

function messageIdFor(err: TollgateError, channel: CodeChannel | null | undefined, ctx: ErrorContext): StringId {
  if (ctx.method === 'totp') {
    if (err.code === 'invalid_code') return ctx.recovery ? 'error_recovery_incorrect' : 'error_totp_incorrect';
    if (err.code === 'too_many_attempts') return 'error_totp_locked';
    if (err.code === 'invalid_request') return ctx.recovery ? 'error_recovery_incorrect' : 'error_totp_incorrect';
  }
  switch (err.code) {
    case 'invalid_code':
      return 'error_incorrect_code';
    case 'too_many_attempts':
      return 'error_449';
    case 'too_many_sends':
    case 'velocity_exceeded':
      return channel === 'sms' ? 'error_sms_throttled' : channel === 'voice' ? 'error_phone_throttled' : channel === 'email' ? 'error_email_throttled' : 'error_throttled';
    case 'invalid_email_address':
      return 'error_invalid_email';
    case 'email_domain_not_allowed':
      return 'error_email_domain';
    case 'channel_not_allowed':
      return channel === 'email' || ctx.method === 'totp' ? 'error_method_unavailable' : 'error_tryagain';
    case 'totp_not_enrolled':
      return 'error_method_unavailable';
    case 'resend_cooldown':
    case 'rate_limited':
      return 'error_throttled';
    case 'invalid_phone_number':
      return 'invalid_number';
    case 'phone_number_required':
      return 'requiredField_number';
    case 'number_type_blocked':
      return 'error_number_type';
    case 'bad_reputation':
      return 'error_bad_reputation';
    case 'channel_disabled':
      return 'error_channel_disabled';
    case 'captcha_required':
    case 'captcha_failed':
    case 'ip_reputation':
      return 'error_captcha';
    case 'pumping_suspected':
      return 'error_paused';
    case 'spend_cap_reached':
      return 'error_throttled';
    case 'location_not_allowed':
      return 'error_location';
    case 'country_not_allowed':
      return 'error_country_not_allowed';
    case 'provider_error':
    case 'delivery_failed':
      return channel === 'email' ? 'error_email_failed' : 'error_448';
    case 'code_expired':
      return 'error_code_expired';
    case 'session_expired':
      return 'error_session_expired';
    case 'session_not_found':
      return 'error_session_not_found';
    case 'session_completed':
      return 'error_session_completed';
    case 'session_failed':
      return 'text_failed';
    case 'user_cancelled':
      return 'text_cancelled';
    case 'no_code_sent':
      return 'error_no_code_sent';
    case 'csrf_failed':
      return 'error_csrf';
    case 'invalid_request':
      return err.steering.field === 'country' ? 'requiredField_countryCode' : 'error_invalid_request';
    default:
      return 'error_tryagain';
  }
}

function fieldFor(err: TollgateError, ctx: ErrorContext): ErrorField {
  if (ctx.method === 'totp' && (err.code === 'invalid_code' || err.code === 'invalid_request')) return ctx.recovery ? 'recoveryCode' : 'code';
  switch (err.code) {
    case 'invalid_email_address':
    case 'email_domain_not_allowed':
      return 'email';
    case 'delivery_failed':
      return ctx.channel === 'email' ? 'email' : null;
    case 'invalid_code':
    case 'code_expired':
      return 'code';
    case 'invalid_phone_number':
    case 'phone_number_required':
    case 'country_not_allowed':
      return 'phoneNumber';
    case 'invalid_request':
      return err.steering.field === 'country' ? 'country' : err.steering.field === 'code' ? 'code' : null;
    default:
      return null;
  }
}

/** The page error for anything thrown by the service. Non-Tollgate errors → error_tryagain, 500. */
export function pageErrorFrom(err: unknown, tr: Translator, ctx: ErrorContext = {}): PageError {
  if (!(err instanceof TollgateError)) {
    return { message: tr.t('error_tryagain'), detail: null, field: null, status: 500 };
  }
  const { attemptsLeft, retryAfter } = err.steering;
  let detail: string | null = null;
  if (err.code === 'invalid_code' && typeof attemptsLeft === 'number') {
    detail = tr.t('text_attempts_left', { count: attemptsLeft });
  } else if ((err.code === 'resend_cooldown' || err.code === 'too_many_sends') && typeof retryAfter === 'number') {
    detail = tr.t('text_resend_in', { seconds: Math.max(1, Math.ceil(retryAfter)) });
  }
  const alternatives = (err.steering.alternatives ?? []).filter((a): a is 'email' | 'totp' => a === 'email' || a === 'totp');
  return {
    message: tr.t(messageIdFor(err, ctx.channel, ctx)),
    detail,
    field: fieldFor(err, ctx),
    status: err.status,
    ...(alternatives.length ? { alternatives } : {}),
  };
}

/** A page error from a string id, for checks the page makes itself (empty fields, bad format). */
export function fieldError(
  tr: Translator,
  id: StringId,
  field: ErrorField,
  status = 422,
  params?: Record<string, string | number>,
): PageError {
  return { message: tr.t(id, params), detail: null, field, status };
}
