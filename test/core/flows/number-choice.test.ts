import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TollgateError } from '../../../src/core/errors.ts';
import { assertCountryAllowed, chooseNumber } from '../../../src/core/flows/number-choice.ts';
import { parsePhoneNumber } from '../../../src/core/phone/phone-number.ts';
import { profileFixture, sessionFixture } from '../../helpers/fixtures.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof TollgateError);
    return err.code;
  }
  assert.fail('expected an error');
};

describe('number choice', () => {
  const two = sessionFixture({ registeredNumbers: ['+14155550123', '+447400123456'] });

  test('picks a registered number by index (not new)', () => {
    const c = chooseNumber(two, profileFixture(), { phoneIndex: 1 });
    assert.equal(c.parsed.e164, '+447400123456');
    assert.equal(c.newPhoneNumberEntered, false);
    assert.equal(code(() => chooseNumber(two, profileFixture(), { phoneIndex: 2 })), 'phone_number_not_registered');
  });

  test('a typed number is new; national format uses the chosen country', () => {
    const c = chooseNumber(sessionFixture(), profileFixture(), { phoneNumber: '07400 123456', country: 'gb' });
    assert.equal(c.parsed.e164, '+447400123456');
    assert.equal(c.newPhoneNumberEntered, true);
    const again = chooseNumber(two, profileFixture(), { phoneNumber: '+44 7400 123456' });
    assert.equal(again.newPhoneNumberEntered, false, 'typing a registered number is choosing it');
  });

  test('manual entry is refused when the profile does not allow it', () => {
    const p = profileFixture({ manualPhoneNumberEntryAllowed: false });
    assert.equal(code(() => chooseNumber(sessionFixture(), p, { phoneNumber: '+14155550123' })), 'manual_entry_not_allowed');
    assert.equal(code(() => chooseNumber(two, p, { phoneNumber: '+33612345678' })), 'phone_number_not_registered');
  });

  test('invalid numbers are refused', () => {
    for (const phoneNumber of ['+1555', 'hello', '+99912345678', '']) {
      assert.equal(code(() => chooseNumber(sessionFixture(), profileFixture(), { phoneNumber })), 'invalid_phone_number', phoneNumber);
    }
  });

  test('without a choice, a single registered number is used, several must be chosen', () => {
    const one = sessionFixture({ registeredNumbers: ['+14155550123'] });
    assert.equal(chooseNumber(one, profileFixture(), {}).parsed.e164, '+14155550123');
    assert.equal(code(() => chooseNumber(two, profileFixture(), {})), 'phone_number_required');
  });

  test('the allowlist uses the region of the parsed number, not the calling code', () => {
    const p = profileFixture();
    assert.doesNotThrow(() => assertCountryAllowed(p, parsePhoneNumber('+14155550123')!));
    // +1 268 is Antigua and Barbuda, not the US.
    assert.equal(code(() => assertCountryAllowed(p, parsePhoneNumber('+12684601234')!)), 'country_not_allowed');
    assert.equal(code(() => assertCountryAllowed(p, parsePhoneNumber('+79161234567')!)), 'country_not_allowed');
    const open = profileFixture({ contentDefinition: { ...p.contentDefinition, countryAllowlist: null } });
    assert.doesNotThrow(() => assertCountryAllowed(open, parsePhoneNumber('+79161234567')!));
  });
});
