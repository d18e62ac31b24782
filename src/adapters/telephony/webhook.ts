// Webhook telephony: hands each message to the operator's own gateway (an SMSC, a SIP box, another
// provider) as signed JSON. The gateway must deliver the code, so the payload carries it; the
// HMAC signature with a timestamp lets the gateway refuse forged or replayed requests.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Clock, OutboundMessage, SendResult, Telephony } from '../../ports.ts';
import { TelephonyError } from '../../ports.ts';
import { describeFetchFailure } from './provider-errors.ts';

export interface WebhookOptions {
  url: string;
  /** Shared HMAC key; the gateway verifies X-Tollgate-Signature with it. */
  secret: string;
  timeoutMs?: number;
}

export const webhookSignatureHeader = 'X-Tollgate-Signature';
export const webhookEventHeader = 'X-Tollgate-Event';

export interface WebhookPayload {
  id: string;
  channel: OutboundMessage['channel'];
  to: string;
  region: string;
  locale: string;
  text: string;
  speech: string;
  code: string;
  sessionId: string | null;
  statusCallbackUrl: string | null;
}

export function signWebhookBody(secret: string, timestampSeconds: number, rawBody: string): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

/**
 * For gateways (and tests): true when `header` holds a v1 signature of `rawBody` (the exact bytes
 * received, before any JSON parsing) made with `secret` within `toleranceSeconds` of `nowSeconds`.
 * Several v1 entries are allowed so a secret can be rotated.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  rawBody: string | Uint8Array,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  if (!secret || typeof header !== 'string') return false;
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2) as [string, string | undefined];
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const body = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  const expected = Buffer.from(signWebhookBody(secret, timestamp, body).split('v1=')[1]!, 'utf8');
  let valid = false;
  for (const signature of signatures) {
    if (timingSafeEqual(expected, Buffer.from(signature, 'utf8'))) valid = true;
  }
  return valid;
}

export class WebhookTelephony implements Telephony {
  readonly name = 'webhook';
  private readonly timeoutMs: number;

  constructor(
    private readonly options: WebhookOptions,
    private readonly clock: Clock,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly newId: () => string = randomUUID,
  ) {
    if (!options.url || !options.secret) throw new Error('webhook: url and secret are required');
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const payload: WebhookPayload = {
      id: this.newId(),
      channel: message.channel,
      to: message.to,
      region: message.region,
      locale: message.locale,
      text: message.text,
      speech: message.speech,
      code: message.code,
      sessionId: message.sessionId,
      statusCallbackUrl: message.statusCallbackUrl ?? null,
    };
    const body = JSON.stringify(payload);
    const timestamp = Math.floor(this.clock.now() / 1000);
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          [webhookSignatureHeader]: signWebhookBody(this.options.secret, timestamp, body),
          [webhookEventHeader]: 'message.send',
        },
        body,
        // The body holds a live code: never let a redirect carry it to another host.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new TelephonyError(`webhook gateway could not be reached: ${describeFetchFailure(error, this.timeoutMs)}`, this.name);
    }
    const answer = parseObject(text);
    if (response.status < 200 || response.status > 299) {
      const code = typeof answer.code === 'string' || typeof answer.code === 'number' ? answer.code : undefined;
      throw new TelephonyError(
        `webhook gateway refused the ${message.channel} (HTTP ${response.status}${code === undefined ? '' : `, code ${code}`})`,
        this.name,
        code,
        answer.numberRejected === true,
      );
    }
    return {
      providerMessageId: typeof answer.id === 'string' && answer.id.length > 0 ? answer.id.slice(0, 200) : payload.id,
      status: typeof answer.status === 'string' && answer.status.length > 0 ? answer.status.slice(0, 50) : 'accepted',
      provider: this.name,
    };
  }
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    // An empty or plain-text 2xx is still an acceptance.
    return {};
  }
}
