// Tollgate running on Azure AD B2C custom-policy XML (base → localization → extensions → relying
// party): the effective profile after inheritance drives the API.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

const root = new URL('../..', import.meta.url).pathname;
let t: TestTollgate;
before(async () => {
  t = await startTestTollgate({ TOLLGATE_POLICIES: join(root, 'examples/b2c') });
});
after(async () => t.close());

describe('B2C XML policy chain in the running service', () => {
  test('the relying party narrows the country list and the extensions set SMS only', async () => {
    const s = (await t.call('POST', '/v1/phone-factor/sessions', { profile: 'B2C_1A_signup_signin/PhoneFactor-InputOrVerify', userId: 'oid@tenant' })).body;
    assert.ok(s.id, JSON.stringify(s));
    const gb = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { phoneNumber: '+447400123456', channel: 'sms' }, { key: null });
    assert.equal(gb.body.error.code, 'country_not_allowed', 'GB is in the base list but not the relying party\'s');
    const voice = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { phoneNumber: '+14155550190', channel: 'voice' }, { key: null });
    assert.equal(voice.body.error.code, 'channel_not_allowed');
    const jp = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { phoneNumber: '+81 90-1234-5678', channel: 'sms' }, { key: null });
    assert.equal(jp.status, 200, JSON.stringify(jp.body));
    const code = (await t.lastMessage('+819012345678'))!.code!;
    const ok = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/verify`, { code }, { key: null });
    assert.equal(ok.status, 200);
    const status = await t.call('GET', `/v1/phone-factor/sessions/${s.id}`);
    assert.equal(status.body.policy, 'B2C_1A_signup_signin');
    assert.equal(status.body.claims['Verified.strongAuthenticationPhoneNumber'], '+819012345678');
    const events = await t.tg.store.listEvents({ sessionId: s.id });
    assert.ok(events.every((e) => e.policyId === 'B2C_1A_signup_signin'));
  });
});
