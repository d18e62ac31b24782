// TotpService end to end on a real temp SQLite database: enrollment, confirmation, verification
// with replay protection and the attempt limit, recovery codes, re-enrollment and disabling.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { CryptoRandom } from '../../src/adapters/random/crypto-random.ts';
import { SqliteFactorStore } from '../../src/adapters/store/sqlite-factors.ts';
import { factorsMigration } from '../../src/adapters/store/sqlite-migrations-factors.ts';
import { TollgateError } from '../../src/core/errors.ts';
import { totpCodeAt, totpStep } from '../../src/core/totp/totp.ts';
import { TotpService, type TotpServiceOptions } from '../../src/services/totp-service.ts';

let dir: string;
let db: Database.Database;
let store: SqliteFactorStore;
let clock: ManualClock;
const user = { appId: 'shop', userIdHash: 'u-hash-1' };

function service(extra: Partial<TotpServiceOptions> = {}): TotpService {
  return new TotpService({
    store,
    clock,
    random: new CryptoRandom(),
    secretKey: new Uint8Array(32).fill(1),
    recoveryKey: new Uint8Array(32).fill(2),
    issuer: 'Example Shop',
    ...extra,
  });
}

const codeNow = (secret: string, offsetSteps = 0) => totpCodeAt(secret, totpStep(clock.now(), 30) + offsetSteps);

async function rejectsWith(promise: Promise<unknown>, code: string, steering: Record<string, unknown> = {}): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TollgateError, String(error));
    assert.equal(error.code, code, error.message);
    for (const [k, v] of Object.entries(steering)) assert.equal(error.steering[k], v, k);
    return true;
  });
}

async function enrolled(totp = service()) {
  const began = await totp.beginEnrollment({ ...user, label: 'j•••@example.com' });
  const { recoveryCodes } = await totp.confirmEnrollment({ enrollmentId: began.enrollmentId, token: codeNow(began.secret) });
  clock.advance(30_000); // the confirming code is spent; move to the next step
  return { ...began, recoveryCodes };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-totp-'));
  db = new Database(join(dir, 'tollgate.db'));
  db.pragma('foreign_keys = ON');
  db.exec(factorsMigration.up);
  store = new SqliteFactorStore(db);
  clock = new ManualClock(1_700_000_000_000);
});

afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('TotpService', () => {
  test('enrollment: secret shown once, URI and QR for the app, only a sealed box at rest', async () => {
    const began = await service().beginEnrollment({ ...user, label: 'j•••@example.com' });
    assert.match(began.secret, /^[A-Z2-7]{32}$/);
    const uri = new URL(began.uri);
    assert.equal(uri.searchParams.get('secret'), began.secret);
    assert.equal(uri.searchParams.get('issuer'), 'Example Shop');
    assert.match(began.qrSvgDataUrl, /^data:image\/svg\+xml;base64,/);
    assert.match(Buffer.from(began.qrSvgDataUrl.split(',')[1]!, 'base64').toString('utf8'), /<svg[^>]*>/);
    const dump = JSON.stringify(db.prepare('SELECT * FROM totp_enrollments').all());
    assert.ok(!dump.includes(began.secret), 'the secret is never stored in clear');
    assert.equal((await store.getTotpEnrollment(began.enrollmentId))?.status, 'pending');
  });

  test('confirmation needs a right code, then returns ten recovery codes stored only as hashes', async () => {
    const totp = service();
    const began = await totp.beginEnrollment({ ...user, label: 'jane' });
    await rejectsWith(totp.confirmEnrollment({ enrollmentId: began.enrollmentId, token: codeNow(began.secret, 5) }), 'invalid_code', { attemptsLeft: 4 });
    await rejectsWith(totp.confirmEnrollment({ enrollmentId: began.enrollmentId, token: '12' }), 'invalid_request');
    await rejectsWith(totp.confirmEnrollment({ enrollmentId: began.enrollmentId, token: codeNow(began.secret), appId: 'other' }), 'not_found');
    const { recoveryCodes } = await totp.confirmEnrollment({ enrollmentId: began.enrollmentId, token: codeNow(began.secret) });
    assert.equal(recoveryCodes.length, 10);
    const dump = JSON.stringify(db.prepare('SELECT * FROM recovery_codes').all());
    for (const c of recoveryCodes) assert.ok(!dump.includes(c) && !dump.includes(c.replaceAll('-', '')));
    assert.equal((await store.getActiveTotp(user.appId, user.userIdHash))?.id, began.enrollmentId);
    await rejectsWith(totp.confirmEnrollment({ enrollmentId: began.enrollmentId, token: codeNow(began.secret, 1) }), 'not_found');
  });

  test('an enrollment left pending too long cannot be confirmed', async () => {
    const totp = service({ pendingTtlMs: 60_000 });
    const began = await totp.beginEnrollment({ ...user, label: 'jane' });
    clock.advance(61_000);
    await rejectsWith(totp.confirmEnrollment({ enrollmentId: began.enrollmentId, token: codeNow(began.secret) }), 'not_found');
  });

  test('verify: right code once; the same code again, or an older one, is refused like a wrong one', async () => {
    const totp = service();
    const { secret, enrollmentId } = await enrolled(totp);
    const token = codeNow(secret);
    assert.deepEqual(await totp.verify({ ...user, token }), { ok: true, enrollmentId, method: 'totp' });
    await rejectsWith(totp.verify({ ...user, token }), 'invalid_code');
    await rejectsWith(totp.verify({ ...user, token: codeNow(secret, -1) }), 'invalid_code');
    assert.equal((await totp.verify({ ...user, token: codeNow(secret, 1) })).ok, true, 'next step, within drift');
  });

  test('two parallel submissions of one code: exactly one passes', async () => {
    const totp = service();
    const { secret } = await enrolled(totp);
    const token = codeNow(secret);
    const results = await Promise.allSettled([totp.verify({ ...user, token }), totp.verify({ ...user, token })]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  });

  test('five wrong codes in five minutes lock the factor, right codes included, until the window passes', async () => {
    const totp = service();
    const { secret } = await enrolled(totp);
    for (let left = 4; left >= 1; left--) await rejectsWith(totp.verify({ ...user, token: '000000' }), 'invalid_code', { attemptsLeft: left });
    await rejectsWith(totp.verify({ ...user, token: '000000' }), 'too_many_attempts', { attemptsLeft: 0 });
    await assert.rejects(totp.verify({ ...user, token: codeNow(secret) }), (e: unknown) => {
      assert.ok(e instanceof TollgateError && e.code === 'too_many_attempts');
      assert.ok(typeof e.steering.retryAfter === 'number' && e.steering.retryAfter > 0 && e.steering.retryAfter <= 300);
      return true;
    });
    clock.advance(5 * 60_000 + 1);
    assert.equal((await totp.verify({ ...user, token: codeNow(secret) })).ok, true);
    await rejectsWith(totp.verify({ ...user, token: '000000' }), 'invalid_code', { attemptsLeft: 4 });
  });

  test('recovery codes work once each and share the attempt budget', async () => {
    const totp = service();
    const { recoveryCodes, enrollmentId } = await enrolled(totp);
    const [first] = recoveryCodes as [string];
    assert.deepEqual(await totp.useRecoveryCode({ ...user, code: first.toUpperCase() }), {
      ok: true,
      enrollmentId,
      method: 'recovery_code',
      recoveryCodesLeft: 9,
    });
    await rejectsWith(totp.useRecoveryCode({ ...user, code: first }), 'invalid_code', { attemptsLeft: 4 });
    await rejectsWith(totp.useRecoveryCode({ ...user, code: 'not a code' }), 'invalid_request');
    const fresh = await totp.regenerateRecoveryCodes(user);
    await rejectsWith(totp.useRecoveryCode({ ...user, code: recoveryCodes[1] }), 'invalid_code', { attemptsLeft: 3 });
    assert.equal((await totp.useRecoveryCode({ ...user, code: fresh.recoveryCodes[0] })).recoveryCodesLeft, 9);
  });

  test('re-enrolling replaces the old secret and its recovery codes; the old one works until then', async () => {
    const totp = service();
    const old = await enrolled(totp);
    const next = await totp.beginEnrollment({ ...user, label: 'jane' });
    assert.equal((await totp.verify({ ...user, token: codeNow(old.secret) })).ok, true, 'still active while the new one is pending');
    await totp.confirmEnrollment({ enrollmentId: next.enrollmentId, token: codeNow(next.secret) });
    clock.advance(30_000);
    await rejectsWith(totp.verify({ ...user, token: codeNow(old.secret) }), 'invalid_code');
    await rejectsWith(totp.useRecoveryCode({ ...user, code: old.recoveryCodes[0] }), 'invalid_code');
    assert.equal((await totp.verify({ ...user, token: codeNow(next.secret) })).ok, true);
  });

  test('no factor, a disabled factor, or the wrong at-rest key', async () => {
    const totp = service();
    await rejectsWith(totp.verify({ ...user, token: '123456' }), 'not_found');
    const { secret } = await enrolled(totp);
    await rejectsWith(service({ secretKey: new Uint8Array(32).fill(9) }).verify({ ...user, token: codeNow(secret) }), 'internal_error');
    assert.equal(await totp.disable(user), true);
    assert.equal(await totp.disable(user), false);
    await rejectsWith(totp.verify({ ...user, token: codeNow(secret) }), 'not_found');
    assert.throws(() => service({ secretKey: new Uint8Array(16) }), RangeError);
  });
});
