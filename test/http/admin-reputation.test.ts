// The admin reputation API over real HTTP (app.inject) and a real SQLite file: auth first, zod
// validation to stable 4xx codes, 201/204/404, and entries taking effect in the engine's lists.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { SqliteStore } from '../../src/adapters/store/sqlite.ts';
import { TollgateError } from '../../src/core/errors.ts';
import { bearerToken } from '../../src/http/auth.ts';
import { installErrorHandling } from '../../src/http/errors.ts';
import { registerAdminReputation } from '../../src/http/routes/admin-reputation.ts';
import { ReputationService } from '../../src/services/reputation-service.ts';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const ADMIN = { authorization: 'Bearer admin-key-0123456789abcdef' };
let dir: string;
let app: FastifyInstance;
let store: SqliteStore;
let clock: ManualClock;
let reputation: ReputationService;
/** What the route recorded in the audit trail (the real AuditLog is covered by test/admin/mitigations-audit.test.ts). */
const audited: { action: string; target: string }[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-admin-rep-'));
  store = new SqliteStore(join(dir, 'tollgate.db'));
  await store.migrate();
  clock = new ManualClock(T0);
  reputation = new ReputationService(store, clock);
  app = Fastify({ logger: false });
  installErrorHandling(app);
  await registerAdminReputation(app, {
    reputation,
    audit: { record: async (entry) => audited.push({ action: entry.action, target: entry.target ?? '' }) },
    adminAuth: (request) => {
      if (bearerToken(request) !== 'admin-key-0123456789abcdef') throw new TollgateError('unauthorized', 'Send an admin API key.');
      return 'ops';
    },
  });
  await app.ready();
});
after(async () => {
  await app.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const post = (payload: unknown, headers: Record<string, string> = ADMIN) => app.inject({ method: 'POST', url: '/v1/admin/reputation', headers, payload: payload as object });

describe('admin reputation API', () => {
  test('every route needs the admin key, checked before the body', async () => {
    for (const [method, url] of [['GET', '/v1/admin/reputation'], ['POST', '/v1/admin/reputation'], ['DELETE', '/v1/admin/reputation/x']] as const) {
      for (const headers of [{}, { authorization: 'Bearer wrong' }]) {
        const res = await app.inject({ method, url, headers, ...(method === 'POST' ? { payload: { nonsense: true } } : {}) });
        assert.equal(res.statusCode, 401, `${method} ${url}`);
        assert.equal(res.json().error.code, 'unauthorized');
        assert.equal(res.headers['www-authenticate'], 'Bearer');
      }
    }
  });

  test('POST adds a normalised entry (201); GET lists it; the engine sees it', async () => {
    const res = await post({ kind: 'prefix', value: '+44 74001', list: 'block', ttl: '1h', note: 'pumping wave' });
    assert.equal(res.statusCode, 201);
    const entry = res.json();
    assert.match(entry.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual({ ...entry, id: undefined }, {
      id: undefined, kind: 'prefix', value: '+4474001', list: 'block', createdAt: '2026-03-01T12:00:00.000Z',
      expiresAt: '2026-03-01T13:00:00.000Z', active: true, note: 'pumping wave', createdBy: 'api:ops',
    });
    const list = await app.inject({ method: 'GET', url: '/v1/admin/reputation', headers: ADMIN });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json().entries.map((e: { id: string }) => e.id), [entry.id]);
    assert.equal((await reputation.lists()).matchPhone('+447400123456', 'GB')?.list, 'block');

    const seconds = await post({ kind: 'asn', value: 'AS14061', list: 'block', ttl: 900 });
    assert.equal(seconds.json().expiresAt, '2026-03-01T12:15:00.000Z');
    const forever = await post({ kind: 'ip', value: '2001:DB8::1', list: 'allow' });
    assert.equal(forever.statusCode, 201);
    assert.equal(forever.json().expiresAt, null);
    assert.equal(forever.json().value, '2001:db8::1');
  });

  test('expired entries appear only with includeExpired', async () => {
    const res = await post({ kind: 'ip', value: '192.0.2.55', list: 'block', ttl: '15m' });
    const id = res.json().id;
    clock.advance(15 * 60_000);
    const ids = async (q: string) => (await app.inject({ method: 'GET', url: `/v1/admin/reputation${q}`, headers: ADMIN })).json().entries.map((e: { id: string; active: boolean }) => [e.id, e.active]);
    assert.ok(!(await ids('')).some(([x]: [string]) => x === id));
    assert.deepEqual((await ids('?includeExpired=true')).find(([x]: [string]) => x === id), [id, false]);
    const bad = await app.inject({ method: 'GET', url: '/v1/admin/reputation?includeExpired=yes', headers: ADMIN });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'invalid_request');
  });

  test('bad input gives 400 invalid_request naming the field, never 500', async () => {
    const cases: [unknown, string][] = [
      [{ kind: 'email', value: 'a@b.c', list: 'block' }, 'kind'],
      [{ kind: 'ip', value: '1.2.3', list: 'block' }, 'value'],
      [{ kind: 'cidr', value: '10.0.0.0/33', list: 'block' }, 'value'],
      [{ kind: 'number', value: '+4474001', list: 'block' }, 'value'],
      [{ kind: 'country', value: 'UK', list: 'block' }, 'value'],
      [{ kind: 'asn', value: 'AS0', list: 'block' }, 'value'],
      [{ kind: 'ip', value: '1.2.3.4', list: 'grey' }, 'list'],
      [{ kind: 'ip', value: '1.2.3.4', list: 'block', ttl: 'forever' }, 'ttl'],
      [{ kind: 'ip', value: '1.2.3.4', list: 'block', ttl: -1 }, 'ttl'],
      [{ kind: 'ip', value: '1.2.3.4', list: 'block', ttl: '0s' }, 'ttl'],
      [{ kind: 'ip', value: '1.2.3.4', list: 'block', note: 'x'.repeat(501) }, 'note'],
      [{ kind: 'ip', value: '1.2.3.4', list: 'block', expires: '1h' }, ''],
      [{ kind: 'ip', list: 'block' }, 'value'],
      [[], ''],
    ];
    for (const [payload, field] of cases) {
      const res = await post(payload);
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      const error = res.json().error;
      assert.equal(error.code, 'invalid_request');
      if (field) assert.equal(error.field, field, `${JSON.stringify(payload)}: ${error.message}`);
    }
    const notJson = await app.inject({ method: 'POST', url: '/v1/admin/reputation', headers: { ...ADMIN, 'content-type': 'application/json' }, payload: '{nope' });
    assert.equal(notJson.statusCode, 400);
  });

  test('DELETE removes (204) and then 404s', async () => {
    const id = (await post({ kind: 'country', value: 'JM', list: 'block' })).json().id;
    assert.ok((await reputation.lists()).matchPhone('+18765550123', 'JM'));
    const del = await app.inject({ method: 'DELETE', url: `/v1/admin/reputation/${id}`, headers: ADMIN });
    assert.equal(del.statusCode, 204);
    assert.equal(del.body, '');
    assert.equal((await reputation.lists()).matchPhone('+18765550123', 'JM'), null);
    assert.deepEqual(audited.slice(-2).map((a) => a.action), ['reputation_add', 'reputation_remove'], 'both changes audited');
    const again = await app.inject({ method: 'DELETE', url: `/v1/admin/reputation/${id}`, headers: ADMIN });
    assert.equal(again.statusCode, 404);
    assert.equal(again.json().error.code, 'not_found');
    const long = await app.inject({ method: 'DELETE', url: `/v1/admin/reputation/${'x'.repeat(101)}`, headers: ADMIN });
    assert.ok(long.statusCode >= 400 && long.statusCode < 500, String(long.statusCode)); // Fastify's maxParamLength (414)
  });
});
