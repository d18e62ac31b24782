// One list of reason codes shared by events, API error answers and docs (docs/events.md).
// Each code has the B2C-compatible `ResultDescription` text the stock workbook filters on.

export const ReasonCode = {
  OK: 'ok',
  // input
  INVALID_REQUEST: 'invalid_request',
  INVALID_PHONE_NUMBER: 'invalid_phone_number',
  PHONE_NUMBER_REQUIRED: 'phone_number_required',
  PHONE_NUMBER_NOT_REGISTERED: 'phone_number_not_registered',
  MANUAL_ENTRY_NOT_ALLOWED: 'manual_entry_not_allowed',
  CHANNEL_NOT_ALLOWED: 'channel_not_allowed',
  TOO_MANY_PHONE_NUMBERS: 'too_many_phone_numbers',
  PROFILE_NOT_FOUND: 'profile_not_found',
  RETURN_URL_NOT_ALLOWED: 'return_url_not_allowed',
  // policy / defense
  COUNTRY_NOT_ALLOWED: 'country_not_allowed',
  // codes
  INVALID_CODE: 'invalid_code',
  CODE_EXPIRED: 'code_expired',
  NO_CODE_SENT: 'no_code_sent',
  TOO_MANY_ATTEMPTS: 'too_many_attempts',
  TOO_MANY_SENDS: 'too_many_sends',
  RESEND_COOLDOWN: 'resend_cooldown',
  // session
  SESSION_NOT_FOUND: 'session_not_found',
  SESSION_EXPIRED: 'session_expired',
  SESSION_COMPLETED: 'session_completed',
  SESSION_FAILED: 'session_failed',
  USER_CANCELLED: 'user_cancelled',
  // telephony
  PROVIDER_ERROR: 'provider_error',
  DELIVERY_FAILED: 'delivery_failed',
  // auth
  UNAUTHORIZED: 'unauthorized',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not_found',
  CSRF_FAILED: 'csrf_failed',
  PAYLOAD_TOO_LARGE: 'payload_too_large',
  RATE_LIMITED: 'rate_limited',
  INTERNAL_ERROR: 'internal_error',
} as const;

export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

/** Human, B2C-style result descriptions (the stock workbook's `ResultDescription`). */
export const reasonDescriptions: Record<ReasonCode, string> = {
  ok: 'N/A',
  invalid_request: 'The request is malformed.',
  invalid_phone_number: 'The phone number entered is invalid.',
  phone_number_required: 'No phone number was given and the policy does not allow entering one.',
  phone_number_not_registered: 'The phone number is not one of the numbers registered for this session.',
  manual_entry_not_allowed: 'The policy does not allow entering a new phone number.',
  channel_not_allowed: 'The policy does not allow this verification method.',
  too_many_phone_numbers: 'More phone numbers were given than the profile has phone-number claims.',
  profile_not_found: 'The phone-factor profile does not exist.',
  return_url_not_allowed: 'The return URL is not registered for this application.',
  country_not_allowed: 'The country or region of this phone number is not allowed.',
  invalid_code: 'Phone verification code is incorrect',
  code_expired: 'The verification code has expired.',
  no_code_sent: 'No verification code has been sent for this session yet.',
  too_many_attempts: 'User has exceeded the number of retry attempts.',
  too_many_sends: 'Too many attempts by user in a short period of time. Throttling.',
  resend_cooldown: 'There are too many requests at this moment. Please wait for some time and try again.',
  session_not_found: 'The phone verification session does not exist.',
  session_expired: 'The phone verification session has expired.',
  session_completed: 'The phone verification session is already complete.',
  session_failed: 'The phone verification session has failed.',
  user_cancelled: 'The user has canceled multifactor authentication',
  provider_error: 'Our provider could not send a call or message to the specified phone number.',
  delivery_failed: 'The message could not be delivered to the phone number.',
  unauthorized: 'Authentication is required.',
  forbidden: 'This action is not allowed.',
  not_found: 'Not found.',
  csrf_failed: 'The form has expired or was not sent from this page; reload and try again.',
  payload_too_large: 'The request body is too large.',
  rate_limited: 'Too many requests; slow down.',
  internal_error: 'An internal error occurred.',
};
