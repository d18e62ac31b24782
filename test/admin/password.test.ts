// Password hashing (scrypt, self-describing encoding, constant-time verify) and the password policy.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CURRENT_PARAMS, decodePasswordHash, hashPassword, needsRehash, verifyPassword } from '../../src/core/admin/password.ts';
import { passwordProblem } from '../../src/core/admin/password-policy.ts';
import { apiTokenId, newApiToken, sha256Hex } from '../../src/core/admin/credentials.ts';
import { canSeeFullNumbers, lesserRole, normalizeUsername, roleAllows } from '../../src/core/admin/model.ts';

describe('password hashing', () => {
  test('round-trips, encodes N, r, p, a 16-byte salt and a 64-byte key', async () => {
    const encoded = await hashPassword('a long enough secret');
    const parts = encoded.split('$');
    assert.equal(parts.length, 6);
    assert.deepEqual(parts.slice(0, 4), ['scrypt', '32768', '8', '1']);
    const d = decodePasswordHash(encoded)!;
    assert.equal(d.salt.length, 16);
    assert.equal(d.key.length, 64);
    assert.equal(await verifyPassword('a long enough secret', encoded), true);
    assert.equal(await verifyPassword('a long enough secreT', encoded), false);
    assert.equal(await verifyPassword('', encoded), false);
    assert.equal(needsRehash(encoded), false);
  });

  test('salts differ, so equal passwords hash differently', async () => {
    assert.notEqual(await hashPassword('same password here'), await hashPassword('same password here'));
  });

  test('old parameters still verify and are flagged for re-hashing', async () => {
    const weak = await hashPassword('upgrade me please', { N: 2 ** 10, r: 8, p: 1 });
    assert.match(weak, /^scrypt\$1024\$8\$1\$/);
    assert.equal(await verifyPassword('upgrade me please', weak), true);
    assert.equal(needsRehash(weak), true);
    assert.equal(needsRehash(weak, { ...CURRENT_PARAMS, N: 2 ** 10 }), false);
  });

  test('malformed or out-of-bounds hashes never match', async () => {
    const good = await hashPassword('whatever it is 1');
    const [, , r, p, salt, key] = good.split('$');
    for (const bad of ['', 'plain', `bcrypt$32768$${r}$${p}$${salt}$${key}`, `scrypt$1000$${r}$${p}$${salt}$${key}`,
      `scrypt$${2 ** 24}$${r}$${p}$${salt}$${key}`, `scrypt$32768$999$${p}$${salt}$${key}`, `scrypt$32768$${r}$${p}$$${key}`]) {
      assert.equal(decodePasswordHash(bad), null, bad);
      assert.equal(await verifyPassword('whatever it is 1', bad), false);
    }
  });
});

describe('password policy', () => {
  test('refuses short, username-equal, common and one-letter passwords', () => {
    assert.equal(passwordProblem('short pass1', 'alice'), 'too_short');
    assert.equal(passwordProblem('alice.admin1', 'Alice.Admin1'), 'same_as_username');
    assert.equal(passwordProblem('Password1234', 'alice'), 'too_common');
    assert.equal(passwordProblem('administrator', 'alice'), 'too_common');
    assert.equal(passwordProblem('aaaaaaaaaaaaaa', 'alice'), 'too_common');
    assert.equal(passwordProblem('x'.repeat(1025), 'alice'), 'too_long');
    assert.equal(passwordProblem('plenty of lovely words', 'alice'), null);
    assert.equal(passwordProblem('ünïcödé-päss', 'alice'), null);
  });
});

describe('model helpers', () => {
  test('usernames are trimmed, lower-cased, 3–64 safe characters', () => {
    assert.equal(normalizeUsername('  Alice@Example.com '), 'alice@example.com');
    for (const bad of ['ab', 'a'.repeat(65), 'has space', '-lead', 'semi;colon', '<script>', 42]) assert.equal(normalizeUsername(bad), null);
  });

  test('roles: admin ⊇ viewer; only admins see full numbers', () => {
    assert.equal(roleAllows('admin', 'viewer'), true);
    assert.equal(roleAllows('viewer', 'admin'), false);
    assert.equal(lesserRole('admin', 'viewer'), 'viewer');
    assert.equal(canSeeFullNumbers('admin'), true);
    assert.equal(canSeeFullNumbers('viewer'), false);
  });

  test('API tokens look like tg_<id>_<secret> and are identified by their id', () => {
    const t = newApiToken();
    assert.match(t.token, /^tg_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    assert.equal(apiTokenId(t.token), t.id);
    assert.equal(t.tokenHash, sha256Hex(t.token));
    assert.equal(apiTokenId(`${t.token}x`), null);
    assert.equal(apiTokenId('tg_nothex0000000000_x'), null);
  });
});
