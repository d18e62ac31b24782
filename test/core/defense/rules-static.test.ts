// The static gates: number type, channel (kill switch, country list, high-cost destinations) and
// sign-in location, with real numbers parsed by libphonenumber `max` metadata.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCounters } from '../../../src/adapters/counters/memory.ts';
import type { DefenseReason } from '../../../src/core/defense/decision.ts';
import { channelRule } from '../../../src/core/defense/rules/channel.ts';
import { locationRule } from '../../../src/core/defense/rules/location.ts';
import { numberTypeRule } from '../../../src/core/defense/rules/number-type.ts';
import type { DefenseRule } from '../../../src/core/defense/rules/rule.ts';
import type { SendContext } from '../../../src/core/defense/decision.ts';
import { effective, sendContext } from './rules-context.ts';

async function run(rule: DefenseRule, ctx: SendContext, input: unknown = {}): Promise<DefenseReason[]> {
  return rule.evaluate(ctx, { counters: new MemoryCounters(), config: effective(input) });
}
const actionOf = (reasons: DefenseReason[]) => (reasons.length === 0 ? 'allow' : reasons[0]!.action);

describe('number-type rule', () => {
  test('allows ordinary mobile and fixed numbers', async () => {
    assert.deepEqual(await run(numberTypeRule, sendContext('+447400123456')), []);
    assert.deepEqual(await run(numberTypeRule, sendContext('+14155550123')), []);
  });

  test('blocks premium-rate numbers (+1 900 US, +44 909 GB, +33 89 FR)', async () => {
    for (const n of ['+19005550123', '+449090123456', '+33891234567']) {
      const [r] = await run(numberTypeRule, sendContext(n));
      assert.equal(r?.action, 'block', n);
      assert.equal(r?.code, 'number_type_blocked');
      assert.equal(r?.details?.type, 'PREMIUM_RATE');
    }
  });

  test('blocks non-geographic numbers (+881 satellite, +883 network, +979) and invalid ones', async () => {
    for (const n of ['+881612345678', '+883510012345', '+979123456789']) {
      const [r] = await run(numberTypeRule, sendContext(n));
      assert.equal(r?.action, 'block', n);
      assert.equal(r?.details?.nonGeographic, true, n);
    }
    const [invalid] = await run(numberTypeRule, sendContext('+447700900123'));
    assert.equal(invalid?.action, 'block');
    assert.equal(invalid?.details?.invalid, true);
  });

  test('challenges VoIP (+44 56) and personal numbers (+44 70) by default; both configurable', async () => {
    assert.equal(actionOf(await run(numberTypeRule, sendContext('+445612345678'))), 'challenge');
    assert.equal(actionOf(await run(numberTypeRule, sendContext('+447012345678'))), 'challenge');
    assert.equal(actionOf(await run(numberTypeRule, sendContext('+445612345678'), { numberType: { voip: 'block' } })), 'block');
    assert.equal(actionOf(await run(numberTypeRule, sendContext('+445612345678'), { numberType: { voip: 'allow' } })), 'allow');
  });

  test('toll-free (+1 800): blocked for SMS, allowed for voice; the reason names its channel', async () => {
    const [sms] = await run(numberTypeRule, sendContext('+18002530000'));
    assert.equal(sms?.action, 'block');
    assert.equal(sms?.details?.channel, 'sms');
    assert.deepEqual(await run(numberTypeRule, sendContext('+18002530000', { channel: 'voice' })), []);
  });
});

describe('channel rule', () => {
  test('kill switch refuses every send on the channel', async () => {
    const [r] = await run(channelRule, sendContext('+447400123456'), { channels: { sms: { enabled: false } } });
    assert.equal(r?.code, 'channel_disabled');
    assert.equal(r?.action, 'block');
    assert.equal(r?.details?.why, 'kill_switch');
    assert.deepEqual(await run(channelRule, sendContext('+447400123456', { channel: 'voice' }), { channels: { sms: { enabled: false } } }), []);
  });

  test('voice is off for high-cost destinations by default; SMS is not', async () => {
    const cuba = sendContext('+5352123456', { channel: 'voice' });
    assert.equal(cuba.phone.region, 'CU');
    assert.equal((await run(channelRule, cuba))[0]?.details?.why, 'high_cost');
    assert.deepEqual(await run(channelRule, { ...cuba, channel: 'sms' }), []);
  });

  test('+1 876 is Jamaica, not the US: voice to it is refused while +1 415 goes through', async () => {
    const jm = sendContext('+18765550123', { channel: 'voice' });
    assert.equal(jm.phone.region, 'JM');
    assert.equal(actionOf(await run(channelRule, jm)), 'block');
    assert.deepEqual(await run(channelRule, sendContext('+14155550123', { channel: 'voice' })), []);
    // An extra per-channel allowlist of US only also tells the two apart.
    const usOnly = { channels: { sms: { countries: ['US'] } } };
    assert.equal((await run(channelRule, sendContext('+18765550123'), usOnly))[0]?.code, 'country_not_allowed');
    assert.deepEqual(await run(channelRule, sendContext('+14155550123'), usOnly), []);
  });

  test('non-geographic numbers are refused on both channels unless allowed', async () => {
    assert.equal((await run(channelRule, sendContext('+881612345678')))[0]?.details?.why, 'non_geographic');
    assert.deepEqual(await run(channelRule, sendContext('+881612345678'), { channels: { sms: { allowNonGeographic: true } } }), []);
  });
});

describe('location rule', () => {
  const onlyFrGb = { location: { allowedRegions: ['FR', 'GB'] } };

  test('off while allowedRegions is empty', async () => {
    assert.deepEqual(await run(locationRule, sendContext('+447400123456', { ipInfo: { country: 'RU', asn: 1, asOrganization: null, hosting: false } })), []);
  });

  test('challenges (default) or blocks sends from other IP countries', async () => {
    const fromUs = sendContext('+447400123456', { ipInfo: { country: 'US', asn: 7018, asOrganization: 'AT&T', hosting: false } });
    assert.deepEqual(await run(locationRule, sendContext('+447400123456'), onlyFrGb), []);
    const [r] = await run(locationRule, fromUs, onlyFrGb);
    assert.equal(r?.code, 'location_not_allowed');
    assert.equal(r?.action, 'challenge');
    assert.equal(actionOf(await run(locationRule, fromUs, { location: { ...onlyFrGb.location, action: 'block' } })), 'block');
  });

  test('an unknown IP country fails open, recorded', async () => {
    const [r] = await run(locationRule, sendContext('+447400123456', { ipInfo: null }), onlyFrGb);
    assert.equal(r?.action, 'allow');
    assert.equal(r?.details?.unknown, true);
  });
});
