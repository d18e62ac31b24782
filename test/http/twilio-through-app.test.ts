// Tollgate configured for Twilio, against a local fake of Twilio's REST API: the code leaves in
// Twilio's wire format, and signed delivery callbacks come back as events.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { computeTwilioSignature } from '../../src/adapters/telephony/index.ts';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'twilio-auth-token-0123456789';
const PUBLIC = 'https://verify.example.test';
const received: { path: string; auth: string; form: URLSearchParams }[] = [];
let fake: Server;
let t: TestTollgate;

before(async () => {
  fake = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      received.push({ path: req.url ?? '', auth: req.headers.authorization ?? '', form });
      const isCall = req.url?.endsWith('/Calls.json');
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid: `${isCall ? 'CA' : 'SM'}${'0'.repeat(32)}`, status: 'queued', to: form.get('To') }));
    });
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  const port = (fake.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-twilio-'));
  const file = join(dir, 'tollgate.yaml');
  writeFileSync(file, `server:\n  publicUrl: ${PUBLIC}\ntelephony:\n  adapter: twilio\n  accountSid: ${SID}\n  from: "+14155550100"\n  baseUrl: http://127.0.0.1:${port}\n`);
  t = await startTestTollgate({ TOLLGATE_CONFIG: file, TWILIO_AUTH_TOKEN: TOKEN });
});
after(async () => {
  await t.close();
  await new Promise((r) => fake.close(r));
});

describe('Twilio through the app', () => {
  test('SMS and voice go out in Twilio request format, with status callbacks', async () => {
    const s = (await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: 'u', phoneNumbers: ['+14155550170'], locale: 'it' })).body;
    assert.match(s.url, /^https:\/\/verify\.example\.test\/pf\//);
    const r = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { channel: 'sms' }, { key: null });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const sms = received.at(-1)!;
    assert.equal(sms.path, `/2010-04-01/Accounts/${SID}/Messages.json`);
    assert.equal(sms.auth, `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    assert.equal(sms.form.get('To'), '+14155550170');
    assert.equal(sms.form.get('From'), '+14155550100');
    assert.match(sms.form.get('Body')!, /\d{6}/);
    assert.equal(sms.form.get('StatusCallback'), `${PUBLIC}/v1/telephony/twilio/status`);
    assert.equal(await t.lastMessage('+14155550170'), undefined, 'nothing in the outbox with a real provider');

    t.advance(30_000);
    await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { channel: 'voice' }, { key: null });
    const call = received.at(-1)!;
    assert.equal(call.path, `/2010-04-01/Accounts/${SID}/Calls.json`);
    assert.match(call.form.get('Twiml')!, /<Say language="it-IT">/);

    const sent = (await t.tg.store.listEvents({ sessionId: s.id, type: 'code.sent' }))[0]!;
    assert.equal(sent.details.provider, 'twilio');
    assert.equal(sent.details.providerMessageId, `SM${'0'.repeat(32)}`);
  });

  test('a signed delivery callback becomes a delivery.status event; a forged one is refused', async () => {
    const params = { MessageSid: `SM${'0'.repeat(32)}`, MessageStatus: 'undelivered', ErrorCode: '30003', To: '+14155550170', AccountSid: SID };
    const url = `${PUBLIC}/v1/telephony/twilio/status`;
    const body = new URLSearchParams(params).toString();
    const good = await t.tg.http.inject({ method: 'POST', url: '/v1/telephony/twilio/status', payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': computeTwilioSignature(TOKEN, url, params) } });
    assert.equal(good.statusCode, 204, good.body);
    const events = await t.tg.store.listEvents({ type: 'delivery.status' });
    assert.equal(events.length, 1);
    assert.equal(events[0]!.outcome, 'failure');
    assert.equal(events[0]!.reason, 'delivery_failed');
    assert.equal(events[0]!.details.errorCode, '30003');
    const forged = await t.tg.http.inject({ method: 'POST', url: '/v1/telephony/twilio/status', payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJl' } });
    assert.equal(forged.statusCode, 403);
    assert.equal((await t.tg.store.listEvents({ type: 'delivery.status' })).length, 1);
  });
});
