// The pure and near-pure parts of the stronger factors: the email checks (address, disposable
// domains, velocity per address and domain), which methods a session offers and which phone
// refusals unlock the fallback, the result claims per method, and the factor keys.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryCounters } from '../../src/adapters/counters/memory.ts';
import { TollgateError } from '../../src/core/errors.ts';
import { EmailDefense } from '../../src/services/email-defense.ts';
import { amrOf, outputClaims } from '../../src/services/result-claims.ts';
import { deriveKeys } from '../../src/services/secrets.ts';
import { assertMethodOffered, offeredMethods, unlocksFallback, verifiedMethod } from '../../src/services/session-methods.ts';
import { profileFixture, sessionFixture } from '../helpers/fixtures.ts';

const code = (e: unknown) => (e instanceof TollgateError ? e.code : String(e));
const velocity = { address: [{ windowSeconds: 600, max: 2, action: 'block' as const }], domain: [{ windowSeconds: 3600, max: 3, action: 'block' as const }] };

describe('EmailDefense', () => {
  test('addresses are normalised; invalid and disposable ones refused with their own codes', () => {
    const d = new EmailDefense({ disposable: { block: ['corp-burner.example'], allow: ['ok.mailinator.com'] }, velocity, counters: null });
    assert.deepEqual(d.address(' Jane@Bücher.DE '), { address: 'Jane@xn--bcher-kva.de', domain: 'xn--bcher-kva.de' });
    assert.throws(() => d.address('jane'), (e) => code(e) === 'invalid_email_address');
    assert.throws(() => d.address('x@yopmail.com'), (e) => code(e) === 'email_domain_not_allowed');
    assert.throws(() => d.address('x@eu.corp-burner.example'), (e) => code(e) === 'email_domain_not_allowed');
    assert.equal(d.address('x@ok.mailinator.com').domain, 'ok.mailinator.com', 'allow wins for its subdomain');
    assert.equal(new EmailDefense({ disposable: { useBuiltIn: false }, velocity, counters: null }).address('x@yopmail.com').domain, 'yopmail.com');
  });

  test('velocity per address (case-insensitive) and per domain, counted only on commit', async () => {
    const counters = new MemoryCounters();
    const d = new EmailDefense({ disposable: {}, velocity, counters });
    const now = 1_000_000;
    const jane = d.address('Jane@example.org');
    await d.checkVelocity(jane, now);
    await d.checkVelocity(jane, now); // checks alone count nothing
    await d.commit(jane, now);
    await d.commit(d.address('jane@EXAMPLE.org'), now + 1000);
    const refused = await d.checkVelocity(d.address('JANE@example.org'), now + 2000).catch((e: TollgateError) => e);
    assert.ok(refused instanceof TollgateError);
    assert.equal(refused.code, 'velocity_exceeded');
    assert.equal(refused.steering.rule, 'email.velocity.address');
    assert.ok((refused.steering.retryAfter as number) > 500 && (refused.steering.retryAfter as number) <= 600);
    await d.commit(d.address('bob@example.org'), now + 3000);
    const domain = await d.checkVelocity(d.address('carol@example.org'), now + 4000).catch((e: TollgateError) => e);
    assert.equal((domain as TollgateError).steering.rule, 'email.velocity.domain');
    await d.checkVelocity(d.address('carol@other.example'), now + 4000);
    await new EmailDefense({ disposable: {}, velocity, counters: null }).checkVelocity(jane, now); // defense off: no limit
  });
});

describe('session methods and fallback', () => {
  const profile = profileFixture({ methods: ['phone'], fallbackMethods: ['email', 'totp'] });
  const on = { email: true, totp: true };

  test('offered = profile methods + methods unlocked in the session, minus switched-off ones', () => {
    assert.deepEqual(offeredMethods(profile, sessionFixture(), on), ['phone']);
    const unlocked = sessionFixture({ unlockedMethods: ['email', 'totp'] });
    assert.deepEqual(offeredMethods(profile, unlocked, on), ['phone', 'email', 'totp']);
    assert.deepEqual(offeredMethods(profile, unlocked, { email: false, totp: true }), ['phone', 'totp']);
    assert.throws(() => assertMethodOffered(profile, sessionFixture(), on, 'email'), (e) => code(e) === 'channel_not_allowed');
  });

  test('the allowlist and defense blocks unlock it; CAPTCHA, location and the user’s own input do not', () => {
    const err = (c: ConstructorParameters<typeof TollgateError>[0]) => new TollgateError(c);
    assert.equal(unlocksFallback(err('country_not_allowed'), false), true);
    for (const c of ['number_type_blocked', 'channel_disabled', 'bad_reputation', 'velocity_exceeded', 'pumping_suspected', 'spend_cap_reached'] as const) {
      assert.equal(unlocksFallback(err(c), true), true, c);
    }
    for (const c of ['captcha_required', 'captcha_failed', 'ip_reputation', 'location_not_allowed'] as const) assert.equal(unlocksFallback(err(c), true), false, c);
    for (const c of ['invalid_phone_number', 'resend_cooldown', 'too_many_sends', 'velocity_exceeded'] as const) assert.equal(unlocksFallback(err(c), false), false, c);
  });
});

describe('result claims per method', () => {
  const profile = profileFixture();
  const phoneCode = { hash: 'h', channel: 'voice' as const, phoneNumber: '+14155550123', sentAt: 0, expiresAt: 1, wrongAttempts: 0, spent: true };
  test('phone keeps its claims; email and authenticator null the number and add their own', () => {
    const phone = sessionFixture({ status: 'verified', selectedNumber: '+14155550123', newPhoneNumberEntered: true, code: phoneCode });
    assert.deepEqual(outputClaims(phone, profile), { 'Verified.strongAuthenticationPhoneNumber': '+14155550123', newPhoneNumberEntered: true });
    assert.deepEqual(amrOf(phone), ['tel']);
    const email = sessionFixture({ status: 'verified', selectedNumber: '+14155550123', selectedEmail: 'j@example.org', code: { ...phoneCode, channel: 'email', phoneNumber: null, email: 'j@example.org' } });
    assert.equal(verifiedMethod(email), 'email');
    assert.deepEqual(outputClaims(email, profile), { 'Verified.strongAuthenticationPhoneNumber': null, newPhoneNumberEntered: false, email: 'j@example.org', email_verified: true });
    assert.deepEqual(amrOf(email), ['email']);
    const totp = sessionFixture({ status: 'verified', selectedNumber: '+14155550123', method: 'totp' });
    assert.deepEqual(outputClaims(totp, profile), { 'Verified.strongAuthenticationPhoneNumber': null, newPhoneNumberEntered: false });
    assert.deepEqual(amrOf(totp), ['otp']);
  });
});

describe('factor keys', () => {
  test('derived per purpose; a pinned totpKey replaces the at-rest key and anchors the recovery key', () => {
    const secret = 's'.repeat(40);
    const a = deriveKeys(secret);
    assert.equal(a.totp.length, 32);
    assert.notDeepEqual(a.totp, a.codeHash);
    assert.notDeepEqual(a.totp, a.recovery);
    const pinned = Buffer.from(a.totp).toString('base64');
    const b = deriveKeys('another secret, rotated, of enough length', pinned);
    assert.deepEqual(b.totp, a.totp, 'pinning the derived key keeps old boxes readable');
    assert.deepEqual(b.recovery, a.recovery, 'and recovery codes keep working');
    assert.notDeepEqual(b.codeHash, a.codeHash);
  });
});
