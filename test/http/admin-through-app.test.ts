// The admin API inside the running service: an admin token blocks a number and the next send to
// it is refused; a viewer token may look but not act.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

let t: TestTollgate;
let adminToken: string;
let viewerToken: string;
before(async () => {
  t = await startTestTollgate();
  await t.tg.adminAuth.createUser({ username: 'alice', password: 'correct horse battery staple', role: 'admin' }, 'cli');
  await t.tg.adminAuth.createUser({ username: 'victor', password: 'another long passphrase 42', role: 'viewer' }, 'cli');
  adminToken = (await t.tg.adminAuth.createApiToken('alice', { name: 'ci', role: 'admin', ttlDays: 1 }, 'cli')).token;
  viewerToken = (await t.tg.adminAuth.createApiToken('victor', { name: 'ro', role: 'viewer', ttlDays: 1 }, 'cli')).token;
});
after(async () => t.close());

test('an admin token blocks a number through the API; the next send is refused', async () => {
  const add = await t.call('POST', '/v1/admin/reputation', { kind: 'number', value: '+447400123499', list: 'block', ttl: '1h', note: 'pumping' }, { key: adminToken });
  assert.equal(add.status, 201, JSON.stringify(add.body));
  assert.equal(add.body.createdBy, 'api:user:alice/token:' + add.body.createdBy.split('token:')[1]);
  const s = (await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: 'u' })).body;
  const r = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { phoneNumber: '+447400123499', channel: 'sms' }, { key: null });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'bad_reputation');
  assert.ok(r.body.error.retryAfter > 3500, 'the block says when it ends');
  const del = await t.call('DELETE', `/v1/admin/reputation/${add.body.id}`, undefined, { key: adminToken });
  assert.equal(del.status, 204);
  const again = await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { phoneNumber: '+447400123499', channel: 'sms' }, { key: null });
  assert.equal(again.status, 200, JSON.stringify(again.body));
});

test('a viewer may list but not block; an app key is not an admin credential', async () => {
  assert.equal((await t.call('GET', '/v1/admin/reputation', undefined, { key: viewerToken })).status, 200);
  const denied = await t.call('POST', '/v1/admin/reputation', { kind: 'ip', value: '203.0.113.7', list: 'block' }, { key: viewerToken });
  assert.equal(denied.status, 403);
  const app = await t.call('GET', '/v1/admin/reputation');
  assert.equal(app.status, 401);
});
