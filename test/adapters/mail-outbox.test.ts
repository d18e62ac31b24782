// OutboxMailer: what lands in the development outbox, and simulated refusals.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MailError } from '../../src/adapters/mail/mailer.ts';
import { type OutboxMail, OutboxMailer } from '../../src/adapters/mail/outbox-mailer.ts';
import { ManualClock } from '../../src/adapters/clock/manual-clock.ts';

describe('OutboxMailer', () => {
  const outgoing = { to: 'jane@example.com', subject: 'Your code', text: '123456 …', html: '<p>123456</p>', locale: 'en', code: '123456', sessionId: 's-1' };

  test('appends the mail, code included, and reports the outbox id', async () => {
    const kept: OutboxMail[] = [];
    let n = 0;
    const mailer = new OutboxMailer(async (m) => void kept.push(m), new ManualClock(1_000), () => `m-${++n}`);
    assert.deepEqual(await mailer.send(outgoing), { messageId: 'm-1', provider: 'outbox' });
    assert.deepEqual(kept, [{ id: 'm-1', time: 1_000, to: 'jane@example.com', subject: 'Your code', text: '123456 …', code: '123456', sessionId: 's-1', locale: 'en' }]);
  });

  test('failFor rehearses a refused address', async () => {
    const kept: OutboxMail[] = [];
    const mailer = new OutboxMailer(async (m) => void kept.push(m), new ManualClock(0), () => 'x', { failFor: (to) => to.endsWith('@bounce.test') });
    await assert.rejects(mailer.send({ ...outgoing, to: 'a@bounce.test' }), (e: unknown) => e instanceof MailError && e.recipientRejected);
    assert.equal(kept.length, 0);
  });
});
