// B2C policy inheritance over the examples/b2c starter-pack chain, and broken chains.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadPolicyFiles } from '../../../src/adapters/policy/policy-files.ts';
import { loadPolicySources } from '../../../src/core/policy/policy-set.ts';
import { PolicyError } from '../../../src/core/policy/profile.ts';
import { assertRejects, examples, loadErrors, xml } from './fixtures.ts';

const chain = ['TrustFrameworkBase.xml', 'TrustFrameworkLocalization.xml', 'TrustFrameworkExtensions.xml', 'SignUpOrSignin.xml'].map((f) =>
  join(examples, f),
);

describe('XML inheritance: the examples chain', () => {
  test('the relying party is the only leaf and names the profile', async () => {
    const set = await loadPolicyFiles(chain);
    assert.deepEqual([...set.profiles.keys()], ['B2C_1A_signup_signin/PhoneFactor-InputOrVerify']);
    assert.deepEqual(set.files, chain);
    assert.deepEqual(set.warnings, []);
  });

  test('a directory loads the same set', async () => {
    const set = await loadPolicyFiles([examples]);
    assert.deepEqual([...set.profiles.keys()], ['B2C_1A_signup_signin/PhoneFactor-InputOrVerify']);
  });

  test('extensions override metadata by Key and keep the base items', async () => {
    const p = (await loadPolicyFiles(chain)).profiles.get('B2C_1A_signup_signin/PhoneFactor-InputOrVerify')!;
    assert.equal(p.authenticationMode, 'sms', 'from TrustFrameworkExtensions');
    assert.equal(p.autosubmit, false, 'from TrustFrameworkExtensions');
    assert.equal(p.manualPhoneNumberEntryAllowed, true, 'from TrustFrameworkBase');
    assert.equal(p.contentDefinitionReferenceId, 'api.phonefactor');
    assert.equal(p.displayName, 'PhoneFactor');
    assert.equal(p.policyId, 'B2C_1A_signup_signin');
    assert.equal(p.source, `${join(examples, 'TrustFrameworkExtensions.xml')}:48`, 'the last definition of the profile');
  });

  test('input claims merge by ClaimTypeReferenceId: base claims kept, new ones appended', async () => {
    const p = (await loadPolicyFiles(chain)).profiles.get('B2C_1A_signup_signin/PhoneFactor-InputOrVerify')!;
    assert.deepEqual(p.inputClaims.userId, { claimType: 'userIdForMFA', partnerClaimType: 'UserId' });
    assert.deepEqual(
      p.inputClaims.phoneNumbers.map((c) => c.claimType),
      ['strongAuthenticationPhoneNumber', 'secondaryStrongAuthenticationPhoneNumber'],
    );
    assert.equal(p.outputClaims.verifiedPhoneNumber.claimType, 'Verified.strongAuthenticationPhoneNumber');
  });

  test('the countryList that counts is the relying party one', async () => {
    const p = (await loadPolicyFiles(chain)).profiles.get('B2C_1A_signup_signin/PhoneFactor-InputOrVerify')!;
    const cd = p.contentDefinition;
    assert.deepEqual(cd.countryAllowlist, ['JP', 'BG', 'US']);
    assert.deepEqual(cd.countryNames, { en: { DEFAULT: 'Country/Region', JP: 'Japan', BG: 'Bulgaria', US: 'United States' } });
    assert.equal(cd.dataUri, 'urn:com:microsoft:aad:b2c:elements:contract:multifactor:1.2.20', 'the RP content definition overrides DataUri');
    assert.equal(cd.loadUri, undefined, 'a B2C-hosted ~/tenant template means the built-in page');
    assert.equal(cd.defaultLanguage, 'en');
    assert.deepEqual(cd.supportedLanguages, ['en']);
    assert.equal(cd.strings.en!.button_send_code, 'Send Code', 'strings of the localization layer survive the RP merge');
    assert.equal(cd.strings.en!.countryList, undefined, 'countryList is not a display string');
    assert.equal(cd.strings.en!.enter_code_text_intro, 'Enter your verification code below, or ', 'string text is kept as written');
  });

  test('without the relying party, the full country list of the localization layer applies', async () => {
    const set = await loadPolicyFiles(chain.slice(0, 2));
    const p = set.profiles.get('B2C_1A_TrustFrameworkLocalization/PhoneFactor-InputOrVerify')!;
    assert.equal(p.authenticationMode, 'mixed');
    assert.ok(p.contentDefinition.countryAllowlist!.length > 200);
    assert.ok(p.contentDefinition.countryAllowlist!.includes('FR'));
    assert.ok(!p.contentDefinition.countryAllowlist!.includes('DEFAULT'));
  });

  test('a second relying party gets its own effective profile (attribute override, Append languages)', async () => {
    const set = await loadPolicyFiles([...chain, xml('ProfileEdit.xml')]);
    assert.equal(set.profiles.size, 2);
    const edit = set.profiles.get('B2C_1A_ProfileEdit/PhoneFactor-InputOrVerify')!;
    assert.equal(edit.displayName, 'PhoneFactor (profile edit)');
    assert.equal(edit.authenticationMode, 'phone');
    assert.equal(edit.manualPhoneNumberEntryAllowed, false);
    assert.deepEqual(edit.inputClaims.phoneNumbers, [
      { claimType: 'strongAuthenticationPhoneNumber', partnerClaimType: 'OfficePhone' },
      { claimType: 'secondaryStrongAuthenticationPhoneNumber', partnerClaimType: 'secondaryStrongAuthenticationPhoneNumber' },
    ]);
    assert.deepEqual(edit.contentDefinition.supportedLanguages, ['en', 'fr']);
    assert.equal(edit.contentDefinition.strings.fr!.button_verify, 'Appelez-moi');
    assert.equal(edit.contentDefinition.countryNames.fr!.CA, 'Canada');
    assert.ok(edit.contentDefinition.countryAllowlist!.length > 200, 'the allowlist comes from the default language (en)');
    const signIn = set.profiles.get('B2C_1A_signup_signin/PhoneFactor-InputOrVerify')!;
    assert.equal(signIn.authenticationMode, 'sms', 'the other chain is unaffected');
    assert.deepEqual(signIn.contentDefinition.countryAllowlist, ['JP', 'BG', 'US']);
  });
});

describe('XML inheritance: broken chains', () => {
  test('a missing base policy names the file and the BasePolicy line', async () => {
    await assertRejects([xml('missing-base.xml')], {
      file: 'missing-base.xml',
      line: 6,
      element: /^BasePolicy\/PolicyId$/,
      detail: /base policy B2C_1A_NotLoaded is not among the loaded files/,
    });
  });

  test('a relying party loaded without its bases is refused', async () => {
    await assertRejects([join(examples, 'SignUpOrSignin.xml')], { file: 'SignUpOrSignin.xml', detail: /base policy B2C_1A_TrustFrameworkExtensions/ });
  });

  test('an inheritance cycle is reported once', async () => {
    const errors = await loadErrors([xml('cycle-a.xml'), xml('cycle-b.xml')]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.line, 6);
    assert.match(errors[0]!.detail, /policy inheritance cycle: B2C_1A_cycle_a → B2C_1A_cycle_b → B2C_1A_cycle_a/);
  });

  test('two files with one PolicyId are refused', () => {
    const text = readFileSync(join(examples, 'TrustFrameworkBase.xml'), 'utf8');
    assert.throws(
      () => loadPolicySources([{ file: '/a/TrustFrameworkBase.xml', text }, { file: '/b/TrustFrameworkBase.xml', text }]),
      (e: unknown) => e instanceof PolicyError && e.file === '/b/TrustFrameworkBase.xml' && /also used by \/a\/TrustFrameworkBase\.xml:8/.test(e.detail),
    );
  });
});
