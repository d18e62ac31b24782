// Errors are values with a stable code, an HTTP status and a human message. One table maps them.
import { type ReasonCode, reasonDescriptions } from './events/reason-codes.ts';

export interface ErrorSteering {
  /** Wrong codes still allowed on the current code. */
  attemptsLeft?: number;
  /** Code sends still allowed in this session. */
  sendsLeft?: number;
  /** Seconds until the action may be retried. */
  retryAfter?: number;
  /** Other channels the caller may try instead. */
  alternatives?: string[];
  /** Field at fault, for validation errors. */
  field?: string;
  [key: string]: unknown;
}

const statusByCode: Partial<Record<ReasonCode, number>> = {
  invalid_request: 400,
  invalid_phone_number: 400,
  phone_number_required: 422,
  phone_number_not_registered: 422,
  manual_entry_not_allowed: 422,
  channel_not_allowed: 422,
  too_many_phone_numbers: 422,
  profile_not_found: 422,
  return_url_not_allowed: 422,
  invalid_email_address: 400,
  country_not_allowed: 403,
  number_type_blocked: 403,
  channel_disabled: 403,
  bad_reputation: 403,
  ip_reputation: 428,
  velocity_exceeded: 429,
  pumping_suspected: 403,
  spend_cap_reached: 503,
  location_not_allowed: 403,
  captcha_required: 428,
  captcha_failed: 428,
  email_domain_not_allowed: 403,
  invalid_code: 422,
  code_expired: 410,
  no_code_sent: 409,
  too_many_attempts: 429,
  too_many_sends: 429,
  resend_cooldown: 429,
  totp_not_enrolled: 409,
  session_not_found: 404,
  session_expired: 410,
  session_completed: 409,
  session_failed: 409,
  user_cancelled: 409,
  provider_error: 502,
  delivery_failed: 502,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  csrf_failed: 403,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
};

export class TollgateError extends Error {
  readonly status: number;
  constructor(
    readonly code: ReasonCode,
    message?: string,
    readonly steering: ErrorSteering = {},
  ) {
    super(message ?? reasonDescriptions[code]);
    this.name = 'TollgateError';
    this.status = statusByCode[code] ?? 400;
  }

  toJSON(): { error: { code: ReasonCode; message: string } & ErrorSteering } {
    return { error: { code: this.code, message: this.message, ...this.steering } };
  }
}

export function httpStatusOf(code: ReasonCode): number {
  return statusByCode[code] ?? 400;
}
