// How provider failures become TelephonyErrors with short, secret-free messages: which Twilio
// codes mean "this number cannot be served" (a retry will not help) versus Twilio or the account
// failing, and what to say when a request never got an answer at all.
import { TelephonyError } from '../../ports.ts';

/**
 * Twilio error codes that refuse the destination itself.
 * https://www.twilio.com/docs/api/errors/<code>
 */
export const twilioNumberRejectedCodes: ReadonlySet<number> = new Set([
  13223, // Dial: invalid phone number format
  13224, // Dial: invalid phone number
  13225, // Dial: forbidden phone number
  13227, // Dial: no international authorization (geo permissions)
  21211, // invalid 'To' phone number
  21214, // 'To' phone number cannot be reached
  21215, // geo permission: account not authorized to call this number
  21216, // call blocked: number on a high-risk list
  21217, // phone number does not appear to be valid
  21401, // invalid phone number
  21407, // this phone number type does not support SMS or MMS
  21408, // permission to send an SMS has not been enabled for the region
  21421, // phone number is invalid
  21610, // recipient unsubscribed (replied STOP)
  21612, // 'To' number is not currently reachable via SMS
  21614, // 'To' number is not a valid mobile number
  21635, // 'To' number cannot be a landline
]);

/** The JSON body of a failed 2010-04-01 API call. */
export interface TwilioErrorBody {
  code?: number;
  message?: string;
  more_info?: string;
  status?: number;
}

/** The JSON object Twilio answered (error or resource); {} when the body is not JSON. */
export function parseTwilioJson(text: string): TwilioErrorBody {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object') return value as TwilioErrorBody;
  } catch {
    // Proxies and outages answer HTML; the HTTP status still says enough.
  }
  return {};
}

/**
 * `secrets` are scrubbed from Twilio's own wording before it reaches an error message (and so
 * the logs): the token, the code and the SMS text must never be echoed back.
 */
export function twilioError(
  what: string,
  httpStatus: number,
  body: TwilioErrorBody,
  secrets: readonly string[],
): TelephonyError {
  const code = typeof body.code === 'number' ? body.code : undefined;
  const detail = typeof body.message === 'string' ? scrub(body.message, secrets).slice(0, 300) : 'no error body';
  const label = code === undefined ? `HTTP ${httpStatus}` : `HTTP ${httpStatus}, Twilio ${code}`;
  return new TelephonyError(
    `Twilio refused the ${what} (${label}): ${detail}`,
    'twilio',
    code,
    code !== undefined && twilioNumberRejectedCodes.has(code),
  );
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first: the SMS text contains the code, and must be caught whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}

export function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/**
 * undici's own message is just "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND…) is the
 * system code in `cause`. Only that code is kept: other messages could quote URLs or bodies.
 */
export function describeFetchFailure(error: unknown, timeoutMs: number): string {
  if (isTimeout(error)) return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error as Error & { cause?: unknown }).cause : undefined;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : '';
  return /^[A-Z0-9_]{1,40}$/.test(code) ? `network error (${code})` : 'network error';
}
