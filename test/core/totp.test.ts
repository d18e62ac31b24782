// TOTP core: RFC 6238 vectors for SHA-1/256/512, the ±1 step window, replay refusal, secrets and URIs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Secret } from 'otpauth';
import { CryptoRandom } from '../../src/adapters/random/crypto-random.ts';
import {
  generateTotpSecret,
  normaliseTotpToken,
  type TotpAlgorithm,
  totpCodeAt,
  totpStep,
  totpUri,
  verifyTotp,
} from '../../src/core/totp/totp.ts';
import type { Random } from '../../src/ports.ts';

// RFC 6238 appendix B: ASCII seeds sized to each hash, 8 digits, 30 s steps.
const seeds: Record<TotpAlgorithm, string> = {
  SHA1: '12345678901234567890',
  SHA256: '12345678901234567890123456789012',
  SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
};
const vectors: [number, Record<TotpAlgorithm, string>][] = [
  [59, { SHA1: '94287082', SHA256: '46119246', SHA512: '90693936' }],
  [1111111109, { SHA1: '07081804', SHA256: '68084774', SHA512: '25091201' }],
  [1111111111, { SHA1: '14050471', SHA256: '67062674', SHA512: '99943326' }],
  [1234567890, { SHA1: '89005924', SHA256: '91819424', SHA512: '93441116' }],
  [2000000000, { SHA1: '69279037', SHA256: '90698825', SHA512: '38618901' }],
  [20000000000, { SHA1: '65353130', SHA256: '77737706', SHA512: '47863826' }],
];
const base32 = (ascii: string) => Secret.fromLatin1(ascii).base32;

describe('TOTP (RFC 6238)', () => {
  for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
    test(`${algorithm} test vectors generate and verify`, () => {
      const secret = base32(seeds[algorithm]);
      for (const [seconds, expected] of vectors) {
        const p = { algorithm, digits: 8 as const, period: 30 };
        assert.equal(totpCodeAt(secret, totpStep(seconds * 1000, 30), p), expected[algorithm], `T=${seconds}`);
        const check = verifyTotp({ secret, token: expected[algorithm], now: seconds * 1000, ...p, lastUsedStep: null });
        assert.deepEqual(check, { ok: true, step: Math.floor(seconds / 30) }, `T=${seconds}`);
      }
    });
  }

  const secret = base32(seeds.SHA1);
  const p = { algorithm: 'SHA1' as const, digits: 6 as const, period: 30 };
  const now = 1_700_000_015_000; // mid-step
  const step = totpStep(now, 30);

  test('accepts the previous and next step (clock drift), not two away', () => {
    for (const delta of [-1, 0, 1]) {
      const check = verifyTotp({ secret, token: totpCodeAt(secret, step + delta, p), now, ...p, lastUsedStep: null });
      assert.deepEqual(check, { ok: true, step: step + delta });
    }
    for (const delta of [-2, 2]) {
      const check = verifyTotp({ secret, token: totpCodeAt(secret, step + delta, p), now, ...p, lastUsedStep: null });
      assert.deepEqual(check, { ok: false, step: null, reason: 'mismatch' });
    }
    const strict = verifyTotp({ secret, token: totpCodeAt(secret, step - 1, p), now, ...p, window: 0, lastUsedStep: null });
    assert.equal(strict.ok, false, 'window 0 accepts the current step only');
  });

  test('each code is accepted once: a step at or before the last used one is a replay', () => {
    const token = totpCodeAt(secret, step, p);
    const first = verifyTotp({ secret, token, now, ...p, lastUsedStep: null });
    assert.deepEqual(first, { ok: true, step });
    assert.deepEqual(verifyTotp({ secret, token, now, ...p, lastUsedStep: step }), { ok: false, step: null, reason: 'replayed' });
    // An older code still inside the window is refused once a newer one was used.
    const older = totpCodeAt(secret, step - 1, p);
    assert.deepEqual(verifyTotp({ secret, token: older, now, ...p, lastUsedStep: step }), { ok: false, step: null, reason: 'replayed' });
    // The next step's code still works.
    const next = totpCodeAt(secret, step + 1, p);
    assert.deepEqual(verifyTotp({ secret, token: next, now, ...p, lastUsedStep: step }), { ok: true, step: step + 1 });
  });

  test('normalises what was typed and refuses non-codes', () => {
    const token = totpCodeAt(secret, step, p);
    const spaced = `${token.slice(0, 3)} ${token.slice(3)}`;
    assert.equal(verifyTotp({ secret, token: ` ${spaced} `, now, ...p, lastUsedStep: null }).ok, true);
    assert.equal(normaliseTotpToken('123-456', 6), '123456');
    for (const bad of ['12345', '1234567', 'abcdef', 123456, null, '1'.repeat(100)]) {
      assert.deepEqual(verifyTotp({ secret, token: bad, now, ...p, lastUsedStep: null }), { ok: false, step: null, reason: 'malformed' });
    }
  });

  test('secrets: 20 CSPRNG bytes as base32, only through the Random port', () => {
    const s = generateTotpSecret(new CryptoRandom());
    assert.match(s, /^[A-Z2-7]{32}$/);
    assert.notEqual(s, generateTotpSecret(new CryptoRandom()));
    const scripted: Random = { bytes: (n) => new Uint8Array(n).fill(0xff), int: () => 0 };
    assert.equal(generateTotpSecret(scripted), '7'.repeat(32));
    assert.throws(() => generateTotpSecret(scripted, 8), RangeError);
  });

  test('otpauth:// URI carries issuer, label and parameters; separators in names are neutralised', () => {
    const s = generateTotpSecret(new CryptoRandom());
    const uri = new URL(totpUri({ issuer: 'Example Shop', label: 'j•••@example.com', secret: s, algorithm: 'SHA256', digits: 8, period: 30 }));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/Example Shop:j•••@example.com');
    assert.equal(uri.searchParams.get('secret'), s);
    assert.equal(uri.searchParams.get('issuer'), 'Example Shop');
    assert.equal(uri.searchParams.get('algorithm'), 'SHA256');
    assert.equal(uri.searchParams.get('digits'), '8');
    assert.equal(uri.searchParams.get('period'), '30');
    const odd = new URL(totpUri({ issuer: 'Evil:Issuer\n', label: 'a:b', secret: s }));
    assert.equal(decodeURIComponent(odd.pathname), '/Evil Issuer:a b');
    assert.equal(odd.searchParams.get('algorithm'), 'SHA1', 'defaults: SHA1 / 6 / 30');
    assert.equal(odd.searchParams.get('digits'), '6');
  });
});
