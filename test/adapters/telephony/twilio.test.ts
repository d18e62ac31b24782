// TwilioTelephony against a local fake of api.twilio.com: the exact requests it makes and how
// Twilio's answers (resources, errors, silence) come back out.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DOMParser } from '@xmldom/xmldom';
import { TwilioTelephony, buildSayTwiml } from '../../../src/adapters/telephony/twilio.ts';
import { TelephonyError, type OutboundMessage } from '../../../src/ports.ts';
import { smsText, voiceSpeech } from '../../../src/core/i18n/messages.ts';
import { ACCOUNT_SID, AUTH_TOKEN, startFakeTwilio, type FakeTwilio } from './fake-twilio.ts';

const FROM = '+15005550006';
const MG = 'MG' + '0123456789abcdef'.repeat(2);

function message(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  const locale = overrides.locale ?? 'en';
  const code = overrides.code ?? '482913';
  return {
    channel: 'sms',
    to: '+14155550123',
    region: 'US',
    locale,
    text: smsText(locale, code, 'Contoso', 10),
    speech: voiceSpeech(locale, code, 'Contoso'),
    code,
    sessionId: 'sess_1',
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>): Promise<TelephonyError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TelephonyError, `expected TelephonyError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the send to be refused');
}

function say(xml: string) {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const root = doc.documentElement!;
  assert.equal(root.nodeName, 'Response');
  return Array.from(root.childNodes)
    .filter((n) => n.nodeType === 1)
    .map((n) => {
      const el = n as unknown as { nodeName: string; getAttribute(name: string): string | null; textContent: string | null };
      return { name: el.nodeName, language: el.getAttribute('language'), length: el.getAttribute('length'), text: el.textContent };
    });
}

describe('TwilioTelephony', () => {
  let twilio: FakeTwilio;
  let adapter: TwilioTelephony;
  before(async () => {
    twilio = await startFakeTwilio();
    adapter = new TwilioTelephony({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, baseUrl: twilio.baseUrl });
  });
  after(() => twilio.close());

  test('sends an SMS through the Messages API with Basic auth and form fields', async () => {
    const msg = message({ statusCallbackUrl: 'https://tollgate.example/v1/telephony/twilio/status' });
    const result = await adapter.send(msg);
    assert.match(result.providerMessageId, /^SM[0-9a-f]{32}$/);
    assert.equal(result.status, 'queued');
    assert.equal(result.provider, 'twilio');

    const req = twilio.requests.at(-1)!;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    assert.equal(req.authorization, 'Basic ' + Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64'));
    assert.match(req.contentType ?? '', /^application\/x-www-form-urlencoded/);
    assert.equal(req.form.get('To'), '+14155550123');
    assert.equal(req.form.get('From'), FROM);
    assert.equal(req.form.get('Body'), msg.text);
    assert.equal(req.form.get('StatusCallback'), 'https://tollgate.example/v1/telephony/twilio/status');
    assert.equal(req.form.has('MessagingServiceSid'), false);
  });

  test('prefers a Messaging Service over From, and omits StatusCallback when none is given', async () => {
    const viaService = new TwilioTelephony({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: FROM,
      messagingServiceSid: MG,
      baseUrl: twilio.baseUrl + '/',
    });
    const result = await viaService.send(message());
    assert.equal(result.status, 'accepted');
    const req = twilio.requests.at(-1)!;
    assert.equal(req.form.get('MessagingServiceSid'), MG);
    assert.equal(req.form.has('From'), false);
    assert.equal(req.form.has('StatusCallback'), false);
  });

  test('places a voice call with inline TwiML in the session language, read twice', async () => {
    const msg = message({
      channel: 'voice',
      locale: 'fr-FR',
      region: 'FR',
      to: '+33612345678',
      statusCallbackUrl: 'https://tollgate.example/v1/telephony/twilio/status',
    });
    const result = await adapter.send(msg);
    assert.match(result.providerMessageId, /^CA[0-9a-f]{32}$/);
    assert.equal(result.status, 'queued');

    const req = twilio.requests.at(-1)!;
    assert.equal(req.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`);
    assert.equal(req.form.get('To'), '+33612345678');
    assert.equal(req.form.get('From'), FROM);
    assert.equal(req.form.get('StatusCallback'), 'https://tollgate.example/v1/telephony/twilio/status');
    assert.deepEqual(req.form.getAll('StatusCallbackEvent'), ['answered', 'completed']);
    const nodes = say(req.form.get('Twiml')!);
    assert.deepEqual(nodes.map((n) => n.name), ['Say', 'Pause', 'Say']);
    assert.equal(nodes[1]!.length, '1');
    assert.equal(nodes[0]!.language, 'fr-FR');
    assert.equal(nodes[2]!.language, 'fr-FR');
    assert.equal(nodes[0]!.text, 'Votre code de vérification Contoso est : 4, 8, 2, 9, 1, 3.');
    assert.match(nodes[2]!.text!, /4, 8, 2, 9, 1, 3/);
  });

  test('uses voiceFrom as the caller id when set', async () => {
    const voice = new TwilioTelephony({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, messagingServiceSid: MG, voiceFrom: '+15005550007', baseUrl: twilio.baseUrl });
    await voice.send(message({ channel: 'voice', locale: 'it' }));
    const req = twilio.requests.at(-1)!;
    assert.equal(req.form.get('From'), '+15005550007');
    assert.equal(say(req.form.get('Twiml')!)[0]!.language, 'it-IT');
    // Only a messaging service and no voice number: a call cannot be placed at all.
    const smsOnly = new TwilioTelephony({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, messagingServiceSid: MG, baseUrl: twilio.baseUrl });
    const error = await refusal(smsOnly.send(message({ channel: 'voice' })));
    assert.equal(error.numberRejected, false);
  });

  test('escapes everything that goes into the TwiML', () => {
    const speech = voiceSpeech('en', '1234', `Ben & Jerry's <Shop> "x"`);
    const xml = buildSayTwiml(speech + '\u0007', 'en-GB');
    const nodes = say(xml);
    assert.equal(nodes[0]!.text, `Your Ben & Jerry's <Shop> "x" verification code is: 1, 2, 3, 4.`);
    assert.equal(nodes[0]!.language, 'en-GB');
    assert.ok(!xml.includes('<Shop>'));
  });

  for (const [to, code] of [
    ['+15005550001', 21211],
    ['+15005550003', 21408],
    ['+15005550004', 21610],
    ['+15005550009', 21614],
  ] as const) {
    test(`maps Twilio ${code} to a rejected number`, async () => {
      const error = await refusal(adapter.send(message({ to })));
      assert.equal(error.provider, 'twilio');
      assert.equal(error.providerCode, code);
      assert.equal(error.numberRejected, true);
      assert.match(error.message, new RegExp(`HTTP 4\\d\\d, Twilio ${code}`));
    });
  }

  test('provider-side failures are not blamed on the number', async () => {
    const limited = await refusal(adapter.send(message({ to: '+15005550429' })));
    assert.equal(limited.providerCode, 20429);
    assert.equal(limited.numberRejected, false);

    const outage = await refusal(adapter.send(message({ to: '+15005550500' })));
    assert.equal(outage.providerCode, undefined);
    assert.equal(outage.numberRejected, false);
    assert.match(outage.message, /HTTP 502/);
  });

  test('wrong credentials come back as Twilio 20003, and the token never appears', async () => {
    const wrong = new TwilioTelephony({ accountSid: ACCOUNT_SID, authToken: 'not-the-token-123', from: FROM, baseUrl: twilio.baseUrl });
    const error = await refusal(wrong.send(message()));
    assert.equal(error.providerCode, 20003);
    assert.equal(error.numberRejected, false);
    assert.ok(!error.message.includes('not-the-token-123'));
  });

  test('error messages never carry the token, the code or the message text', async () => {
    const msg = message({ to: '+15005550666' });
    const error = await refusal(adapter.send(msg));
    assert.equal(error.providerCode, 21617);
    assert.ok(!error.message.includes(AUTH_TOKEN));
    assert.ok(!error.message.includes(msg.code));
    assert.ok(!error.message.includes(msg.text));
    assert.match(error.message, /\[redacted\]/);
  });

  test('a silent Twilio times out into a TelephonyError', async () => {
    const impatient = new TwilioTelephony({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, baseUrl: twilio.baseUrl, timeoutMs: 150 });
    const started = Date.now();
    const error = await refusal(impatient.send(message({ to: '+15005550777' })));
    assert.match(error.message, /no answer within 150 ms/);
    assert.ok(Date.now() - started < 5_000);
  });

  test('an unreachable Twilio is a TelephonyError too', async () => {
    const closed = await startFakeTwilio();
    const baseUrl = closed.baseUrl;
    await closed.close();
    const nowhere = new TwilioTelephony({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, baseUrl });
    const error = await refusal(nowhere.send(message()));
    assert.match(error.message, /could not be reached/);
    assert.equal(error.numberRejected, false);
  });

  test('refuses a configuration with no sender', () => {
    assert.throws(() => new TwilioTelephony({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }), /from/);
  });
});
