// Counter keys: number blocks and IP networks (IPv6 normalised, IPv4-mapped IPv6 folded to IPv4).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPhoneKeys, ipKeys, numberPrefix } from '../../../src/core/defense/phone-keys.ts';

describe('buildPhoneKeys', () => {
  test('prefix3 / prefix4 drop the last 3 / 4 digits', () => {
    assert.deepEqual(buildPhoneKeys('+447400123456'), { e164: '+447400123456', prefix3: '+447400123', prefix4: '+44740012' });
    assert.equal(numberPrefix('+123', 4), '+1', 'short input keeps a digit');
  });
});

describe('ipKeys', () => {
  test('IPv4: canonical address and /24', () => {
    assert.deepEqual(ipKeys('203.0.113.7'), { version: 4, address: '203.0.113.7', subnet: '203.0.113.0/24' });
  });

  test('rejects what is not an address, including octal-looking IPv4', () => {
    for (const bad of ['', 'localhost', '203.0.113', '203.0.113.256', '010.0.0.1', '1:2:3:4:5:6:7:8:9', '1::2::3', 'gggg::1', '12345::1']) {
      assert.equal(ipKeys(bad), null, bad);
    }
  });

  test('IPv6: spellings of one address give one key; a /64 groups privacy addresses', () => {
    const a = ipKeys('2001:0DB8:0000:0001:0000:0000:0000:0042');
    const b = ipKeys('2001:db8:0:1::42');
    assert.deepEqual(a, b);
    assert.deepEqual(a, { version: 6, address: '2001:db8:0:1::42', subnet: '2001:db8:0:1::/64' });
    assert.equal(ipKeys('2001:db8:0:1:a1b2:c3d4:e5f6:1')!.subnet, '2001:db8:0:1::/64');
    assert.notEqual(ipKeys('2001:db8:0:2::42')!.subnet, a!.subnet);
    assert.equal(ipKeys('fe80::1%eth0')!.address, 'fe80::1');
    assert.equal(ipKeys('[2001:db8::1]')!.address, '2001:db8::1');
    assert.equal(ipKeys('::')!.address, '::');
    assert.equal(ipKeys('2001:db8:0:0:1:0:0:1')!.address, '2001:db8::1:0:0:1', 'RFC 5952: first longest zero run');
  });

  test('IPv4-mapped IPv6 is the IPv4 address (dual-stack sockets)', () => {
    assert.deepEqual(ipKeys('::ffff:203.0.113.7'), ipKeys('203.0.113.7'));
    assert.deepEqual(ipKeys('::FFFF:cb00:7107'), ipKeys('203.0.113.7'));
    assert.equal(ipKeys('64:ff9b::203.0.113.7')!.version, 6, 'NAT64 stays IPv6');
  });
});
