// Reads Tollgate's answers the way a client steers by them: sent, challenged (CAPTCHA), blocked by
// the defense, throttled (wait retryAfter), rejected as bad input, or a provider failure.
import { DefenseReasonCode } from '../../core/defense/decision.ts';
import type { ApiResponse } from './client.ts';

export type SendStatus = 'sent' | 'challenged' | 'blocked' | 'throttled' | 'rejected' | 'failed' | 'error';

export interface SendAnswer {
  status: SendStatus;
  code: string | null;
  retryAfter: number | null;
  alternatives: string[];
  /** What error.captcha said (provider, challenge), when challenged. */
  captcha: Record<string, unknown> | null;
}

// A refused CAPTCHA answer is a challenge not passed, not a block by the defense.
const challengeCodes = new Set<string>([DefenseReasonCode.CAPTCHA_REQUIRED, DefenseReasonCode.CAPTCHA_FAILED]);
const blockCodes = new Set<string>(Object.values(DefenseReasonCode).filter((c) => !challengeCodes.has(c)));
const throttleCodes = new Set(['resend_cooldown', 'too_many_sends', 'rate_limited']);
const rejectCodes = new Set(['invalid_request', 'invalid_phone_number', 'phone_number_required', 'phone_number_not_registered', 'manual_entry_not_allowed', 'channel_not_allowed', 'too_many_phone_numbers']);
const failureCodes = new Set(['provider_error', 'delivery_failed']);

export function readSendAnswer(res: ApiResponse): SendAnswer {
  if (res.status === 200) return { status: 'sent', code: null, retryAfter: null, alternatives: [], captcha: null };
  const error = (res.body && typeof res.body === 'object' ? (res.body as { error?: Record<string, unknown> }).error : undefined) ?? {};
  const code = typeof error.code === 'string' ? error.code : null;
  const retryAfter = typeof error.retryAfter === 'number' && error.retryAfter > 0 ? error.retryAfter : null;
  const alternatives = Array.isArray(error.alternatives) ? error.alternatives.filter((a): a is string => typeof a === 'string') : [];
  const captcha = error.captcha && typeof error.captcha === 'object' ? (error.captcha as Record<string, unknown>) : null;
  let status: SendStatus = 'error';
  if (code && challengeCodes.has(code)) status = 'challenged';
  else if (code && blockCodes.has(code)) status = 'blocked';
  else if (code && throttleCodes.has(code)) status = 'throttled';
  else if (code && rejectCodes.has(code)) status = 'rejected';
  else if (code && failureCodes.has(code)) status = 'failed';
  return { status, code, retryAfter, alternatives, captcha };
}

/** The CAPTCHA answer the test-mode `simulated` provider accepts for a session. */
export function simulatedCaptchaToken(sessionId: string): string {
  return `solved:${sessionId}`;
}
