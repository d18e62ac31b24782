// ALTCHA end to end in Node: a challenge from the adapter, solved by altcha-lib's own solver (what
// the widget's workers run), then verified: once, for its own session, before it expires, untouched.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.ts';
import { AltchaCaptcha, ALTCHA_DEFAULT_COST, type AltchaChallengeInfo } from '../../../src/adapters/captcha/altcha.ts';
import { CaptchaErrorCode } from '../../../src/adapters/captcha/verification.ts';

const hmacKey = new Uint8Array(32).fill(9);
const A = { sessionId: 'ses_A', ip: '198.51.100.4' };
const B = { sessionId: 'ses_B', ip: '198.51.100.4' };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

// Small work factors keep the suite fast; one test below runs the defaults.
function setup(opts: { cost?: number; maxNumber?: number } = {}) {
  const clock = new ManualClock(Date.now());
  const captcha = new AltchaCaptcha({ clock, hmacKey, cost: opts.cost ?? 50, maxNumber: opts.maxNumber ?? 40 });
  return { clock, captcha };
}

/** What the widget posts: base64 JSON of { challenge: { parameters, signature }, solution }. */
async function solve(info: AltchaChallengeInfo): Promise<{ token: string; challenge: Challenge; solution: NonNullable<Awaited<ReturnType<typeof solveChallenge>>> }> {
  const challenge = JSON.parse(JSON.stringify(info.challenge)) as Challenge; // as the page delivers it
  const solution = await solveChallenge({ challenge, deriveKey });
  assert.ok(solution, 'altcha-lib solved the challenge');
  return { token: b64({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution }), challenge, solution };
}

describe('AltchaCaptcha', () => {
  test('challenge: signed PBKDF2 challenge, expires in 10 min by the Clock, session tagged not named', async () => {
    const { clock, captcha } = setup();
    const info = await captcha.challenge({ sessionId: 'ses_A' });
    assert.equal(info.provider, 'altcha');
    const p = info.challenge.parameters;
    assert.equal(p.algorithm, 'PBKDF2/SHA-256');
    assert.equal(p.expiresAt, Math.floor((clock.now() + 600_000) / 1000));
    assert.match(String(p.data?.sid), /^[0-9a-f]{32}$/);
    assert.ok(!JSON.stringify(info).includes('ses_A'), 'the session id itself is not in the page');
    assert.match(String(info.challenge.signature), /^[0-9a-f]{64}$/);
    assert.ok(p.keySignature, 'deterministic mode: verification is an HMAC, not a PBKDF2 run');
  });

  test('solved → ok; the same payload again → captcha_replayed', async () => {
    const { captcha } = setup();
    const { token } = await solve(await captcha.challenge(A));
    assert.deepEqual(await captcha.verify(token, A), { ok: true });
    assert.deepEqual(await captcha.verify(token, A), { ok: false, error: CaptchaErrorCode.REPLAYED });
  });

  test('concurrent submissions of one payload: exactly one passes', async () => {
    const { captcha } = setup();
    const { token } = await solve(await captcha.challenge(A));
    const results = await Promise.all(Array.from({ length: 8 }, () => captcha.verify(token, A)));
    assert.equal(results.filter((r) => r.ok).length, 1);
  });

  test('a solution for one session fails in another (and is not burnt by the attempt)', async () => {
    const { captcha } = setup();
    const { token } = await solve(await captcha.challenge(A));
    assert.deepEqual(await captcha.verify(token, B), { ok: false, error: CaptchaErrorCode.SESSION_MISMATCH });
    assert.deepEqual(await captcha.verify(token, A), { ok: true });
  });

  test('expired by the Clock → captcha_expired', async () => {
    const { clock, captcha } = setup();
    const { token } = await solve(await captcha.challenge(A));
    clock.advance(600_000 + 1_000);
    assert.deepEqual(await captcha.verify(token, A), { ok: false, error: CaptchaErrorCode.EXPIRED });
  });

  test('tampered payloads fail: re-tagged session, extended expiry, wrong key, foreign signer', async () => {
    const { captcha } = setup();
    const { challenge, solution } = await solve(await captcha.challenge(A));
    const otherTag = (await captcha.challenge(B)).challenge.parameters.data?.sid;
    const post = (parameters: Record<string, unknown>, sol = solution, signature = challenge.signature) =>
      captcha.verify(b64({ challenge: { parameters, signature }, solution: sol }), B);

    assert.deepEqual(await post({ ...challenge.parameters, data: { sid: otherTag } }), { ok: false, error: CaptchaErrorCode.INVALID });
    const p = challenge.parameters;
    assert.deepEqual(await post({ ...p, expiresAt: (p.expiresAt ?? 0) + 86_400 }), { ok: false, error: CaptchaErrorCode.INVALID });
    const flipped = solution.derivedKey.slice(0, -2) + (solution.derivedKey.endsWith('00') ? '01' : '00');
    assert.deepEqual(await captcha.verify(b64({ challenge, solution: { ...solution, derivedKey: flipped } }), A), { ok: false, error: CaptchaErrorCode.INVALID });

    // Same code, another key (another Tollgate, or an attacker's own server).
    const foreign = new AltchaCaptcha({ clock: new ManualClock(Date.now()), hmacKey: new Uint8Array(32).fill(1), cost: 50, maxNumber: 40 });
    const { token } = await solve(await foreign.challenge(A));
    assert.deepEqual(await captcha.verify(token, A), { ok: false, error: CaptchaErrorCode.INVALID });
  });

  test('garbage never throws and never passes', async () => {
    const { captcha } = setup();
    const garbage: unknown[] = [
      '',
      '   ',
      'not base64 at all!',
      'AAAA',
      b64(null),
      b64([]),
      b64({}),
      b64({ challenge: null, solution: null, test: true }), // the widget's own "test" mode
      b64({ challenge: { parameters: { algorithm: 'SHA-256' }, signature: 'ab' }, solution: { counter: 1, derivedKey: 'ab' } }),
      'x'.repeat(100_000),
      undefined,
      42,
    ];
    for (const g of garbage) {
      const r = await captcha.verify(g as string, A);
      assert.equal(r.ok, false, String(g).slice(0, 40));
      assert.ok(r.error === CaptchaErrorCode.MISSING || r.error === CaptchaErrorCode.INVALID);
    }
  });

  test('default work factors: one real solve passes', async () => {
    const clock = new ManualClock(Date.now());
    const captcha = new AltchaCaptcha({ clock, hmacKey });
    const info = await captcha.challenge(A);
    assert.equal(info.challenge.parameters.cost, ALTCHA_DEFAULT_COST);
    const { token } = await solve(info);
    assert.deepEqual(await captcha.verify(token, A), { ok: true });
  });

  test('refuses a short HMAC key and silly work factors', () => {
    const clock = new ManualClock();
    assert.throws(() => new AltchaCaptcha({ clock, hmacKey: new Uint8Array(8) }), /hmacKey/);
    assert.throws(() => new AltchaCaptcha({ clock, hmacKey, cost: 0 }), /cost/);
    assert.throws(() => new AltchaCaptcha({ clock, hmacKey, maxNumber: 1.5 }), /maxNumber/);
  });
});
