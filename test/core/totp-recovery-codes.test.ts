// Recovery codes: format and alphabet, CSPRNG through the Random port, keyed hashes, matching.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CryptoRandom } from '../../src/adapters/random/crypto-random.ts';
import {
  findRecoveryCode,
  generateRecoveryCodes,
  hashRecoveryCode,
  normaliseRecoveryCode,
  RECOVERY_ALPHABET,
} from '../../src/core/totp/recovery-codes.ts';
import type { Random } from '../../src/ports.ts';

const key = new Uint8Array(32).fill(9);

describe('TOTP recovery codes', () => {
  test('ten distinct xxxx-xxxx-xx codes from an unambiguous alphabet', () => {
    const codes = generateRecoveryCodes(new CryptoRandom());
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, /^[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{2}$/);
    for (const ambiguous of '01ilo') assert.ok(!RECOVERY_ALPHABET.includes(ambiguous));
    assert.equal(generateRecoveryCodes(new CryptoRandom(), 3).length, 3);
    assert.throws(() => generateRecoveryCodes(new CryptoRandom(), 0), RangeError);
  });

  test('draws only from the Random port, and a stuck source cannot loop forever', () => {
    let i = 0;
    const counting: Random = { bytes: (n) => new Uint8Array(n), int: (max) => i++ % max };
    assert.equal(generateRecoveryCodes(counting, 1)[0], '2345-6789-ab');
    const stuck: Random = { bytes: (n) => new Uint8Array(n), int: () => 0 };
    assert.throws(() => generateRecoveryCodes(stuck, 2), /repeating/);
  });

  test('normalises case, spaces and dashes; refuses anything else', () => {
    assert.equal(normaliseRecoveryCode(' ABCD-EFGH-JK '), 'abcdefghjk');
    assert.equal(normaliseRecoveryCode('abcd efgh jk'), 'abcdefghjk');
    for (const bad of ['abcd-efgh-j', 'abcd-efgh-jkl', 'abcd-efgh-j0', 'abcd-efgh-jl', 42, null, 'a'.repeat(100)]) {
      assert.equal(normaliseRecoveryCode(bad), null);
    }
  });

  test('hashes are keyed and bound to the enrollment; matching checks every stored hash', () => {
    const [a, b] = generateRecoveryCodes(new CryptoRandom(), 2) as [string, string];
    const h = hashRecoveryCode(key, 'enr-1', a)!;
    assert.match(h, /^[0-9a-f]{64}$/);
    assert.equal(hashRecoveryCode(key, 'enr-1', a.toUpperCase().replaceAll('-', ' ')), h);
    assert.notEqual(hashRecoveryCode(key, 'enr-2', a), h);
    assert.notEqual(hashRecoveryCode(new Uint8Array(32).fill(1), 'enr-1', a), h);
    assert.equal(hashRecoveryCode(key, 'enr-1', 'nope'), null);
    const stored = [hashRecoveryCode(key, 'enr-1', b)!, h];
    assert.equal(findRecoveryCode(key, 'enr-1', a, stored), 1);
    assert.equal(findRecoveryCode(key, 'enr-1', b, stored), 0);
    assert.equal(findRecoveryCode(key, 'enr-2', a, stored), -1);
    assert.equal(findRecoveryCode(key, 'enr-1', 'garbage', stored), -1);
    assert.equal(findRecoveryCode(key, 'enr-1', a, ['zz', 'abcd']), -1, 'malformed stored hashes never match');
  });
});
