// Secret box: AES-256-GCM round trip, versioned format, and refusal of any tampering.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CryptoRandom } from '../../src/adapters/random/crypto-random.ts';
import { openSecret, SecretBoxError, sealSecret } from '../../src/core/totp/secret-box.ts';

const random = new CryptoRandom();
const key = new Uint8Array(32).fill(3);
const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

function flip(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = bytes[0]! ^ 1;
  return bytes.toString('base64url');
}

describe('TOTP secret box', () => {
  test('round-trips, with a fresh IV each time and no plaintext in the box', () => {
    const a = sealSecret(key, 'enr-1', secret, random);
    const b = sealSecret(key, 'enr-1', secret, random);
    assert.match(a, /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    assert.notEqual(a, b, 'random IV: same secret seals differently');
    assert.ok(!a.includes(secret));
    assert.equal(openSecret(key, 'enr-1', a), secret);
    assert.equal(openSecret(key, 'enr-1', b), secret);
  });

  test('a tampered IV, ciphertext or tag, another enrollment id or another key all fail', () => {
    const box = sealSecret(key, 'enr-1', secret, random);
    const [v, iv, body, tag] = box.split('.') as [string, string, string, string];
    for (const bad of [
      [v, flip(iv), body, tag].join('.'),
      [v, iv, flip(body), tag].join('.'),
      [v, iv, body, flip(tag)].join('.'),
    ]) {
      assert.throws(() => openSecret(key, 'enr-1', bad), SecretBoxError);
    }
    assert.throws(() => openSecret(key, 'enr-2', box), SecretBoxError, 'AAD binds the box to its enrollment');
    assert.throws(() => openSecret(new Uint8Array(32).fill(4), 'enr-1', box), SecretBoxError);
  });

  test('unknown versions, malformed boxes and wrong key sizes are refused', () => {
    const box = sealSecret(key, 'enr-1', secret, random);
    assert.throws(() => openSecret(key, 'enr-1', box.replace(/^v1/, 'v2')), /unknown secret-box format/);
    assert.throws(() => openSecret(key, 'enr-1', 'v1.abc.def'), SecretBoxError);
    assert.throws(() => openSecret(key, 'enr-1', 'v1.AAAA.AAAA.AAAA'), /malformed/);
    assert.throws(() => openSecret(key, 'enr-1', ''), SecretBoxError);
    assert.throws(() => sealSecret(new Uint8Array(16), 'enr-1', secret, random), RangeError);
    assert.throws(() => openSecret(new Uint8Array(31), 'enr-1', box), RangeError);
  });
});
