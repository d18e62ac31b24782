// Reading Twilio's delivery-status callbacks (POST /v1/telephony/twilio/status) and checking
// they really come from Twilio (X-Twilio-Signature), so nobody can forge "delivered" or "failed".
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Channel } from '../../core/events/event.ts';

export interface TwilioStatusUpdate {
  /** The SM…/MM… or CA… sid returned when the message or call was created. */
  providerMessageId: string;
  channel: Channel;
  /** Twilio's own status word: queued, sent, delivered, undelivered, failed / ringing, completed, busy, no-answer… */
  status: string;
  errorCode?: string;
  durationSeconds?: number;
}

const sidPattern = /^[A-Z]{2}[0-9a-zA-Z]{1,62}$/;
const statusPattern = /^[a-z][a-z_-]{0,31}$/;

function field(params: Record<string, string>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : undefined;
}

/**
 * Messaging callbacks carry MessageSid/MessageStatus (older accounts also SmsSid/SmsStatus); call
 * callbacks carry CallSid/CallStatus and, once over, CallDuration. Returns null for anything else.
 */
export function parseTwilioStatusCallback(params: Record<string, string>): TwilioStatusUpdate | null {
  const callSid = field(params, 'CallSid');
  const messageSid = field(params, 'MessageSid') ?? field(params, 'SmsSid');
  // Messages sent from a call leg carry both; the message is what the callback is about then.
  const channel: Channel | null = messageSid ? 'sms' : callSid ? 'voice' : null;
  if (!channel) return null;
  const sid = (channel === 'sms' ? messageSid : callSid)!;
  const status = (
    channel === 'sms' ? field(params, 'MessageStatus') ?? field(params, 'SmsStatus') : field(params, 'CallStatus')
  )?.toLowerCase();
  if (!sidPattern.test(sid) || !status || !statusPattern.test(status)) return null;

  const update: TwilioStatusUpdate = { providerMessageId: sid, channel, status };
  const errorCode = field(params, 'ErrorCode');
  if (errorCode && /^\d{1,6}$/.test(errorCode)) update.errorCode = errorCode;
  const duration = field(params, 'CallDuration');
  if (channel === 'voice' && duration && /^\d{1,7}$/.test(duration)) update.durationSeconds = Number(duration);
  return update;
}

/** base64 HMAC-SHA1 over the URL followed by every POST param, sorted by name, as name+value. */
export function computeTwilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const hmac = createHmac('sha1', authToken);
  hmac.update(url, 'utf8');
  for (const name of Object.keys(params).sort()) hmac.update(name + params[name], 'utf8');
  return hmac.digest('base64');
}

/**
 * Twilio signs the URL as it called it; behind proxies the scheme's default port may or may not
 * appear in it, so (like Twilio's own helpers) both spellings are accepted.
 */
function urlVariants(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  const defaultPort = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : '';
  if (!defaultPort) return [url];
  const authority = `${parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : ''}${parsed.hostname}`;
  const rest = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  const withPort = `${parsed.protocol}//${authority}:${parsed.port || defaultPort}${rest}`;
  const withoutPort = parsed.port && parsed.port !== defaultPort ? url : `${parsed.protocol}//${authority}${rest}`;
  return [...new Set([url, withPort, withoutPort])];
}

export function validateTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
  signature: string | null | undefined,
): boolean {
  if (!authToken || typeof signature !== 'string' || signature.length === 0) return false;
  const given = Buffer.from(signature, 'utf8');
  let valid = false;
  for (const candidate of urlVariants(url)) {
    const expected = Buffer.from(computeTwilioSignature(authToken, candidate, params), 'utf8');
    // timingSafeEqual demands equal lengths; a length mismatch reveals nothing about the token.
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}
