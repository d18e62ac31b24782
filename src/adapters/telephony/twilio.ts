// Twilio telephony: SMS through the Messages API, voice through the Calls API with inline TwiML.
// Talks HTTP directly (no SDK) so the wire format is visible and testable against a fake server.
import type { OutboundMessage, SendResult, Telephony } from '../../ports.ts';
import { TelephonyError } from '../../ports.ts';
import { voiceLanguageTag } from '../../core/i18n/messages.ts';
import { describeFetchFailure, parseTwilioJson, twilioError } from './provider-errors.ts';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** SMS sender (E.164 or alphanumeric sender id); also the caller id when `voiceFrom` is unset. */
  from?: string;
  /** Preferred over `from` for SMS: Twilio picks the sender from the service's pool. */
  messagingServiceSid?: string;
  /** Caller id for voice calls (must be a voice-capable Twilio number). */
  voiceFrom?: string;
  baseUrl?: string;
  timeoutMs?: number;
}

// Each event becomes a delivery.status event, so only the two that matter for an OTP call:
// "answered" (someone heard it) and "completed", whose CallStatus is the outcome (busy, no-answer…).
const callEvents = ['answered', 'completed'];

export class TwilioTelephony implements Telephony {
  readonly name = 'twilio';
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly options: TwilioOptions,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    if (!options.accountSid || !options.authToken) throw new Error('twilio: accountSid and authToken are required');
    if (!options.from && !options.messagingServiceSid) {
      throw new Error('twilio: set `from` or `messagingServiceSid`');
    }
    this.baseUrl = (options.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    return message.channel === 'voice' ? this.call(message) : this.sms(message);
  }

  private async sms(message: OutboundMessage): Promise<SendResult> {
    const form = new URLSearchParams({ To: message.to, Body: message.text });
    if (this.options.messagingServiceSid) form.set('MessagingServiceSid', this.options.messagingServiceSid);
    else form.set('From', this.options.from!);
    if (message.statusCallbackUrl) form.set('StatusCallback', message.statusCallbackUrl);
    return this.post('Messages.json', form, 'SMS', message);
  }

  private async call(message: OutboundMessage): Promise<SendResult> {
    const from = this.options.voiceFrom ?? this.options.from;
    if (!from || !/^\+[1-9]\d{1,14}$/.test(from)) {
      throw new TelephonyError('twilio: voice needs `voiceFrom` (or an E.164 `from`)', this.name);
    }
    const form = new URLSearchParams({ To: message.to, From: from, Twiml: buildSayTwiml(message.speech, message.locale) });
    if (message.statusCallbackUrl) {
      form.set('StatusCallback', message.statusCallbackUrl);
      form.set('StatusCallbackMethod', 'POST');
      for (const event of callEvents) form.append('StatusCallbackEvent', event);
    }
    return this.post('Calls.json', form, 'call', message);
  }

  private async post(resource: string, form: URLSearchParams, what: string, message: OutboundMessage): Promise<SendResult> {
    const url = `${this.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(this.options.accountSid)}/${resource}`;
    const auth = Buffer.from(`${this.options.accountSid}:${this.options.authToken}`).toString('base64');
    const secrets = [this.options.authToken, message.code, message.text, message.speech];
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${auth}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new TelephonyError(`Twilio could not be reached for the ${what}: ${describeFetchFailure(error, this.timeoutMs)}`, this.name);
    }
    if (!response.ok) throw twilioError(what, response.status, parseTwilioJson(text), secrets);
    const body = parseTwilioJson(text) as { sid?: unknown; status?: unknown };
    if (typeof body.sid !== 'string' || body.sid.length === 0) {
      throw new TelephonyError(`Twilio accepted the ${what} but returned no sid (HTTP ${response.status})`, this.name);
    }
    return { providerMessageId: body.sid, status: typeof body.status === 'string' ? body.status : 'queued', provider: this.name };
  }
}

export function escapeXml(text: string): string {
  // Control characters are not allowed in XML 1.0 at all; Twilio would reject the whole TwiML.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * One `<Say>` per line of `speech` (voiceSpeech puts the announcement and the repeat on separate
 * lines), a one-second pause between, all in the session's language.
 */
export function buildSayTwiml(speech: string, locale: string): string {
  const language = escapeXml(voiceLanguageTag(locale));
  const lines = speech
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const says = lines.map((line) => `<Say language="${language}">${escapeXml(line)}</Say>`);
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${says.join('<Pause length="1"/>')}</Response>`;
}
