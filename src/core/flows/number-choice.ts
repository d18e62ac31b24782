// Which number a send goes to: a registered number chosen by index, or one the user typed (when the
// profile allows manual entry). Enforces validity and the country allowlist on the server, for every
// send, whatever the page's dropdown offered.
import { TollgateError } from '../errors.ts';
import { type ParsedPhoneNumber, parsePhoneNumber } from '../phone/phone-number.ts';
import type { PhoneFactorProfile } from '../policy/profile.ts';
import type { PhoneFactorSession } from './session.ts';

export interface NumberRequest {
  phoneNumber?: string;
  country?: string;
  phoneIndex?: number;
}

export interface ChosenNumber {
  parsed: ParsedPhoneNumber;
  newPhoneNumberEntered: boolean;
}

export function chooseNumber(session: PhoneFactorSession, profile: PhoneFactorProfile, req: NumberRequest): ChosenNumber {
  if (req.phoneIndex !== undefined && req.phoneNumber !== undefined) {
    throw new TollgateError('invalid_request', 'Give either phoneNumber or phoneIndex, not both.', { field: 'phoneNumber' });
  }
  if (req.phoneIndex !== undefined) {
    const e164 = session.registeredNumbers[req.phoneIndex];
    if (!Number.isInteger(req.phoneIndex) || e164 === undefined) {
      throw new TollgateError('phone_number_not_registered', `phoneIndex must be 0–${session.registeredNumbers.length - 1}.`, {
        field: 'phoneIndex',
      });
    }
    return { parsed: mustParse(e164), newPhoneNumberEntered: false };
  }
  if (req.phoneNumber !== undefined) {
    const parsed = parsePhoneNumber(req.phoneNumber, req.country?.toUpperCase());
    if (!parsed || !parsed.valid) throw new TollgateError('invalid_phone_number', undefined, { field: 'phoneNumber' });
    if (session.registeredNumbers.includes(parsed.e164)) return { parsed, newPhoneNumberEntered: false };
    if (!profile.manualPhoneNumberEntryAllowed) {
      throw new TollgateError(
        session.registeredNumbers.length ? 'phone_number_not_registered' : 'manual_entry_not_allowed',
        undefined,
        { field: 'phoneNumber' },
      );
    }
    return { parsed, newPhoneNumberEntered: true };
  }
  if (session.selectedNumber) {
    return {
      parsed: mustParse(session.selectedNumber),
      newPhoneNumberEntered: session.newPhoneNumberEntered,
    };
  }
  if (session.registeredNumbers.length === 1) return { parsed: mustParse(session.registeredNumbers[0]!), newPhoneNumberEntered: false };
  throw new TollgateError('phone_number_required', 'Choose a registered number (phoneIndex) or enter one (phoneNumber).', {
    field: 'phoneNumber',
  });
}

/** The allowlist comes from the policy's countryList; null means every country. Non-geographic numbers have no country and are refused when a list exists. */
export function assertCountryAllowed(profile: PhoneFactorProfile, parsed: ParsedPhoneNumber): void {
  const allow = profile.contentDefinition.countryAllowlist;
  if (allow === null) return;
  if (!parsed.region || !allow.includes(parsed.region)) {
    throw new TollgateError('country_not_allowed', undefined, { region: parsed.region, field: 'phoneNumber' });
  }
}

function mustParse(e164: string): ParsedPhoneNumber {
  const parsed = parsePhoneNumber(e164);
  if (!parsed || !parsed.valid) throw new TollgateError('invalid_phone_number', undefined, { field: 'phoneNumber' });
  return parsed;
}
