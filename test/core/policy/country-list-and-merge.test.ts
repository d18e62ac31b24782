// The country allowlist rules across languages, and B2C MergeBehavior on localization.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkPolicySources, type PolicySource } from '../../../src/core/policy/policy-set.ts';
import { examples } from './fixtures.ts';

function nativeWith(contentDefinition: string): PolicySource {
  const text = [
    'policyId: B2C_1A_countries',
    'contentDefinitions:',
    `  api.phonefactor: ${contentDefinition}`,
    'profiles:',
    '  P:',
    '    metadata: { ContentDefinitionReferenceId: api.phonefactor, ManualPhoneNumberEntryAllowed: true }',
    '    inputClaims: [{ claimTypeReferenceId: userIdForMFA, partnerClaimType: UserId }]',
    '    outputClaims: [{ claimTypeReferenceId: newPhoneNumberEntered }, { claimTypeReferenceId: x, partnerClaimType: Verified.OfficePhone }]',
  ].join('\n');
  return { file: '/policies/countries.yaml', text };
}

describe('country allowlist', () => {
  test('a list only for a non-default language is refused: the default language decides', () => {
    const r = checkPolicySources([nativeWith(`{ strings: { fr: { countryList: '{"FR":"France"}' } } }`)]);
    assert.equal(r.set, null);
    assert.match(r.errors[0]!.detail, /countryList is set for fr but not for the default language en/);
  });

  test('countries another language adds are warned about and not allowed', () => {
    const r = checkPolicySources([nativeWith(`{ countryList: [US], strings: { fr: { countryList: '{"US":"États-Unis","CA":"Canada"}' } } }`)]);
    assert.deepEqual(r.set!.profiles.get('B2C_1A_countries/P')!.contentDefinition.countryAllowlist, ['US']);
    assert.match(r.warnings[0]!.message, /countryList for fr lists CA, which the default language's list .* does not allow/);
  });

  test('a list holding only DEFAULT allows nothing, with a warning', () => {
    const r = checkPolicySources([nativeWith(`{ countryList: { DEFAULT: Country/Region } }`)]);
    assert.deepEqual(r.set!.profiles.get('B2C_1A_countries/P')!.contentDefinition.countryAllowlist, []);
    assert.match(r.warnings[0]!.message, /allows no country: every send will be refused/);
  });

  test('countryList given twice for the default language is refused', () => {
    const r = checkPolicySources([nativeWith(`{ countryList: [US], strings: { en: { countryList: '{"US":"United States"}' } } }`)]);
    assert.match(r.errors[0]!.detail, /also set in strings\.en\.countryList/);
  });

  test('a defaultLanguage outside supportedLanguages is refused', () => {
    const r = checkPolicySources([nativeWith(`{ defaultLanguage: de, supportedLanguages: [en, fr] }`)]);
    assert.match(r.errors[0]!.detail, /must include the default language de/);
  });
});

describe('B2C MergeBehavior on localization', () => {
  const read = (name: string): PolicySource => ({ file: join(examples, name), text: readFileSync(join(examples, name), 'utf8') });
  const base = ['TrustFrameworkBase.xml', 'TrustFrameworkLocalization.xml', 'TrustFrameworkExtensions.xml'].map(read);
  const rp = (buildingBlocks: string): PolicySource => ({
    file: '/policies/rp.xml',
    text: `<TrustFrameworkPolicy xmlns="http://schemas.microsoft.com/online/cpim/schemas/2013/06" PolicyId="B2C_1A_rp">
  <BasePolicy><PolicyId>B2C_1A_TrustFrameworkExtensions</PolicyId></BasePolicy>
  <BuildingBlocks>${buildingBlocks}</BuildingBlocks>
</TrustFrameworkPolicy>`,
  });
  const strings = (id: string, body: string) => `<LocalizedResources Id="${id}"><LocalizedStrings>${body}</LocalizedStrings></LocalizedResources>`;
  const ux = (stringId: string, text: string) => `<LocalizedString ElementType="UxElement" StringId="${stringId}">${text}</LocalizedString>`;

  test('Prepend: the relying party resources win over the base ones for the same language', () => {
    const r = checkPolicySources([
      ...base,
      rp(`<ContentDefinitions><ContentDefinition Id="api.phonefactor">
            <LocalizedResourcesReferences MergeBehavior="Prepend">
              <LocalizedResourcesReference Language="en" LocalizedResourcesReferenceId="api.phonefactor.en.rp" />
            </LocalizedResourcesReferences></ContentDefinition></ContentDefinitions>
          <Localization>${strings('api.phonefactor.en.rp', ux('button_send_code', 'Text me') + ux('countryList', '{"US":"USA"}'))}</Localization>`),
    ]);
    const cd = r.set!.profiles.get('B2C_1A_rp/PhoneFactor-InputOrVerify')!.contentDefinition;
    assert.equal(cd.strings.en!.button_send_code, 'Text me');
    assert.equal(cd.strings.en!.button_verify, 'Call Me', 'strings the RP does not set still come from the base');
    assert.deepEqual(cd.countryAllowlist, ['US']);
  });

  test('ReplaceAll: only the relying party references remain', () => {
    const r = checkPolicySources([
      ...base,
      rp(`<ContentDefinitions><ContentDefinition Id="api.phonefactor">
            <LocalizedResourcesReferences MergeBehavior="ReplaceAll">
              <LocalizedResourcesReference Language="en" LocalizedResourcesReferenceId="only" />
            </LocalizedResourcesReferences></ContentDefinition></ContentDefinitions>
          <Localization>${strings('only', ux('button_send_code', 'Go'))}</Localization>`),
    ]);
    const cd = r.set!.profiles.get('B2C_1A_rp/PhoneFactor-InputOrVerify')!.contentDefinition;
    assert.deepEqual(cd.strings.en, { button_send_code: 'Go' });
    assert.equal(cd.countryAllowlist, null, 'the base countryList is no longer referenced');
  });

  test('a reference to undefined LocalizedResources is an error naming the reference', () => {
    const r = checkPolicySources([
      ...base,
      rp(`<ContentDefinitions><ContentDefinition Id="api.phonefactor">
            <LocalizedResourcesReferences MergeBehavior="Append">
              <LocalizedResourcesReference Language="de" LocalizedResourcesReferenceId="api.phonefactor.de" />
            </LocalizedResourcesReferences></ContentDefinition></ContentDefinitions>`),
    ]);
    assert.equal(r.set, null);
    assert.equal(r.errors[0]!.file, '/policies/rp.xml');
    assert.equal(r.errors[0]!.line, 5);
    assert.match(r.errors[0]!.detail, /LocalizedResources "api\.phonefactor\.de" is not defined/);
  });
});
