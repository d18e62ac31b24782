// English strings of the hosted phone-factor page: the Azure AD B2C `api.phonefactor` StringIds
// (same ids, so policy overrides carry over) plus Tollgate's own additions. {name} = placeholder.

export const en = {
  // ---- B2C api.phonefactor StringIds ----
  heading: 'Verify your phone number',
  button_verify: 'Call Me',
  button_send_code: 'Send Code',
  button_verify_code: 'Verify Code',
  button_retry: 'Retry',
  button_cancel: 'Cancel',
  text_button_send_second_code: 'send a new code',
  enter_code_text_intro: 'Enter your verification code below, or',
  alternative_text: "I don't have my phone",
  country_code_label: 'Country Code',
  country_code_input_placeholder_text: 'Country or region',
  countryList: '{"DEFAULT":"Country/Region"}',
  number_label: 'Phone Number',
  local_number_input_placeholder_text: 'Phone number',
  number_pattern: '^\\+(?:[0-9][\\x20-]?){6,14}[0-9]$',
  invalid_number: 'Please enter a valid phone number',
  requiredField_number: 'Please enter your phone number',
  requiredField_countryCode: 'Please select your country code',
  verification_code_input_placeholder_text: 'Verification code',
  code_pattern: '\\d{{length}}',
  invalid_code: 'Please enter the {length}-digit code you received',
  requiredField_code: 'Please enter the verification code you received',
  error_incorrect_code:
    'The verification code you have entered does not match our records. Please try again, or request a new code.',
  error_tryagain: 'The phone number you provided is busy or unavailable. Please check the number and try again.',
  error_448: 'The phone number you provided is unreachable.',
  error_449: 'User has exceeded the number of retry attempts.',
  error_sms_throttled: 'You hit the limit on the number of text messages. Try again shortly.',
  error_phone_throttled: 'You hit the limit on the number of call attempts. Try again shortly.',
  error_throttled: 'You hit the limit on the number of verification attempts. Try again shortly.',
  cancel_message: 'The user has canceled multifactor authentication',
  intro_sms: 'We have the following number on record for you. We will send a code via SMS to authenticate you.',
  intro_phone: 'We have the following number on record for you. We will call you to authenticate you.',
  intro_mixed:
    'We have the following number on record for you. We can send a code via SMS or call you to authenticate you.',
  intro_sms_p:
    'We have the following numbers on record for you. Choose a number that we can send a code via SMS to authenticate you.',
  intro_phone_p:
    'We have the following numbers on record for you. Choose a number that we can call to authenticate you.',
  intro_mixed_p:
    'We have the following numbers on record for you. Choose a number that we can call or send a code via SMS to authenticate you.',
  intro_entry_sms: 'Enter a number below that we can send a code via SMS to authenticate you.',
  intro_entry_phone: 'Enter a number below that we can call to authenticate you.',
  intro_entry_mixed: 'Enter a number below that we can send a code via SMS or call to authenticate you.',

  // ---- Tollgate additions ----
  error_country_not_allowed: 'Phone numbers from this country or region are not accepted here. Please use another number.',
  error_code_expired: 'This code has expired. Please ask for a new code.',
  error_session_expired: 'This verification has expired. Please go back to the app and start again.',
  error_session_not_found: 'This verification link is not valid, or it has already been used.',
  error_invalid_request: 'Something in the form was not right. Please check it and try again.',
  error_csrf: 'This form has expired or was not sent from this page. Please reload the page and try again.',
  text_code_sent_sms: 'We sent a code to {number}.',
  text_code_sent_voice: 'We are calling {number} to read you a code.',
  text_attempts_left: 'Attempts left: {count}',
  text_resend_in: 'You can ask for a new code in {seconds} s.',
  text_verified: 'Your phone number is verified.',
  text_failed: 'We could not verify your phone number.',
  text_cancelled: 'You cancelled the phone verification.',
  text_for_app: '{app} asks you to confirm a phone number.',
  text_number_hint: 'Choose your country, then enter your number without the country code.',
  text_code_hint: 'The code has {length} digits.',
  text_sending: 'Sending…',
  label_choose_number: 'Choose a number',
  label_new_number: 'Or use another number',
  label_channel: 'How should we reach you?',
  button_continue: 'Continue',
  button_reload: 'Reload the page',
  skip_to_content: 'Skip to content',
  page_title: 'Phone verification',
};

export type StringId = keyof typeof en;
