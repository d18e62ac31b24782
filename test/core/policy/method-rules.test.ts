// setting.methods / setting.fallbackMethods in both policy formats: defaults, parsing, the rules
// (unknown method, phone as a fallback, autodial beside other methods) with file:line errors, and
// profiles that verify without any phone claim.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadPolicyFiles } from '../../../src/adapters/policy/policy-files.ts';
import { assertRejects, demoPolicy, fixtures, native, xml } from './fixtures.ts';

describe('policy: verification methods', () => {
  test('default is phone only; the demo Methods profile offers phone, email and totp with fallback', async () => {
    const set = await loadPolicyFiles([demoPolicy]);
    assert.deepEqual(set.profiles.get('B2C_1A_TollgateDemo/PhoneFactor-InputOrVerify')!.methods, ['phone']);
    assert.deepEqual(set.profiles.get('B2C_1A_TollgateDemo/PhoneFactor-InputOrVerify')!.fallbackMethods, []);
    const methods = set.profiles.get('B2C_1A_TollgateDemo/PhoneFactor-Methods')!;
    assert.deepEqual(methods.methods, ['phone', 'email', 'totp']);
    assert.deepEqual(methods.fallbackMethods, ['email', 'totp']);
    assert.deepEqual(set.warnings, []);
  });

  test('email-only and totp-only profiles need no phone claim; lists tolerate spaces', async () => {
    const set = await loadPolicyFiles([join(fixtures, 'factors-policy.yaml')]);
    assert.deepEqual(set.profiles.get('B2C_1A_Factors/Factor-Email')!.methods, ['email']);
    assert.equal(set.profiles.get('B2C_1A_Factors/Factor-Email')!.inputClaims.phoneNumbers.length, 0);
    assert.deepEqual(set.profiles.get('B2C_1A_Factors/Factor-Totp')!.methods, ['totp']);
    assert.deepEqual(set.profiles.get('B2C_1A_Factors/PhoneFactor-Fallback')!.fallbackMethods, ['email', 'totp']);
  });

  test('an unknown method and phone as a fallback are errors at their lines', async () => {
    await assertRejects([native('bad-methods.yaml')], { file: 'bad-methods.yaml', line: 9, detail: /setting\.methods: unknown method "fax"/ });
    await assertRejects([native('bad-methods.yaml')], { file: 'bad-methods.yaml', line: 10, detail: /fallbackMethods cannot list phone/ });
  });

  test('autodial beside other methods is an error at the autodial line', async () => {
    await assertRejects([native('bad-methods.yaml')], { file: 'bad-methods.yaml', line: 21, detail: /autodial=true requires setting\.methods to be phone alone/ });
  });

  test('B2C XML metadata items carry the same settings; a fallback without phone warns at its line', async () => {
    const set = await loadPolicyFiles([xml('methods.xml')]);
    const p = set.profiles.get('B2C_1A_xml_methods/Factor-EmailOrApp')!;
    assert.deepEqual(p.methods, ['email', 'totp']);
    assert.deepEqual(p.fallbackMethods, ['totp']);
    assert.equal(set.warnings.length, 1);
    assert.match(set.warnings[0]!.source, /methods\.xml:20$/);
    assert.match(set.warnings[0]!.message, /no effect/);
  });
});
