// OutboxTelephony: what the development adapter keeps, and its simulated refusals.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { OutboxTelephony, failForPatterns } from '../../../src/adapters/telephony/outbox.ts';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.ts';
import { TelephonyError, type OutboundMessage, type OutboxMessage, type Store } from '../../../src/ports.ts';

class ArrayOutbox implements Pick<Store, 'appendOutbox'> {
  readonly messages: OutboxMessage[] = [];
  async appendOutbox(message: OutboxMessage): Promise<void> {
    this.messages.push(message);
  }
}

const base: OutboundMessage = {
  channel: 'sms',
  to: '+393471234567',
  region: 'IT',
  locale: 'it',
  text: '123456 è il tuo codice di verifica Contoso.',
  speech: 'Il tuo codice è: 1, 2, 3, 4, 5, 6.',
  code: '123456',
  sessionId: 'sess_7',
};

describe('OutboxTelephony', () => {
  test('stores SMS text and voice speech with the code, and reports delivery', async () => {
    const outbox = new ArrayOutbox();
    const clock = new ManualClock(1_700_000_000_000);
    let n = 0;
    const telephony = new OutboxTelephony(outbox, clock, () => `ob_${++n}`);
    assert.equal(telephony.name, 'outbox');

    assert.deepEqual(await telephony.send(base), { providerMessageId: 'ob_1', status: 'delivered', provider: 'outbox' });
    clock.advance(5_000);
    await telephony.send({ ...base, channel: 'voice', sessionId: null });

    assert.deepEqual(outbox.messages, [
      { id: 'ob_1', time: 1_700_000_000_000, channel: 'sms', to: base.to, body: base.text, code: '123456', sessionId: 'sess_7', locale: 'it' },
      { id: 'ob_2', time: 1_700_000_005_000, channel: 'voice', to: base.to, body: base.speech, code: '123456', sessionId: null, locale: 'it' },
    ]);
  });

  test('failFor simulates a refused number and stores nothing', async () => {
    const outbox = new ArrayOutbox();
    const telephony = new OutboxTelephony(outbox, new ManualClock(0), () => 'x', { failFor: (to) => to.startsWith('+39') });
    await assert.rejects(telephony.send(base), (error: unknown) => {
      assert.ok(error instanceof TelephonyError);
      assert.equal(error.numberRejected, true);
      assert.equal(error.provider, 'outbox');
      assert.ok(!error.message.includes(base.code));
      return true;
    });
    assert.equal(outbox.messages.length, 0);
    await telephony.send({ ...base, to: '+33612345678' });
    assert.equal(outbox.messages.length, 1);
  });

  test('failForPatterns matches exact numbers and * prefixes', () => {
    const fails = failForPatterns(['+15005550001', '+882*']);
    assert.equal(fails('+15005550001'), true);
    assert.equal(fails('+150055500010'), false);
    assert.equal(fails('+88234567890'), true);
    assert.equal(fails('+14155550123'), false);
  });
});
