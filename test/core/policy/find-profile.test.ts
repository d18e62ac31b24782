// findProfile: qualified and bare names over a mixed set (native demo + B2C examples chain).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadPolicyFiles } from '../../../src/adapters/policy/policy-files.ts';
import { findProfile } from '../../../src/core/policy/find-profile.ts';
import type { LoadedPolicySet } from '../../../src/core/policy/profile.ts';
import { demoPolicy, examples } from './fixtures.ts';

describe('findProfile over native + XML policies', () => {
  let set: LoadedPolicySet;
  before(async () => {
    set = await loadPolicyFiles([demoPolicy, examples]);
  });

  test('the mixed set is keyed PolicyId/ProfileId', () => {
    assert.deepEqual([...set.profiles.keys()].sort(), [
      'B2C_1A_TollgateDemo/PhoneFactor-InputOrVerify',
      'B2C_1A_TollgateDemo/PhoneFactor-Methods',
      'B2C_1A_TollgateDemo/PhoneFactor-Verify-Call',
      'B2C_1A_TollgateDemo/PhoneFactor-Verify-SMS',
      'B2C_1A_signup_signin/PhoneFactor-InputOrVerify',
    ]);
  });

  test('a qualified name finds exactly that policy profile', () => {
    const found = findProfile(set, 'B2C_1A_signup_signin/PhoneFactor-InputOrVerify');
    assert.ok('profile' in found);
    assert.equal(found.profile.policyId, 'B2C_1A_signup_signin');
    assert.equal(found.profile.authenticationMode, 'sms');
  });

  test('a bare name works when only one policy has the profile', () => {
    const found = findProfile(set, 'PhoneFactor-Verify-Call');
    assert.ok('profile' in found);
    assert.equal(found.profile.policyId, 'B2C_1A_TollgateDemo');
    assert.equal(found.profile.autodial, true);
  });

  test('a bare name held by several policies is ambiguous and lists them', () => {
    assert.deepEqual(findProfile(set, 'PhoneFactor-InputOrVerify'), {
      error: 'ambiguous',
      candidates: ['B2C_1A_TollgateDemo/PhoneFactor-InputOrVerify', 'B2C_1A_signup_signin/PhoneFactor-InputOrVerify'],
    });
  });

  test('an unknown qualified name suggests the same profile id in other policies', () => {
    assert.deepEqual(findProfile(set, 'B2C_1A_nope/PhoneFactor-Verify-SMS'), {
      error: 'not_found',
      candidates: ['B2C_1A_TollgateDemo/PhoneFactor-Verify-SMS'],
    });
  });

  test('an unknown name lists every loaded profile', () => {
    const found = findProfile(set, 'Nope');
    assert.ok('error' in found);
    assert.equal(found.error, 'not_found');
    assert.equal(found.candidates.length, 5);
  });
});
