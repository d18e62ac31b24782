// Every change to the reputation lists lands in the admin audit trail, whichever way it was made:
// the admin API (token or signed-in session) and the `tollgate block|allow` CLI (actor `cli`).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { SqliteAdminStore } from '../../src/adapters/store/sqlite-admin.ts';
import { addEntryCommand, removeEntryCommand } from '../../src/cli/reputation.ts';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';
import { signInThroughForm } from './helpers.ts';

describe('admin API', () => {
  let t: TestTollgate;
  let token: string;
  let tokenId: string;
  before(async () => {
    t = await startTestTollgate();
    await t.tg.adminAuth.createUser({ username: 'alice', password: 'correct horse battery staple', role: 'admin' }, 'cli');
    const made = await t.tg.adminAuth.createApiToken('alice', { name: 'ci', role: 'admin', ttlDays: 1 }, 'cli');
    token = made.token;
    tokenId = made.record.id;
  });
  after(async () => t.close());

  test('POST records reputation_add and DELETE reputation_remove, with the token as actor and what changed', async () => {
    const add = await t.call('POST', '/v1/admin/reputation', { kind: 'prefix', value: '+4474001', list: 'block', ttl: '1h', note: 'wave 3' }, { key: token });
    assert.equal(add.status, 201);
    const id = add.body.id as string;
    const [added] = await t.tg.adminAuth.audit.list({ target: id });
    assert.equal(added!.actor, `user:alice/token:${tokenId}`);
    assert.equal(added!.action, 'reputation_add');
    assert.deepEqual(added!.details, {
      kind: 'prefix', value: '+4474001', list: 'block', expiresAt: Date.parse(add.body.expiresAt), note: 'wave 3',
      createdBy: `api:user:alice/token:${tokenId}`, via: 'api', ttl: 3600,
    });

    assert.equal((await t.call('DELETE', `/v1/admin/reputation/${id}`, undefined, { key: token })).status, 204);
    const [removed] = await t.tg.adminAuth.audit.list({ target: id, limit: 1 });
    assert.equal(removed!.action, 'reputation_remove');
    assert.equal(removed!.actor, `user:alice/token:${tokenId}`);
    assert.deepEqual([removed!.details.kind, removed!.details.value, removed!.details.via], ['prefix', '+4474001', 'api']);

    // Refused changes record nothing.
    assert.equal((await t.call('DELETE', `/v1/admin/reputation/${id}`, undefined, { key: token })).status, 404);
    assert.equal((await t.call('POST', '/v1/admin/reputation', { kind: 'prefix', value: 'x', list: 'block' }, { key: token })).status, 400);
    assert.equal((await t.tg.adminAuth.audit.list({ target: id })).length, 2);
    assert.equal((await t.tg.adminAuth.audit.list({ action: 'reputation_add' })).length, 1);
  });

  test('a signed-in session (cookie + X-CSRF-Token) is recorded as the user', async () => {
    const { cookie } = await signInThroughForm(t.tg.http, 'alice', 'correct horse battery staple');
    const csrf = (await t.tg.http.inject({ method: 'GET', url: '/v1/admin/me', headers: { cookie } })).json().csrf;
    const res = await t.tg.http.inject({
      method: 'POST', url: '/v1/admin/reputation', headers: { cookie, 'x-csrf-token': csrf },
      payload: { kind: 'ip', value: '203.0.113.5', list: 'allow' },
    });
    assert.equal(res.statusCode, 201);
    const [entry] = await t.tg.adminAuth.audit.list({ target: res.json().id });
    assert.equal(entry!.actor, 'user:alice');
    assert.equal(entry!.details.expiresAt, null);
    assert.equal(entry!.details.ttl, undefined);
  });
});

describe('CLI', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tollgate-cli-audit-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('tollgate block / block remove record reputation_add / reputation_remove as `cli`', async () => {
    const out: string[] = [];
    const deps = { env: { TOLLGATE_DATA_DIR: dir }, cwd: dir, clock: new ManualClock(Date.parse('2026-03-01T12:00:00Z')), log: (s: string) => out.push(s), error: (s: string) => out.push(s) };
    assert.equal(await addEntryCommand('block', 'number', '+447400123456', { for: '2h', note: 'from a ticket' }, deps), 0);
    const id = out[0]!.split(/\s+/)[0]!;
    assert.equal(await removeEntryCommand(id, deps), 0);
    assert.equal(await removeEntryCommand(id, deps), 1, 'unknown id');
    assert.equal(await addEntryCommand('block', 'number', 'nope', {}, deps), 2);

    const store = new SqliteAdminStore(join(dir, 'tollgate.db'));
    try {
      const entries = await store.listAudit({ actor: 'cli' });
      assert.deepEqual(entries.map((e) => [e.action, e.target]), [['reputation_remove', id], ['reputation_add', id]]);
      assert.deepEqual(entries[1]!.details, {
        kind: 'number', value: '+447400123456', list: 'block', expiresAt: Date.parse('2026-03-01T14:00:00Z'), note: 'from a ticket',
        createdBy: 'cli', via: 'cli', ttl: 7200,
      });
      assert.equal(entries[0]!.time, Date.parse('2026-03-01T12:00:00Z'));
    } finally {
      await store.close();
    }
  });
});
