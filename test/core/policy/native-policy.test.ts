// Native policy files (YAML and JSON): the valid shape, defaults, and each PhoneFactor rule.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadPolicyFiles } from '../../../src/adapters/policy/policy-files.ts';
import { loadPolicySources } from '../../../src/core/policy/policy-set.ts';
import { assertRejects, demoPolicy, fixtures, loadErrors, native } from './fixtures.ts';

describe('native policy: valid files', () => {
  test('valid.yaml loads every key into the profile', async () => {
    const set = await loadPolicyFiles([native('valid.yaml')]);
    assert.deepEqual([...set.profiles.keys()], ['B2C_1A_fixture/PhoneFactor-InputOrVerify', 'B2C_1A_fixture/PhoneFactor-Defaults']);
    const p = set.profiles.get('B2C_1A_fixture/PhoneFactor-InputOrVerify')!;
    assert.equal(p.id, 'PhoneFactor-InputOrVerify');
    assert.equal(p.displayName, 'PhoneFactor');
    assert.equal(p.policyId, 'B2C_1A_fixture');
    assert.equal(p.source, `${native('valid.yaml')}:18`);
    assert.equal(p.authenticationMode, 'mixed');
    assert.equal(p.manualPhoneNumberEntryAllowed, true, 'the string "true" counts as true');
    assert.equal(p.autodial, false);
    assert.equal(p.autosubmit, false);
    assert.equal(p.enableCaptchaChallenge, true);
    assert.deepEqual(p.inputClaims.userId, { claimType: 'userIdForMFA', partnerClaimType: 'UserId' });
    assert.deepEqual(
      p.inputClaims.phoneNumbers.map((c) => c.claimType),
      ['strongAuthenticationPhoneNumber', 'secondaryStrongAuthenticationPhoneNumber'],
    );
    assert.deepEqual(p.outputClaims.verifiedPhoneNumber, {
      claimType: 'Verified.strongAuthenticationPhoneNumber',
      partnerClaimType: 'Verified.OfficePhone',
    });
    assert.deepEqual(p.outputClaims.newPhoneNumberEntered, { claimType: 'newPhoneNumberEntered', partnerClaimType: 'newPhoneNumberEntered' });

    const cd = p.contentDefinition;
    assert.equal(p.contentDefinitionReferenceId, 'api.phonefactor');
    assert.equal(cd.loadUri, join(fixtures, 'templates/custom.html'), 'loadUri resolves against the policy file');
    assert.deepEqual(cd.stylesheets, ['/assets/brand.css']);
    assert.equal(cd.dataUri, 'urn:com:microsoft:aad:b2c:elements:contract:multifactor:1.2.20');
    assert.equal(cd.defaultLanguage, 'en');
    assert.deepEqual(cd.supportedLanguages, ['en', 'fr', 'it']);
    assert.deepEqual(cd.strings, { fr: { button_send_code: 'Envoyer le code' }, en: { button_verify: 'Ring me' } });
    assert.deepEqual(cd.countryAllowlist, ['US', 'GB', 'FR'], 'DEFAULT is a label, not a country');
    assert.equal(cd.countryNames.en!.GB, 'United Kingdom');
    assert.equal(cd.countryNames.fr!.US, 'États-Unis');
    assert.deepEqual(set.warnings, []);
  });

  test('metadata defaults: mixed, manual entry off, autodial off, autosubmit on, captcha off', async () => {
    const set = await loadPolicyFiles([native('valid.yaml')]);
    const p = set.profiles.get('B2C_1A_fixture/PhoneFactor-Defaults')!;
    assert.equal(p.authenticationMode, 'mixed');
    assert.equal(p.manualPhoneNumberEntryAllowed, false);
    assert.equal(p.autodial, false);
    assert.equal(p.autosubmit, true);
    assert.equal(p.enableCaptchaChallenge, false);
    assert.equal(p.displayName, undefined);
    assert.deepEqual(p.inputClaims.userId, { claimType: 'UserId', partnerClaimType: 'UserId' }, 'the claim name alone may be UserId');
    assert.deepEqual(p.outputClaims.verifiedPhoneNumber.claimType, 'verifiedMobile');
  });

  test('JSON is read by the same loader; a list countryList gets names from ICU', async () => {
    const set = await loadPolicyFiles([native('valid.json')]);
    const p = set.profiles.get('B2C_1A_json/PhoneFactor-Verify')!;
    assert.equal(p.authenticationMode, 'sms');
    assert.equal(p.autodial, true);
    assert.deepEqual(p.contentDefinition.countryAllowlist, ['US', 'CA', 'JP']);
    assert.equal(p.contentDefinition.countryNames.en!.JP, 'Japan');
    assert.deepEqual(p.contentDefinition.supportedLanguages, []);
  });

  test('no countryList anywhere: the allowlist is null (every country allowed)', () => {
    const text = [
      'policyId: B2C_1A_open',
      'contentDefinitions: { api.phonefactor: {} }',
      'profiles:',
      '  P:',
      '    metadata: { ContentDefinitionReferenceId: api.phonefactor, ManualPhoneNumberEntryAllowed: true }',
      '    inputClaims: [{ claimTypeReferenceId: UserId }]',
      '    outputClaims: [{ claimTypeReferenceId: newPhoneNumberEntered }, { claimTypeReferenceId: Verified.OfficePhone }]',
    ].join('\n');
    const set = loadPolicySources([{ file: '/policies/open.yaml', text }]);
    const cd = set.profiles.get('B2C_1A_open/P')!.contentDefinition;
    assert.equal(cd.countryAllowlist, null);
    assert.deepEqual(cd.countryNames, {});
    assert.equal(cd.loadUri, undefined);
  });

  test('the demo policy holds the three documented profiles', async () => {
    const set = await loadPolicyFiles([demoPolicy]);
    const get = (id: string) => set.profiles.get(`B2C_1A_TollgateDemo/${id}`)!;
    const main = get('PhoneFactor-InputOrVerify');
    assert.equal(main.manualPhoneNumberEntryAllowed, true);
    assert.equal(main.authenticationMode, 'mixed');
    assert.equal(main.inputClaims.phoneNumbers.length, 2);
    for (const code of ['US', 'CA', 'GB', 'FR', 'IT', 'DE', 'ES', 'NL', 'BE', 'CH', 'JP', 'BG', 'AU', 'IE', 'PT']) {
      assert.ok(main.contentDefinition.countryAllowlist!.includes(code), code);
    }
    const sms = get('PhoneFactor-Verify-SMS');
    assert.deepEqual([sms.authenticationMode, sms.manualPhoneNumberEntryAllowed, sms.autodial, sms.inputClaims.phoneNumbers.length], ['sms', false, false, 1]);
    const call = get('PhoneFactor-Verify-Call');
    assert.deepEqual([call.authenticationMode, call.autodial, call.inputClaims.phoneNumbers.length], ['phone', true, 1]);
    assert.deepEqual(set.warnings, []);
  });
});

describe('native policy: rules', () => {
  test('autodial with mixed mode is refused at the autodial line', async () => {
    await assertRejects([native('autodial-mixed.yaml')], {
      file: 'autodial-mixed.yaml',
      line: 9,
      element: /^profiles\.PhoneFactor-Broken\.metadata\.setting\.autodial$/,
      detail: /autodial=true requires setting\.authenticationMode sms or phone/,
    });
  });

  test('autodial with two phone claims is refused', async () => {
    await assertRejects([native('autodial-two-phones.yaml')], {
      file: 'autodial-two-phones.yaml',
      line: 10,
      detail: /exactly one phone-number input claim; profile PhoneFactor-Broken has 2/,
    });
  });

  test('a missing UserId input claim is refused at the profile', async () => {
    await assertRejects([native('missing-userid.yaml')], { file: 'missing-userid.yaml', line: 6, detail: /needs an input claim whose name or PartnerClaimType is UserId/ });
  });

  test('an undefined content definition is refused at the reference', async () => {
    await assertRejects([native('missing-content-definition.yaml')], {
      file: 'missing-content-definition.yaml',
      line: 8,
      element: /metadata\.ContentDefinitionReferenceId$/,
      detail: /"api\.nope" is not defined \(defined: api\.phonefactor\)/,
    });
  });

  test('a bad authenticationMode names its line', async () => {
    await assertRejects([native('bad-mode.yaml')], { file: 'bad-mode.yaml', line: 9, detail: /one of sms, phone, mixed, not "email"/ });
  });

  test('a boolean that is neither true nor false is refused', async () => {
    await assertRejects([native('bad-boolean.yaml')], { file: 'bad-boolean.yaml', line: 9, detail: /setting\.autosubmit must be true or false/ });
  });

  test('no phone claim and no manual entry could never work', async () => {
    await assertRejects([native('no-phone-no-manual.yaml')], { file: 'no-phone-no-manual.yaml', line: 6, detail: /no number could ever be verified/ });
  });

  test('both required output claims are checked', async () => {
    const errors = await loadErrors([native('missing-outputs.yaml')]);
    assert.deepEqual(errors.map((e) => /newPhoneNumberEntered|Verified\.OfficePhone/.exec(e.detail)?.[0]), ['newPhoneNumberEntered', 'Verified.OfficePhone']);
  });

  test('unknown metadata keys and extra output claims are warnings, not errors', async () => {
    const set = await loadPolicyFiles([native('warnings.yaml')]);
    assert.equal(set.profiles.size, 1);
    assert.deepEqual(set.warnings, [
      { source: `${native('warnings.yaml')}:10`, message: 'unknown metadata key "setting.autoDial" in profile PhoneFactor-Broken; ignored' },
      { source: `${native('warnings.yaml')}:17`, message: 'output claim displayName is not produced by the PhoneFactor profile; ignored' },
    ]);
    assert.equal(set.profiles.get('B2C_1A_broken/PhoneFactor-Broken')!.autodial, false, 'a misspelt key changes nothing');
  });

  test('a country key that is not ISO alpha-2 is refused', async () => {
    await assertRejects([native('bad-country.yaml')], { file: 'bad-country.yaml', line: 5, detail: /countryList key "us" is not an ISO 3166-1 alpha-2 code/ });
    const errors = await loadErrors([native('bad-country.yaml')]);
    assert.equal(errors.length, 1, 'the profile does not add a misleading "not defined" error');
  });
});

describe('native policy: syntax and schema', () => {
  test('bad YAML syntax names the line', async () => {
    await assertRejects([native('bad-syntax.yaml')], { file: 'bad-syntax.yaml', line: 6, detail: /invalid YAML\/JSON: Tabs are not allowed as indentation/ });
  });

  test('schema errors are mapped back to the line of each key', async () => {
    const errors = await loadErrors([native('schema-errors.yaml')]);
    const got = errors.map((e) => [e.line, e.element]);
    assert.deepEqual(got, [
      [5, 'contentDefinitions.api.phonefactor.defaultLanguage'],
      [6, 'contentDefinitions.api.phonefactor.countryList'],
      [11, 'profiles.PhoneFactor-Typo.metadata.setting.autodial'],
      [12, 'profiles.PhoneFactor-Typo.inputClaim'],
    ]);
    assert.match(errors[3]!.detail, /unknown key "inputClaim"/);
  });

  test('a missing required key points at its parent and says it is required', () => {
    try {
      loadPolicySources([{ file: '/p/x.yaml', text: 'contentDefinitions: {}\nprofiles: {}\n' }]);
      assert.fail('expected an error');
    } catch (e) {
      assert.equal((e as { element: string }).element, 'policyId');
      assert.equal((e as { detail: string }).detail, 'is required');
    }
  });
});
