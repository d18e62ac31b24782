// The telephony configuration schema and the factory that turns it into an adapter.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createTelephony, telephonyConfigSchema } from '../../../src/adapters/telephony/index.ts';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.ts';
import { TelephonyError, type OutboxMessage } from '../../../src/ports.ts';
import { ACCOUNT_SID, AUTH_TOKEN, startFakeTwilio } from './fake-twilio.ts';

const deps = () => {
  const stored: OutboxMessage[] = [];
  return { stored, store: { appendOutbox: async (m: OutboxMessage) => void stored.push(m) }, clock: new ManualClock(0), newId: () => 'id_1' };
};
const message = { channel: 'sms' as const, to: '+15005550001', region: 'US', locale: 'en', text: 't', speech: 's', code: '1234', sessionId: null };

describe('telephonyConfigSchema', () => {
  test('accepts each adapter', () => {
    assert.equal(telephonyConfigSchema.safeParse({ adapter: 'outbox' }).success, true);
    assert.equal(telephonyConfigSchema.safeParse({ adapter: 'outbox', failFor: ['+15005550001', '+882*'] }).success, true);
    assert.equal(
      telephonyConfigSchema.safeParse({ adapter: 'twilio', accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: 'Contoso', voiceFrom: '+15005550006', timeoutMs: 8000 }).success,
      true,
    );
    assert.equal(telephonyConfigSchema.safeParse({ adapter: 'webhook', url: 'https://gw.example/send', secret: 'x'.repeat(32) }).success, true);
  });

  test('refuses incomplete or mistyped configuration', () => {
    const bad = [
      { adapter: 'carrier-pigeon' },
      { adapter: 'outbox', failFor: ['not a number'] },
      { adapter: 'twilio', accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN },
      { adapter: 'twilio', accountSid: 'AC123', authToken: AUTH_TOKEN, from: '+15005550006' },
      { adapter: 'twilio', accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', voiceFrom: 'Contoso' },
      { adapter: 'twilio', accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', authtoken: 'typo' },
      { adapter: 'webhook', url: 'ftp://gw.example', secret: 'x'.repeat(32) },
      { adapter: 'webhook', url: 'https://gw.example', secret: 'short' },
    ];
    for (const config of bad) assert.equal(telephonyConfigSchema.safeParse(config).success, false, JSON.stringify(config));
  });
});

describe('createTelephony', () => {
  test('builds the outbox with its failFor patterns', async () => {
    const d = deps();
    const telephony = createTelephony(telephonyConfigSchema.parse({ adapter: 'outbox', failFor: ['+1500555*'] }), d);
    assert.equal(telephony.name, 'outbox');
    await assert.rejects(telephony.send(message), TelephonyError);
    await telephony.send({ ...message, to: '+14155550123' });
    assert.equal(d.stored.length, 1);
  });

  test('builds Twilio and webhook adapters wired to their endpoints', async () => {
    const twilio = await startFakeTwilio();
    try {
      const telephony = createTelephony(
        telephonyConfigSchema.parse({ adapter: 'twilio', accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', baseUrl: twilio.baseUrl }),
        deps(),
      );
      assert.equal(telephony.name, 'twilio');
      await assert.rejects(telephony.send(message), (e: unknown) => e instanceof TelephonyError && e.providerCode === 21211);
      assert.equal(twilio.requests.length, 1);
    } finally {
      await twilio.close();
    }
    const webhook = createTelephony({ adapter: 'webhook', url: 'https://gw.example/send', secret: 'x'.repeat(32) }, deps());
    assert.equal(webhook.name, 'webhook');
  });
});
