// Parsing: the country from the parsed number (not the calling code alone), national input with a
// default region, refusals, and the memo of recent parses (same answer, shared safely).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskPhoneNumber, parsePhoneNumber } from '../../../src/core/phone/phone-number.ts';

test('+1 268 is Antigua and Barbuda, +1 415 the US; national input uses the default region', () => {
  assert.equal(parsePhoneNumber('+12684601234')?.region, 'AG');
  assert.equal(parsePhoneNumber('+14155550123')?.region, 'US');
  const national = parsePhoneNumber('07400 123456', 'GB');
  assert.equal(national?.e164, '+447400123456');
  assert.equal(national?.type, 'MOBILE');
  assert.equal(parsePhoneNumber('07400 123456', 'FR')?.e164, '+337400123456', 'the same text in another region is another number');
});

test('text that is not a phone number is refused', () => {
  for (const bad of ['', '   ', 'call me', '+44 7400 123456 ext. 2', '1'.repeat(41), '<script>']) assert.equal(parsePhoneNumber(bad), null, bad);
  assert.equal(parsePhoneNumber(42 as unknown as string), null);
});

test('repeated parses give the same frozen answer; results cannot be changed by a caller', () => {
  const a = parsePhoneNumber('+447400123456');
  const b = parsePhoneNumber(' +447400123456 ');
  assert.ok(a);
  assert.equal(a, b, 'the memo answers the second parse');
  assert.ok(Object.isFrozen(a));
  assert.throws(() => {
    (a as { region: string | null }).region = 'US';
  }, TypeError);
  assert.equal(parsePhoneNumber('+447400123456')?.region, 'GB');
});

test('the memo stays bounded and correct past its size', () => {
  for (let i = 0; i < 5000; i++) parsePhoneNumber(`+4474001${String(i).padStart(5, '0')}`);
  assert.equal(parsePhoneNumber('+447400100042')?.e164, '+447400100042');
  assert.equal(parsePhoneNumber('+12684601234')?.region, 'AG');
});

test('masking keeps the calling code and the last digits', () => {
  assert.equal(maskPhoneNumber('+14155550123'), '+1 ••••••0123');
});
