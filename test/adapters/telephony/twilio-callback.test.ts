// Twilio status callbacks: parsing the form Twilio posts, and X-Twilio-Signature validation
// checked against Twilio's published examples and an independent computation of the algorithm.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  computeTwilioSignature,
  parseTwilioStatusCallback,
  validateTwilioSignature,
} from '../../../src/adapters/telephony/twilio-callback.ts';

// The example in Twilio's "Webhooks security" documentation (auth token 12345).
const docsUrl = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const docsParams = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
const docsSignature = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';
// The same example as published in TwilioDevEd/api-snippets (signature_validation.2.x.js).
const snippetParams = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
const snippetSignature = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

const token = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const callbackUrl = 'https://tollgate.example/v1/telephony/twilio/status';
const smsCallback = {
  AccountSid: 'AC' + '1'.repeat(32),
  ApiVersion: '2010-04-01',
  From: '+15005550006',
  MessageSid: 'SM' + 'ab'.repeat(16),
  MessageStatus: 'undelivered',
  SmsSid: 'SM' + 'ab'.repeat(16),
  SmsStatus: 'undelivered',
  To: '+14155550123',
  ErrorCode: '30006',
};

/** Written from Twilio's description, separately from the implementation under test. */
function expectedSignature(authToken: string, url: string, params: Record<string, string>): string {
  const names = Object.keys(params).sort();
  const data = url + names.map((n) => `${n}${params[n]}`).join('');
  return createHmac('sha1', authToken).update(data).digest('base64');
}

describe('validateTwilioSignature', () => {
  test("matches Twilio's published examples", () => {
    assert.equal(computeTwilioSignature('12345', docsUrl, docsParams), docsSignature);
    assert.equal(validateTwilioSignature('12345', docsUrl, docsParams, docsSignature), true);
    assert.equal(validateTwilioSignature('12345', docsUrl, snippetParams, snippetSignature), true);
  });

  test('agrees with an independent computation, whatever the parameter order', () => {
    const reversed = Object.fromEntries(Object.entries(smsCallback).reverse());
    const signature = expectedSignature(token, callbackUrl, smsCallback);
    assert.equal(computeTwilioSignature(token, callbackUrl, reversed), signature);
    assert.equal(validateTwilioSignature(token, callbackUrl, reversed, signature), true);
  });

  test('rejects tampering, another token, another URL and missing signatures', () => {
    const signature = expectedSignature(token, callbackUrl, smsCallback);
    assert.equal(validateTwilioSignature(token, callbackUrl, { ...smsCallback, MessageStatus: 'delivered' }, signature), false);
    assert.equal(validateTwilioSignature('another-token-000000000000000000', callbackUrl, smsCallback, signature), false);
    assert.equal(validateTwilioSignature(token, callbackUrl + '?x=1', smsCallback, signature), false);
    assert.equal(validateTwilioSignature(token, callbackUrl, smsCallback, ''), false);
    assert.equal(validateTwilioSignature(token, callbackUrl, smsCallback, undefined), false);
    assert.equal(validateTwilioSignature(token, callbackUrl, smsCallback, signature.slice(0, -2)), false);
    assert.equal(validateTwilioSignature('', callbackUrl, smsCallback, signature), false);
  });

  test('accepts the URL with or without the default port, as Twilio may sign either', () => {
    const withPort = 'https://tollgate.example:443/v1/telephony/twilio/status';
    assert.equal(validateTwilioSignature(token, callbackUrl, smsCallback, expectedSignature(token, withPort, smsCallback)), true);
    assert.equal(validateTwilioSignature(token, withPort, smsCallback, expectedSignature(token, callbackUrl, smsCallback)), true);
    const otherPort = 'https://tollgate.example:8443/v1/telephony/twilio/status';
    assert.equal(validateTwilioSignature(token, callbackUrl, smsCallback, expectedSignature(token, otherPort, smsCallback)), false);
  });
});

describe('parseTwilioStatusCallback', () => {
  test('reads an SMS delivery report', () => {
    assert.deepEqual(parseTwilioStatusCallback(smsCallback), {
      providerMessageId: smsCallback.MessageSid,
      channel: 'sms',
      status: 'undelivered',
      errorCode: '30006',
    });
    const { ErrorCode: _drop, ...delivered } = { ...smsCallback, MessageStatus: 'delivered' };
    assert.deepEqual(parseTwilioStatusCallback(delivered), { providerMessageId: smsCallback.MessageSid, channel: 'sms', status: 'delivered' });
  });

  test('falls back to SmsSid/SmsStatus', () => {
    const update = parseTwilioStatusCallback({ SmsSid: 'SM' + 'cd'.repeat(16), SmsStatus: 'sent' });
    assert.equal(update?.status, 'sent');
    assert.equal(update?.channel, 'sms');
  });

  test('reads a call progress report with its duration', () => {
    const callSid = 'CA' + 'ef'.repeat(16);
    assert.deepEqual(
      parseTwilioStatusCallback({ CallSid: callSid, CallStatus: 'completed', CallDuration: '14', Direction: 'outbound-api', To: '+33612345678' }),
      { providerMessageId: callSid, channel: 'voice', status: 'completed', durationSeconds: 14 },
    );
    assert.deepEqual(parseTwilioStatusCallback({ CallSid: callSid, CallStatus: 'no-answer' }), {
      providerMessageId: callSid,
      channel: 'voice',
      status: 'no-answer',
    });
  });

  test('returns null for anything that is not a status callback', () => {
    assert.equal(parseTwilioStatusCallback({}), null);
    assert.equal(parseTwilioStatusCallback({ MessageSid: 'SM' + 'ab'.repeat(16) }), null);
    assert.equal(parseTwilioStatusCallback({ CallSid: 'CA1', CallStatus: '<script>' }), null);
    assert.equal(parseTwilioStatusCallback({ MessageSid: '../etc/passwd', MessageStatus: 'delivered' }), null);
  });

  test('ignores malformed error codes and durations', () => {
    const update = parseTwilioStatusCallback({ CallSid: 'CA' + '0'.repeat(32), CallStatus: 'completed', CallDuration: '-3', ErrorCode: 'x' });
    assert.equal(update?.durationSeconds, undefined);
    assert.equal(update?.errorCode, undefined);
  });
});
