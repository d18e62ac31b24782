import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { codeMatches, generateCode, hashCode, normaliseSubmittedCode } from '../../src/core/codes/one-time-code.ts';
import { CryptoRandom } from '../../src/adapters/random/crypto-random.ts';
import type { Random } from '../../src/ports.ts';

const key = new Uint8Array(32).fill(7);

describe('one-time codes', () => {
  test('generates codes of the configured length from the CSPRNG, digits only', () => {
    const random = new CryptoRandom();
    for (const length of [4, 6, 8, 10]) {
      const code = generateCode(random, length);
      assert.match(code, new RegExp(`^\\d{${length}}$`));
    }
    assert.throws(() => generateCode(random, 3), RangeError);
    assert.throws(() => generateCode(random, 11), RangeError);
  });

  test('every digit is drawn uniformly (chi-square over 60k digits)', () => {
    const random = new CryptoRandom();
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) for (const d of generateCode(random, 6)) counts[Number(d)]++;
    const expected = 6000;
    const chi = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    assert.ok(chi < 35, `chi-square ${chi} too high for 9 degrees of freedom: ${counts}`); // p < 1e-4
  });

  test('uses only the Random port (deterministic with a scripted source)', () => {
    const digits = [1, 2, 3, 4, 5, 6];
    const scripted: Random = { bytes: (n) => new Uint8Array(n), int: () => digits.shift()! };
    assert.equal(generateCode(scripted, 6), '123456');
  });

  test('stores a keyed hash bound to the session and compares it', () => {
    const h = hashCode(key, 'session-a', '123456');
    assert.match(h, /^[0-9a-f]{64}$/);
    assert.ok(!h.includes('123456'));
    assert.notEqual(h, hashCode(key, 'session-b', '123456'), 'same code in another session hashes differently');
    assert.notEqual(h, hashCode(new Uint8Array(32).fill(8), 'session-a', '123456'), 'another key hashes differently');
    assert.equal(codeMatches(key, 'session-a', '123456', h), true);
    assert.equal(codeMatches(key, 'session-a', '123457', h), false);
    assert.equal(codeMatches(key, 'session-b', '123456', h), false);
    assert.equal(codeMatches(key, 'session-a', '123456', 'abcd'), false, 'malformed stored hash never matches');
  });

  test('normalises typed codes and refuses non-codes', () => {
    assert.equal(normaliseSubmittedCode(' 123 456 ', 6), '123456');
    assert.equal(normaliseSubmittedCode('123-456', 6), '123456');
    assert.equal(normaliseSubmittedCode('12345', 6), null);
    assert.equal(normaliseSubmittedCode('12345a', 6), null);
    assert.equal(normaliseSubmittedCode(123456, 6), null);
    assert.equal(normaliseSubmittedCode('1'.repeat(100), 6), null);
  });
});
