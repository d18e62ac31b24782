// AdminAuth against a real SQLite store and a manual clock: sign-in errors that do not tell users
// apart, throttling, session expiry, API tokens, and the audit entries each action leaves.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TollgateError } from '../../src/core/errors.ts';
import { ADMIN_PASSWORD, adminFixture, VIEWER_PASSWORD } from './helpers.ts';

async function rejection(p: Promise<unknown>): Promise<TollgateError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof TollgateError, String(err));
    return err;
  }
  assert.fail('expected a rejection');
}

describe('AdminAuth users', () => {
  test('createUser refuses weak passwords, bad usernames and duplicates; never stores the password', async () => {
    const f = await adminFixture();
    try {
      for (const [password, pattern] of [['short', /at least 12/], ['carol.smith', /at least 12/], ['carol.smith1', /not be the username/], ['password1234', /too common/]] as const) {
        const err = await rejection(f.auth.createUser({ username: 'carol.smith1', password, role: 'viewer' }, 'test'));
        assert.equal(err.code, 'invalid_request');
        assert.equal(err.steering.field, 'password');
        assert.match(err.message, pattern);
      }
      assert.equal((await rejection(f.auth.createUser({ username: 'x', password: 'long enough pass', role: 'viewer' }, 't'))).steering.field, 'username');
      assert.match((await rejection(f.auth.createUser({ username: 'ALICE', password: 'another good one', role: 'viewer' }, 't'))).message, /taken/);
      const alice = await f.store.getUserByUsername('alice');
      assert.ok(alice && alice.passwordHash.startsWith('scrypt$32768$8$1$') && !alice.passwordHash.includes(ADMIN_PASSWORD));
      assert.ok(!('passwordHash' in (await f.auth.listUsers())[0]!));
    } finally {
      await f.close();
    }
  });

  test('user changes are audited; disabling ends sessions and stops tokens', async () => {
    const f = await adminFixture();
    try {
      const { cookieValue } = await f.auth.signIn('victor', VIEWER_PASSWORD, '192.0.2.9', 'ua');
      const { token } = await f.auth.createApiToken('victor', { name: 'ci', role: 'viewer', ttlDays: 30 }, 'user:alice');
      await f.auth.setPassword('victor', 'a brand new password', 'user:alice');
      assert.equal(await f.auth.session(cookieValue), null);
      await f.auth.disableUser('victor', 'user:alice');
      assert.equal(await f.auth.authenticateToken(token), null);
      assert.equal((await rejection(f.auth.signIn('victor', 'a brand new password', '192.0.2.9', 'ua'))).code, 'unauthorized');
      const actions = (await f.auth.audit.list({})).map((e) => `${e.action} ${e.target}`).reverse();
      assert.deepEqual(actions.filter((a) => !a.startsWith('sign_in')), [
        'user_create alice', 'user_create victor', `token_create ${(await f.auth.listApiTokens())[0]!.id}`, 'user_password victor', 'user_disable victor',
      ]);
      const json = JSON.stringify(await f.auth.audit.list({ limit: 1000 }));
      assert.ok(!json.includes(VIEWER_PASSWORD) && !json.includes('a brand new password') && !json.includes(token) && !json.includes(cookieValue));
    } finally {
      await f.close();
    }
  });
});

describe('AdminAuth sign-in', () => {
  test('wrong password, unknown user and disabled user give the same error', async () => {
    const f = await adminFixture();
    try {
      await f.auth.createUser({ username: 'gone', password: 'gone but not forgotten', role: 'viewer' }, 'test');
      await f.auth.disableUser('gone', 'test');
      const errors = [
        await rejection(f.auth.signIn('alice', 'not the password', '192.0.2.1', null)),
        await rejection(f.auth.signIn('nobody', 'not the password', '192.0.2.2', null)),
        await rejection(f.auth.signIn('gone', 'gone but not forgotten', '192.0.2.3', null)),
      ];
      for (const e of errors) assert.deepEqual(e.toJSON(), errors[0]!.toJSON());
      assert.equal(errors[0]!.status, 401);
      const failed = await f.auth.audit.list({ action: 'sign_in_failed' });
      assert.deepEqual(failed.map((e) => e.target).sort(), ['', 'alice', 'gone']); // unknown names are not recorded
    } finally {
      await f.close();
    }
  });

  test('succeeds, records sign_in and lastSignInAt; username is case-insensitive', async () => {
    const f = await adminFixture();
    try {
      const { cookieValue, principal } = await f.auth.signIn(' ALICE ', ADMIN_PASSWORD, '192.0.2.1', 'Firefox');
      assert.match(cookieValue, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(principal.actor, 'user:alice');
      assert.equal(principal.role, 'admin');
      assert.equal((await f.store.getUserByUsername('alice'))?.lastSignInAt, f.clock.now());
      const [entry] = await f.auth.audit.list({ action: 'sign_in' });
      assert.equal(entry?.actor, 'user:alice');
      assert.deepEqual(entry?.details, { ip: '192.0.2.1' });
    } finally {
      await f.close();
    }
  });

  test('5 failures per username lock it for 15 minutes (429 with retryAfter), even with the right password', async () => {
    const f = await adminFixture();
    try {
      for (let i = 0; i < 5; i++) await rejection(f.auth.signIn('alice', `wrong guess ${i}`, `198.51.100.${i}`, null));
      f.clock.advance(60_000);
      const err = await rejection(f.auth.signIn('Alice', ADMIN_PASSWORD, '203.0.113.7', null));
      assert.equal(err.code, 'rate_limited');
      assert.equal(err.status, 429);
      assert.equal(err.steering.retryAfter, 14 * 60);
      f.clock.advance(14 * 60_000);
      assert.ok((await f.auth.signIn('alice', ADMIN_PASSWORD, '203.0.113.7', null)).cookieValue);
    } finally {
      await f.close();
    }
  });

  test('5 failures from one IP lock that IP for every username', async () => {
    const f = await adminFixture();
    try {
      for (let i = 0; i < 5; i++) await rejection(f.auth.signIn(`user${i}`, 'whatever you like', '198.51.100.1', null));
      const err = await rejection(f.auth.signIn('alice', ADMIN_PASSWORD, '198.51.100.1', null));
      assert.equal(err.code, 'rate_limited');
      assert.ok(err.steering.retryAfter! > 0 && err.steering.retryAfter! <= 900);
      assert.ok(await f.auth.signIn('alice', ADMIN_PASSWORD, '198.51.100.2', null)); // another IP is fine
    } finally {
      await f.close();
    }
  });

  test('parallel guesses cannot slip past the limit while scrypt runs', async () => {
    const f = await adminFixture();
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) => f.auth.signIn('alice', `parallel guess ${i}`, `203.0.113.${i}`, null)),
      );
      const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as TollgateError).code : 'ok'));
      assert.equal(codes.filter((c) => c === 'unauthorized').length, 5);
      assert.equal(codes.filter((c) => c === 'rate_limited').length, 7);
      // A success does not count against the IP.
      for (let i = 0; i < 6; i++) await f.auth.signIn('victor', VIEWER_PASSWORD, '192.0.2.200', null);
    } finally {
      await f.close();
    }
  });

  test('sessions end after 1 h idle and 12 h in all, and at sign-out', async () => {
    const f = await adminFixture();
    try {
      const idle = (await f.auth.signIn('alice', ADMIN_PASSWORD, null, null)).cookieValue;
      f.clock.advance(59 * 60_000);
      assert.ok(await f.auth.session(idle));
      f.clock.advance(59 * 60_000); // active use keeps it alive
      assert.ok(await f.auth.session(idle));
      f.clock.advance(60 * 60_000);
      assert.equal(await f.auth.session(idle), null);

      const busy = (await f.auth.signIn('alice', ADMIN_PASSWORD, null, null)).cookieValue;
      for (let step = 1; step <= 13; step++) {
        f.clock.advance(55 * 60_000); // 13 × 55 min = 11 h 55 min, never idle for an hour
        assert.ok(await f.auth.session(busy), `step ${step}`);
      }
      f.clock.advance(5 * 60_000 - 1); // 1 ms before the 12 h end
      assert.ok(await f.auth.session(busy));
      f.clock.advance(1);
      assert.equal(await f.auth.session(busy), null);

      const out = (await f.auth.signIn('alice', ADMIN_PASSWORD, null, null)).cookieValue;
      await f.auth.signOut(out);
      assert.equal(await f.auth.session(out), null);
      assert.equal((await f.auth.audit.list({ action: 'sign_out' })).length, 1);
      assert.equal(await f.auth.session('not-a-session'), null);
    } finally {
      await f.close();
    }
  });
});

describe('AdminAuth API tokens', () => {
  test('shown once, stored hashed, never above the user role, expire and can be revoked', async () => {
    const f = await adminFixture();
    try {
      const { token, record } = await f.auth.createApiToken('alice', { name: 'ci', role: 'admin', ttlDays: 2 }, 'user:alice');
      assert.match(token, /^tg_[0-9a-f]{16}_/);
      const stored = await f.store.getApiToken(record.id);
      assert.ok(stored && stored.tokenHash !== token && !JSON.stringify(stored).includes(token.slice(20)));
      assert.ok(!('tokenHash' in record));
      const p = await f.auth.authenticateToken(token);
      assert.equal(p?.actor, `user:alice/token:${record.id}`);
      assert.equal(p?.role, 'admin');
      assert.equal(await f.auth.authenticateToken(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')), null);

      assert.equal((await rejection(f.auth.createApiToken('victor', { name: 'x', role: 'admin', ttlDays: 1 }, 't'))).code, 'forbidden');
      assert.equal((await rejection(f.auth.createApiToken('alice', { name: 'x', role: 'admin', ttlDays: 400 }, 't'))).steering.field, 'ttlDays');

      f.clock.advance(2 * 86_400_000);
      assert.equal(await f.auth.authenticateToken(token), null);

      const second = await f.auth.createApiToken('alice', { name: 'deploy', role: 'viewer', ttlDays: 90 }, 'user:alice');
      assert.ok(await f.auth.authenticateToken(second.token));
      assert.equal(await f.auth.revokeApiToken(second.record.id, 'user:alice'), true);
      assert.equal(await f.auth.authenticateToken(second.token), null);
      assert.equal(await f.auth.revokeApiToken(second.record.id, 'user:alice'), false);
      assert.deepEqual((await f.auth.audit.list({ target: second.record.id })).map((e) => e.action), ['token_revoke', 'token_create']);
    } finally {
      await f.close();
    }
  });
});
