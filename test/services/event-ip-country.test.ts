// Every event with a client IP records the IP's country (offline DB-IP data), not only sends: the
// workbook's IP-region panels and the alerts group failures by it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEV_KEY, startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

let t: TestTollgate;
before(async () => {
  t = await startTestTollgate({ TOLLGATE_CAPTCHA: 'simulated' });
});
after(async () => t.close());

const client = (ip: string) => ({ ip, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0' });

test('refused sends, rejected codes and sends carry details.ipCountry; addresses without a country get none', async () => {
  const start = await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: 'u-geo' });
  assert.equal(start.status, 201);
  const id = start.body.id as string;
  // A premium-rate number: refused by the defense before any money is spent.
  const refused = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'sms', phoneNumber: '+19002345678', client: client('8.8.8.8') }, { key: DEV_KEY });
  assert.equal(refused.status, 403);
  const sent = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'sms', phoneNumber: '+447400123456', client: client('81.2.69.160') }, { key: DEV_KEY });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const wrong = await t.call('POST', `/v1/phone-factor/sessions/${id}/verify`, { code: '000000', client: client('81.2.69.160') }, { key: DEV_KEY });
  assert.equal(wrong.body.error?.code, 'invalid_code', JSON.stringify(wrong.body));

  const events = await t.tg.store.listEvents({ sessionId: id });
  const byType = (type: string) => events.filter((e) => e.type === type);
  assert.equal(byType('code.send_refused')[0]?.details.ipCountry, 'US');
  assert.equal(byType('code.sent')[0]?.details.ipCountry, 'GB');
  assert.equal(byType('code.rejected')[0]?.details.ipCountry, 'GB');
  const created = byType('session.created')[0];
  assert.ok(created, 'the session.created event exists');
  assert.equal(created.ip, '127.0.0.1', 'the start came straight from the test client');
  assert.equal(created.details.ipCountry, undefined, 'a loopback address has no country');
});
