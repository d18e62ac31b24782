// Test helper (not a test file): builds the SendContext the service would build for a number,
// with the real parser and key helpers, plus an engine config parsed from a partial input.
import type { SendContext } from '../../../src/core/defense/decision.ts';
import { parseDefenseConfig, resolveDefenseConfig, type EffectiveDefenseConfig } from '../../../src/core/defense/defense-config.ts';
import { buildPhoneKeys } from '../../../src/core/defense/phone-keys.ts';
import { parsePhoneNumber } from '../../../src/core/phone/phone-number.ts';

export const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;

export function sendContext(e164: string, over: Partial<SendContext> = {}): SendContext {
  const p = parsePhoneNumber(e164);
  if (!p) throw new Error(`not a number: ${e164}`);
  const keys = buildPhoneKeys(p.e164);
  return {
    now: T0,
    appId: 'app1',
    policyId: 'B2C_1A_signup',
    profileId: 'PhoneFactor-InputOrVerify',
    sessionId: 'sess-1',
    userIdHash: 'user-1',
    phone: { e164: p.e164, region: p.region, countryCallingCode: p.countryCallingCode, type: p.type, prefix3: keys.prefix3, prefix4: keys.prefix4 },
    channel: 'sms',
    ip: '203.0.113.7',
    ipInfo: { country: 'GB', asn: 2856, asOrganization: 'BT', hosting: false },
    userAgent: 'Mozilla/5.0',
    captchaPassed: false,
    knownGood: false,
    estimatedCost: 0.04,
    sessionSendCount: 0,
    ...over,
  };
}

export function effective(input: unknown = {}, policyId: string | null = null): EffectiveDefenseConfig {
  return resolveDefenseConfig(parseDefenseConfig(input), policyId);
}
