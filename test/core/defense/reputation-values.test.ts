// validateEntry and parseTtl: what operators may list, in which form it is stored, and the errors
// that tell them what is expected.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TollgateError } from '../../../src/core/errors.ts';
import { parseTtl, validateEntry } from '../../../src/core/defense/reputation-values.ts';
import { formatIp, parseCidr, parseIp } from '../../../src/core/defense/reputation-ip.ts';

function rejects(fn: () => unknown, pattern: RegExp, field = 'value'): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof TollgateError, String(err));
    assert.equal(err.code, 'invalid_request');
    assert.equal(err.status, 400);
    assert.equal(err.steering.field, field);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('validateEntry', () => {
  test('numbers are normalised to E.164 with libphonenumber max metadata', () => {
    assert.equal(validateEntry('number', ' +44 7400 123456 '), '+447400123456');
    assert.equal(validateEntry('number', '+1 (415) 555-0100'), '+14155550100');
    rejects(() => validateEntry('number', '07400123456'), /E\.164/);
    rejects(() => validateEntry('number', '+4474001'), /not a valid phone number.*prefix/);
    rejects(() => validateEntry('number', ''), /required/);
  });

  test('prefixes are + and 2–14 digits', () => {
    assert.equal(validateEntry('prefix', '+44 74001'), '+4474001');
    assert.equal(validateEntry('prefix', '+12'), '+12');
    assert.equal(validateEntry('prefix', '+12345678901234'), '+12345678901234');
    for (const bad of ['+1', '4474001', '+012', '+123456789012345', '+44a1']) rejects(() => validateEntry('prefix', bad), /prefix is \+ then 2–14 digits/);
  });

  test('IPs: IPv4, IPv6 canonical form, IPv4-mapped written as IPv4', () => {
    assert.equal(validateEntry('ip', '203.0.113.9'), '203.0.113.9');
    assert.equal(validateEntry('ip', '2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
    assert.equal(validateEntry('ip', '::ffff:198.51.100.7'), '198.51.100.7');
    for (const bad of ['203.0.113.256', '203.0.113.0/24', 'fe80::1%eth0', '01.2.3.4', 'localhost']) rejects(() => validateEntry('ip', bad), /not an IPv4 or IPv6 address/);
  });

  test('CIDRs: valid mask per family, host bits cleared', () => {
    assert.equal(validateEntry('cidr', '203.0.113.77/24'), '203.0.113.0/24');
    assert.equal(validateEntry('cidr', '2001:db8:abcd:12::1/48'), '2001:db8:abcd::/48');
    assert.equal(validateEntry('cidr', '198.51.100.7/32'), '198.51.100.7/32');
    rejects(() => validateEntry('cidr', '203.0.113.0/33'), /1–32 for IPv4/);
    rejects(() => validateEntry('cidr', '2001:db8::/129'), /1–128 for IPv6/);
    rejects(() => validateEntry('cidr', '203.0.113.0'), /needs a prefix length/);
    rejects(() => validateEntry('cidr', '0.0.0.0/0'), /every address/);
    rejects(() => validateEntry('cidr', '203.0.113.0/2x'), /prefix length/);
    rejects(() => validateEntry('cidr', '::ffff:192.0.2.0/120'), /IPv4 form/);
    rejects(() => validateEntry('cidr', 'example.com/24'), /not an IPv4 or IPv6/);
  });

  test('ASNs: 1..4294967295, optional AS prefix', () => {
    assert.equal(validateEntry('asn', 'AS16509'), '16509');
    assert.equal(validateEntry('asn', 'as 14618'), '14618');
    assert.equal(validateEntry('asn', '4294967295'), '4294967295');
    for (const bad of ['0', '4294967296', 'AS', '-5', '1.5', 'ASX1']) rejects(() => validateEntry('asn', bad), /ASN is a number/);
  });

  test('countries: two-letter ISO regions that have phone numbers', () => {
    assert.equal(validateEntry('country', 'gb'), 'GB');
    assert.equal(validateEntry('country', 'AG'), 'AG');
    rejects(() => validateEntry('country', 'UK'), /GB/);
    rejects(() => validateEntry('country', 'GBR'), /two-letter/);
    rejects(() => validateEntry('country', 'QQ'), /not a region/);
  });

  test('unknown kinds name the field kind', () => {
    rejects(() => validateEntry('email', 'a@b.c'), /kind must be one of number, prefix, ip, cidr, asn, country/, 'kind');
  });
});

describe('parseTtl', () => {
  test('durations and seconds', () => {
    assert.equal(parseTtl('15m'), 900);
    assert.equal(parseTtl('1h'), 3600);
    assert.equal(parseTtl('7d'), 604_800);
    assert.equal(parseTtl('2W'), 1_209_600);
    assert.equal(parseTtl('90'), 90);
    assert.equal(parseTtl(3600), 3600);
  });
  test('refuses nonsense with the field named', () => {
    rejects(() => parseTtl('soon'), /duration such as 15m/, 'ttl');
    rejects(() => parseTtl('0m'), /at least 1/, 'ttl');
    rejects(() => parseTtl(1.5, 'for'), /whole number/, 'for');
    rejects(() => parseTtl('11000d'), /ten years/, 'ttl');
    rejects(() => parseTtl(-3), /at least 1/, 'ttl');
  });
});

describe('IP parsing', () => {
  test('round-trips and maps IPv4-in-IPv6 to IPv4', () => {
    for (const [text, out] of [
      ['1.2.3.4', '1.2.3.4'], ['::ffff:1.2.3.4', '1.2.3.4'], ['::FFFF:0102:0304', '1.2.3.4'], ['::1', '::1'], ['::', '::'],
      ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'], ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], ['1::', '1::'],
    ] as const) assert.equal(formatIp(parseIp(text)!), out, text);
    assert.equal(parseIp('garbage'), null);
    assert.equal(parseIp(''), null);
    assert.equal(parseIp(undefined as unknown as string), null);
    assert.deepEqual(parseCidr('10.1.2.3/8'), { family: 4, value: 0x0a000000, prefixLength: 8 });
  });
});
