// The contract every Store adapter must pass (SQLite now, PostgreSQL later): call storeContract()
// from an adapter's test file with a factory that returns a fresh, empty, not-yet-migrated store.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventType, type TollgateEvent } from '../../src/core/events/event.ts';
import { ReasonCode } from '../../src/core/events/reason-codes.ts';
import type { PhoneFactorSession } from '../../src/core/flows/session.ts';
import type { OutboxMessage, ReputationEntry, SigningKeyRecord, Store } from '../../src/ports.ts';

export type StoreFactory = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

const T0 = 1_700_000_000_000;
let seq = 0;
const nextId = (prefix: string): string => `${prefix}-${++seq}`;

export function makeSession(overrides: Partial<PhoneFactorSession> = {}): PhoneFactorSession {
  return {
    id: nextId('sess'), appId: 'app-1', profileId: 'default', policyId: 'B2C_1A_signin', userId: 'user-42',
    registeredNumbers: ['+14155550100', '+442071838750'], returnUrl: 'https://app.example/return', locale: 'en',
    nonce: null, client: { ip: '203.0.113.9', userAgent: 'Mozilla/5.0' }, correlationId: 'corr-1',
    status: 'created', createdAt: T0, updatedAt: T0, expiresAt: T0 + 600_000, selectedNumber: null,
    newPhoneNumberEntered: false, sendCount: 0, lastSendAt: null, code: null, verifiedAt: null,
    failureReason: null, kind: 'phone_factor', version: 1,
    ...overrides,
  };
}

export function makeEvent(overrides: Partial<TollgateEvent> = {}): TollgateEvent {
  return {
    id: nextId('evt'), time: T0, type: EventType.CODE_SENT, outcome: 'success', reason: ReasonCode.OK,
    reasonDescription: 'OK', appId: 'app-1', policyId: 'B2C_1A_signin', profileId: 'default', sessionId: 'sess-a',
    userIdHash: 'ab'.repeat(16), phoneNumber: '+14155550100', countryCallingCode: '1', phoneRegion: 'US',
    channel: 'sms', ip: '203.0.113.9', userAgent: 'Mozilla/5.0', browser: 'Firefox', browserVersion: '128.0',
    os: 'Linux', osVersion: '6', deviceType: 'desktop', cost: 0.0079, currency: 'USD', correlationId: 'corr-1',
    details: { provider: 'outbox', attempt: 1, nested: { ok: true, list: [1, 'two', null] } },
    ...overrides,
  };
}

function makeOutbox(overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id: nextId('out'), time: T0, channel: 'sms', to: '+14155550100', body: 'Your code is 123456',
    code: '123456', sessionId: 'sess-a', locale: 'en',
    ...overrides,
  };
}

export function storeContract(name: string, makeStore: StoreFactory): void {
  /** Runs `fn` against a fresh migrated store, cleaning up whatever happens. */
  const withStore = (fn: (store: Store) => Promise<void>) => async () => {
    const { store, cleanup } = await makeStore();
    try {
      await store.migrate();
      await fn(store);
    } finally {
      await cleanup();
    }
  };

  describe(`Store contract: ${name}`, () => {
    test('migrate is idempotent and keeps data', withStore(async (store) => {
      await store.setSetting('k', 'v');
      await store.migrate();
      await store.migrate();
      assert.equal(await store.getSetting('k'), 'v');
    }));

    test('unknown ids give null', withStore(async (store) => {
      assert.equal(await store.getSession('nope'), null);
      assert.equal(await store.updateSession(makeSession({ id: 'nope' })), null);
      assert.equal(await store.getSetting('nope'), null);
      assert.deepEqual(await store.listEvents({}), []);
      assert.deepEqual(await store.listOutbox({}), []);
      assert.deepEqual(await store.listSigningKeys(), []);
      assert.deepEqual(await store.listReputation(), []);
      assert.equal(await store.deleteReputation('nope'), false);
      assert.equal(await store.phoneVerifiedBefore('+14155550100'), false);
    }));

    test('session create/get round-trips exactly', withStore(async (store) => {
      const session = makeSession({
        status: 'code_sent',
        selectedNumber: '+14155550100',
        sendCount: 1,
        lastSendAt: T0 + 5,
        nonce: 'n-1',
        client: { ip: null, userAgent: null },
        code: {
          hash: 'f'.repeat(64), channel: 'voice', phoneNumber: '+14155550100',
          sentAt: T0 + 5, expiresAt: T0 + 300_005, wrongAttempts: 2, spent: false,
        },
      });
      const copy = structuredClone(session);
      await store.createSession(session);
      assert.deepEqual(await store.getSession(session.id), copy);
      assert.deepEqual(session, copy, 'the store must not change its argument');
    }));

    test('createSession with a duplicate id throws', withStore(async (store) => {
      const session = makeSession();
      await store.createSession(session);
      await assert.rejects(store.createSession({ ...session, status: 'verified' }));
      assert.equal((await store.getSession(session.id))?.status, 'created');
    }));

    test('updateSession: optimistic concurrency, first writer wins', withStore(async (store) => {
      const session = makeSession({ version: 1 });
      await store.createSession(session);
      const a = (await store.getSession(session.id))!;
      const b = (await store.getSession(session.id))!;

      const savedA = await store.updateSession({ ...a, status: 'number_selected', selectedNumber: '+14155550100', updatedAt: T0 + 1 });
      assert.ok(savedA);
      assert.equal(savedA.version, 2);
      assert.equal(savedA.status, 'number_selected');
      assert.equal(await store.updateSession({ ...b, status: 'failed' }), null, 'stale writer must lose');

      const stored = (await store.getSession(session.id))!;
      assert.deepEqual(stored, savedA);
      const savedAgain = await store.updateSession({ ...stored, status: 'code_sent', sendCount: 1 });
      assert.equal(savedAgain?.version, 3);
      assert.deepEqual(await store.getSession(session.id), savedAgain);
    }));

    test('findActiveVerification picks the newest active one', withStore(async (store) => {
      const phone = '+14155550100';
      const now = T0 + 1000;
      const v = (o: Partial<PhoneFactorSession>) =>
        makeSession({ kind: 'verification', selectedNumber: phone, status: 'code_sent', ...o });
      assert.equal(await store.findActiveVerification('app-1', phone, now), null);

      const older = v({ createdAt: T0 });
      const newer = v({ createdAt: T0 + 10 });
      await store.createSession(newer);
      await store.createSession(older);
      for (const ignored of [
        v({ createdAt: T0 + 20, status: 'verified' }),
        v({ createdAt: T0 + 21, status: 'failed' }),
        v({ createdAt: T0 + 22, status: 'expired' }),
        v({ createdAt: T0 + 23, expiresAt: now }), // expiry is exclusive
        v({ createdAt: T0 + 24, expiresAt: now - 1 }),
        v({ createdAt: T0 + 25, appId: 'app-2' }),
        v({ createdAt: T0 + 26, selectedNumber: '+14155550199' }),
        v({ createdAt: T0 + 27, kind: 'phone_factor' }),
      ]) await store.createSession(ignored);

      assert.deepEqual(await store.findActiveVerification('app-1', phone, now), newer);
      assert.equal(await store.findActiveVerification('app-3', phone, now), null);

      // Once the newest ends, the older active one is found; the index follows updates.
      assert.ok(await store.updateSession({ ...newer, status: 'verified' }));
      assert.equal((await store.findActiveVerification('app-1', phone, now))?.id, older.id);
      assert.equal(await store.findActiveVerification('app-1', phone, older.expiresAt), null);
    }));

    test('events round-trip exactly, nulls and details included', withStore(async (store) => {
      const full = makeEvent();
      const sparse = makeEvent({
        time: T0 + 1, type: EventType.SEND_REFUSED, outcome: 'client_error', reason: ReasonCode.INVALID_PHONE_NUMBER,
        appId: null, policyId: null, profileId: null, sessionId: null, userIdHash: null, phoneNumber: null,
        countryCallingCode: null, phoneRegion: null, channel: null, ip: null, userAgent: null, browser: null,
        browserVersion: null, os: null, osVersion: null, deviceType: null, cost: 0, correlationId: null, details: {},
      });
      await store.appendEvent(full);
      await store.appendEvent(sparse);
      assert.deepEqual(await store.listEvents({}), [full, sparse]);
      await assert.rejects(store.appendEvent(full), 'duplicate event id');
    }));

    test('listEvents filters and orders by time, then insertion', withStore(async (store) => {
      const e = [
        makeEvent({ time: T0 + 30, sessionId: 's1', type: EventType.CODE_VERIFIED }),
        makeEvent({ time: T0 + 10, sessionId: 's1', phoneNumber: '+15550001' }),
        makeEvent({ time: T0 + 20, sessionId: 's2', phoneNumber: '+15550001', type: EventType.CODE_VERIFIED }),
        makeEvent({ time: T0 + 10, sessionId: 's2' }),
        makeEvent({ time: T0 + 40, sessionId: null, phoneNumber: null }),
      ];
      for (const event of e) await store.appendEvent(event);
      const ids = async (q: Parameters<Store['listEvents']>[0]) => (await store.listEvents(q)).map((x) => x.id);

      assert.deepEqual(await ids({}), [e[1], e[3], e[2], e[0], e[4]].map((x) => x.id));
      assert.deepEqual(await ids({ sessionId: 's1' }), [e[1].id, e[0].id]);
      assert.deepEqual(await ids({ phoneNumber: '+15550001' }), [e[1].id, e[2].id]);
      assert.deepEqual(await ids({ type: EventType.CODE_VERIFIED }), [e[2].id, e[0].id]);
      assert.deepEqual(await ids({ since: T0 + 20 }), [e[2].id, e[0].id, e[4].id], 'since is inclusive');
      assert.deepEqual(await ids({ until: T0 + 20 }), [e[1].id, e[3].id], 'until is exclusive');
      assert.deepEqual(await ids({ since: T0 + 10, until: T0 + 30, sessionId: 's2' }), [e[3].id, e[2].id]);
      assert.deepEqual(await ids({ type: EventType.CODE_VERIFIED, phoneNumber: '+15550001' }), [e[2].id]);
      assert.deepEqual(await ids({ limit: 2 }), [e[1].id, e[3].id]);
      assert.deepEqual(await ids({ sessionId: 'none' }), []);
    }));

    test('listEvents returns at most 1000 by default', withStore(async (store) => {
      for (let i = 0; i < 1001; i++) await store.appendEvent(makeEvent({ time: T0 + i }));
      const list = await store.listEvents({});
      assert.equal(list.length, 1000);
      assert.equal(list[0].time, T0);
      assert.equal((await store.listEvents({ limit: 5000 })).length, 1001);
    }));

    test('outbox lists newest first, filters by number, limits', withStore(async (store) => {
      const a = makeOutbox({ time: T0 + 1, to: '+15550001' });
      const b = makeOutbox({ time: T0 + 3, to: '+15550002', channel: 'voice', code: null, sessionId: null, locale: 'fr' });
      const c = makeOutbox({ time: T0 + 2, to: '+15550001' });
      for (const m of [a, b, c]) await store.appendOutbox(m);
      assert.deepEqual(await store.listOutbox({}), [b, c, a]);
      assert.deepEqual(await store.listOutbox({ to: '+15550001' }), [c, a]);
      assert.deepEqual(await store.listOutbox({ to: '+15550001', limit: 1 }), [c]);
      assert.deepEqual(await store.listOutbox({ to: '+19999999' }), []);
      for (let i = 0; i < 100; i++) await store.appendOutbox(makeOutbox({ time: T0 + 10 + i }));
      assert.equal((await store.listOutbox({})).length, 100, 'default limit is 100');
    }));

    test('signing keys: ordered by creation, put replaces by kid', withStore(async (store) => {
      const key = (kid: string, createdAt: number): SigningKeyRecord => ({
        kid, privateJwk: `{"kty":"EC","d":"${kid}"}`, publicJwk: `{"kty":"EC","x":"${kid}"}`,
        createdAt, rotatedAt: null, retiredAt: null,
      });
      const k2 = key('k2', T0 + 100);
      const k1 = key('k1', T0);
      await store.putSigningKey(k2);
      await store.putSigningKey(k1);
      assert.deepEqual(await store.listSigningKeys(), [k1, k2]);
      const rotated = { ...k1, rotatedAt: T0 + 100, retiredAt: T0 + 200 };
      await store.putSigningKey(rotated);
      assert.deepEqual(await store.listSigningKeys(), [rotated, k2]);
    }));

    test('reputation: ordered by creation, put upserts by id, delete reports', withStore(async (store) => {
      const entry = (id: string, createdAt: number, o: Partial<ReputationEntry> = {}): ReputationEntry => ({
        id, kind: 'prefix', value: '+4474001', list: 'block', createdAt, expiresAt: null, note: '', createdBy: 'cli', ...o,
      });
      const later = entry('r2', T0 + 100, { kind: 'cidr', value: '2001:db8::/48', list: 'allow', expiresAt: T0 + 3_600_000, note: 'office ✓', createdBy: 'api:admin' });
      const first = entry('r1', T0);
      const sameValue = entry('r3', T0 + 200); // kind + value are not unique: the service decides
      for (const e of [later, first, sameValue]) await store.putReputation(e);
      assert.deepEqual(await store.listReputation(), [first, later, sameValue]);

      const extended = { ...first, expiresAt: T0 + 60_000, note: 'extended', createdAt: T0 + 300 };
      await store.putReputation(extended);
      assert.deepEqual(await store.listReputation(), [later, sameValue, extended]);

      assert.equal(await store.deleteReputation('r2'), true);
      assert.equal(await store.deleteReputation('r2'), false);
      assert.deepEqual(await store.listReputation(), [sameValue, extended]);
    }));

    test('phoneVerifiedBefore: only a session.verified event for that number counts', withStore(async (store) => {
      const phone = '+14155550123';
      await store.appendEvent(makeEvent({ phoneNumber: phone, type: EventType.CODE_SENT }));
      await store.appendEvent(makeEvent({ phoneNumber: phone, type: EventType.CODE_VERIFIED }));
      await store.appendEvent(makeEvent({ phoneNumber: '+14155550124', type: EventType.SESSION_VERIFIED }));
      await store.appendEvent(makeEvent({ phoneNumber: null, type: EventType.SESSION_VERIFIED }));
      assert.equal(await store.phoneVerifiedBefore(phone), false);
      await store.appendEvent(makeEvent({ phoneNumber: phone, type: EventType.SESSION_VERIFIED, time: T0 - 86_400_000 }));
      assert.equal(await store.phoneVerifiedBefore(phone), true);
      assert.equal(await store.phoneVerifiedBefore('+14155550124'), true);
      assert.equal(await store.phoneVerifiedBefore('+14155550125'), false);
    }));

    test('settings upsert', withStore(async (store) => {
      assert.equal(await store.getSetting('dev.secret'), null);
      await store.setSetting('dev.secret', 'one');
      await store.setSetting('other', '');
      await store.setSetting('dev.secret', 'two');
      assert.equal(await store.getSetting('dev.secret'), 'two');
      assert.equal(await store.getSetting('other'), '');
    }));

    test('close is idempotent', async () => {
      const { store, cleanup } = await makeStore();
      try {
        await store.migrate();
        await store.close();
        await store.close();
      } finally {
        await cleanup();
      }
    });
  });
}
