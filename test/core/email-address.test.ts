// Email address parsing, normalisation, domain and masking; disposable-domain checks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emailDomain, maskEmail, normaliseEmailAddress, parseEmailAddress } from '../../src/core/email/address.ts';
import { disposableDomainCheck, isDisposableDomain } from '../../src/core/email/disposable.ts';

describe('email addresses', () => {
  test('trims, lower-cases the domain, keeps the local part as typed', () => {
    assert.deepEqual(parseEmailAddress('  Jane.Doe+tag@Example.COM  '), {
      ok: true,
      address: 'Jane.Doe+tag@example.com',
      local: 'Jane.Doe+tag',
      domain: 'example.com',
    });
    assert.equal(normaliseEmailAddress('a@sub.example.co.uk.'), 'a@sub.example.co.uk', 'trailing root dot dropped');
  });

  test('internationalised domains become punycode', () => {
    assert.equal(normaliseEmailAddress('hans@Bücher.de'), 'hans@xn--bcher-kva.de');
    assert.equal(emailDomain('x@münchen.example'), 'xn--mnchen-3ya.example');
    assert.equal(normaliseEmailAddress('a@xn--bcher-kva.de'), 'a@xn--bcher-kva.de');
  });

  test('refuses display names, lists, comments, quoted or non-ASCII local parts', () => {
    const problem = (input: unknown) => {
      const r = parseEmailAddress(input);
      return r.ok ? 'ok' : r.problem;
    };
    assert.equal(problem('Jane <jane@example.com>'), 'display_name');
    assert.equal(problem('<jane@example.com>'), 'display_name');
    assert.equal(problem('"jane doe"@example.com'), 'display_name');
    assert.equal(problem('a@example.com, b@example.com'), 'invalid_local_part');
    assert.equal(problem('jane(comment)@example.com'), 'invalid_local_part');
    assert.equal(problem('jane@example.com\r\nBcc: x@evil.test'), 'invalid_local_part');
    assert.equal(problem('jöhn@example.com'), 'invalid_local_part');
    assert.equal(problem('.jane@example.com'), 'invalid_local_part');
    assert.equal(problem('ja..ne@example.com'), 'invalid_local_part');
    assert.equal(problem('@example.com'), 'invalid_local_part');
    assert.equal(problem('jane.example.com'), 'missing_at');
    assert.equal(problem(''), 'empty');
    assert.equal(problem('   '), 'empty');
    assert.equal(problem(42), 'not_a_string');
  });

  test('requires a real domain name with a dot', () => {
    for (const bad of ['a@localhost', 'a@', 'a@example', 'a@1.2.3.4', 'a@[127.0.0.1]', 'a@-x.com', 'a@x-.com', 'a@ex ample.com', 'a@under_score.com', 'a@example..com', 'a@example.c0m']) {
      const r = parseEmailAddress(bad);
      assert.ok(!r.ok, bad);
    }
  });

  test('length limits: 254 overall, 64 for the local part', () => {
    const domain = `${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.com`; // 186 chars
    const ok = `${'a'.repeat(64)}@${domain}`; // 251
    assert.equal(normaliseEmailAddress(ok), ok);
    assert.deepEqual(parseEmailAddress(`${'a'.repeat(65)}@example.com`), { ok: false, problem: 'invalid_local_part' });
    assert.deepEqual(parseEmailAddress(`${'a'.repeat(64)}@${'g'.repeat(5)}.${domain}`), { ok: false, problem: 'too_long' });
    assert.deepEqual(parseEmailAddress('a'.repeat(5000)), { ok: false, problem: 'too_long' });
  });

  test('masks to first character and domain', () => {
    assert.equal(maskEmail('jane@Example.com'), 'j•••@example.com');
    assert.equal(maskEmail('x@bücher.de'), 'x•••@xn--bcher-kva.de');
    assert.equal(maskEmail('not an address'), '•••');
    assert.equal(emailDomain('nope'), null);
  });
});

describe('disposable email domains', () => {
  test('built-in list, with subdomains and any case', () => {
    for (const d of ['mailinator.com', 'x.mailinator.com', 'a.b.MAILINATOR.com', 'guerrillamail.com', '10minutemail.com', 'yopmail.com', 'temp-mail.org']) {
      assert.equal(isDisposableDomain(d), true, d);
    }
    for (const d of ['example.com', 'gmail.com', 'notmailinator.com', 'mailinator.com.example.org', '', 'com']) {
      assert.equal(isDisposableDomain(d), false, d);
    }
  });

  test('operator additions (IDN, wildcard spelling) and exceptions', () => {
    const check = disposableDomainCheck({
      block: ['*.Throwaway.example', 'bücher-weg.de'],
      allow: ['trusted.mailinator.com', 'yopmail.com'],
    });
    assert.equal(check('throwaway.example'), true);
    assert.equal(check('x.throwaway.example'), true);
    assert.equal(check('xn--bcher-weg-q9a.de'), true);
    assert.equal(check('bücher-weg.de'), true);
    assert.equal(check('mailinator.com'), true);
    assert.equal(check('trusted.mailinator.com'), false, 'a more specific exception wins');
    assert.equal(check('deep.trusted.mailinator.com'), false);
    assert.equal(check('yopmail.com'), false, 'an exception on the listed domain itself wins');
    const own = disposableDomainCheck({ useBuiltIn: false, block: ['only.example'] });
    assert.equal(own('mailinator.com'), false);
    assert.equal(own('only.example'), true);
  });
});
