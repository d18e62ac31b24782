// Picks and builds the telephony adapter from configuration. The schema is embedded in the app's
// config schema; secrets (authToken, secret) arrive here already resolved by the config loader.
import { z } from 'zod';
import type { Clock, Store, Telephony } from '../../ports.ts';
import { OutboxTelephony, failForPatterns } from './outbox.ts';
import { TwilioTelephony } from './twilio.ts';
import { WebhookTelephony } from './webhook.ts';

const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number such as +14155550100');
// Alphanumeric sender ids: up to 11 characters, at least one letter (carrier rule).
const smsSender = z.union([e164, z.string().regex(/^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/)]);
const timeoutMs = z.number().int().min(100).max(60_000);

export const outboxConfigSchema = z
  .object({
    adapter: z.literal('outbox'),
    /** E.164 numbers, or prefixes ending in `*`, whose sends fail as "number rejected". */
    failFor: z.array(z.string().regex(/^\+\d{0,15}\*?$/)).optional(),
  })
  .strict();

export const twilioConfigSchema = z
  .object({
    adapter: z.literal('twilio'),
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio Account SID (AC + 32 hex)'),
    authToken: z.string().min(16),
    from: smsSender.optional(),
    messagingServiceSid: z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'must be a Messaging Service SID (MG + 32 hex)').optional(),
    voiceFrom: e164.optional(),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    timeoutMs: timeoutMs.optional(),
  })
  .strict()
  .refine((c) => c.from !== undefined || c.messagingServiceSid !== undefined, {
    message: 'twilio needs `from` or `messagingServiceSid`',
    path: ['from'],
  });

export const webhookConfigSchema = z
  .object({
    adapter: z.literal('webhook'),
    url: z.url({ protocol: /^https?$/ }),
    secret: z.string().min(16, 'use at least 16 characters (32 random bytes recommended)'),
    timeoutMs: timeoutMs.optional(),
  })
  .strict();

export const telephonyConfigSchema = z.discriminatedUnion('adapter', [
  outboxConfigSchema,
  twilioConfigSchema,
  webhookConfigSchema,
]);

export type TelephonyConfig = z.infer<typeof telephonyConfigSchema>;

export interface TelephonyDeps {
  store: Pick<Store, 'appendOutbox'>;
  clock: Clock;
  newId: () => string;
  fetch?: typeof fetch;
}

export function createTelephony(config: TelephonyConfig, deps: TelephonyDeps): Telephony {
  const fetchImpl = deps.fetch ?? fetch;
  switch (config.adapter) {
    case 'outbox':
      return new OutboxTelephony(deps.store, deps.clock, deps.newId, {
        failFor: config.failFor?.length ? failForPatterns(config.failFor) : undefined,
      });
    case 'twilio':
      return new TwilioTelephony(
        {
          accountSid: config.accountSid,
          authToken: config.authToken,
          from: config.from,
          messagingServiceSid: config.messagingServiceSid,
          voiceFrom: config.voiceFrom,
          baseUrl: config.baseUrl,
          timeoutMs: config.timeoutMs,
        },
        fetchImpl,
      );
    case 'webhook':
      return new WebhookTelephony({ url: config.url, secret: config.secret, timeoutMs: config.timeoutMs }, deps.clock, fetchImpl, deps.newId);
  }
}

export { OutboxTelephony, failForPatterns } from './outbox.ts';
export { TwilioTelephony, buildSayTwiml } from './twilio.ts';
export { WebhookTelephony, verifyWebhookSignature, signWebhookBody } from './webhook.ts';
export { parseTwilioStatusCallback, validateTwilioSignature, computeTwilioSignature } from './twilio-callback.ts';
