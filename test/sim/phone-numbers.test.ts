// Generated numbers are what the scenarios claim: valid mobiles spread over real prefixes for
// legitimate users; adjacent numbers of one leased block, each used at most twice, for attackers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Rng } from '../../src/simulator/random.ts';
import { defaultCountries } from '../../src/simulator/world/countries.ts';
import { adjacentPattern, BlockNumbers, inspectNumber, mobileTypesOf, patternNumber, randomMobile, randomMobileBlock } from '../../src/simulator/world/phone-numbers.ts';

describe('simulated phone numbers', () => {
  test('every legitimate country gets valid mobile numbers of its own region', () => {
    const rng = Rng.stream(1, 'numbers');
    for (const [country, model] of Object.entries(defaultCountries)) {
      if (model.share === 0) continue;
      const seen = new Set<string>();
      for (let i = 0; i < 15; i++) {
        const e164 = randomMobile(country, rng);
        const info = inspectNumber(e164);
        assert.ok(info.valid, `${country}: ${e164} is not valid`);
        assert.equal(info.region, country, `${e164} is not in ${country}`);
        assert.ok(mobileTypesOf(country).has(info.type!), `${country}: ${e164} is ${info.type}`);
        seen.add(e164);
      }
      assert.ok(seen.size >= 14, `${country}: numbers repeat`);
    }
    assert.deepEqual([...mobileTypesOf('GB')], ['MOBILE']);
    assert.ok(mobileTypesOf('US').has('FIXED_LINE_OR_MOBILE'));
  });

  test('legitimate numbers spread over many 10k-blocks', () => {
    const rng = Rng.stream(2, 'spread');
    const blocks = new Set(Array.from({ length: 200 }, () => randomMobile('IN', rng).slice(0, -4)));
    assert.ok(blocks.size > 150, `only ${blocks.size} blocks`);
  });

  test('a leased block yields its own adjacent numbers, each at most twice', () => {
    const rng = Rng.stream(3, 'block');
    const pattern = randomMobileBlock('AZ', rng);
    assert.match(pattern, /^\+994\d+xxxx$/);
    const block = new BlockNumbers(pattern, rng, 2, mobileTypesOf('AZ'));
    const uses = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const n = block.next();
      assert.ok(n.startsWith(pattern.slice(0, -4)) || block.currentPattern !== pattern);
      assert.equal(inspectNumber(n).region, 'AZ');
      uses.set(n, (uses.get(n) ?? 0) + 1);
    }
    assert.ok(Math.max(...uses.values()) <= 2);
  });

  test('a full block moves on to the adjacent block', () => {
    const rng = Rng.stream(4, 'small');
    const block = new BlockNumbers('+9944012345xx', rng, 1);
    const drawn = new Set(Array.from({ length: 100 }, () => block.next()));
    assert.equal(drawn.size, 100);
    assert.equal(block.currentPattern, '+9944012346xx');
    assert.equal(adjacentPattern('+1268460xxxx'), '+1268461xxxx');
    assert.equal(patternNumber('+1268460xxxx', 42), '+12684600042');
  });

  test('voice targets: non-geographic and Caribbean fixed-line ranges parse as such', () => {
    assert.equal(inspectNumber(patternNumber('+8816xxxxxxxx', 12345678)).region, null);
    assert.ok(inspectNumber(patternNumber('+8816xxxxxxxx', 12345678)).valid);
    assert.equal(inspectNumber('+12684601234').region, 'AG');
    assert.equal(inspectNumber('+12684601234').type, 'FIXED_LINE');
  });
});
