// B2C XML policy files one at a time: DTD refusal, malformed XML, what is read and what is warned about.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { loadPolicyFiles } from '../../../src/adapters/policy/policy-files.ts';
import { loadPolicySources } from '../../../src/core/policy/policy-set.ts';
import { PolicyError } from '../../../src/core/policy/profile.ts';
import { refuseDeclarations } from '../../../src/core/policy/xml-dom.ts';
import { assertRejects, xml } from './fixtures.ts';

describe('XML safety', () => {
  test('an XXE payload (DOCTYPE with an external ENTITY) is refused before parsing', async () => {
    const text = readFileSync(xml('xxe.xml'), 'utf8');
    assert.match(text, /<!DOCTYPE x \[<!ENTITY e SYSTEM "file:\/\/\/etc\/passwd">\]>/);
    const e = await assertRejects([xml('xxe.xml')], { file: 'xxe.xml', line: 2, element: /^!DOCTYPE$/, detail: /DOCTYPE and ENTITY declarations are refused/ });
    assert.doesNotMatch(e.message, /root:/, 'nothing from /etc/passwd leaks into the message');
  });

  test('a bare ENTITY declaration is refused too', async () => {
    await assertRejects([xml('entity-in-body.xml')], { file: 'entity-in-body.xml', line: 4, element: /^!ENTITY$/, detail: /refused/ });
  });

  test('declarations inside comments and CDATA are only text', () => {
    assert.doesNotThrow(() => refuseDeclarations('<a><!-- <!DOCTYPE x> --><![CDATA[<!ENTITY y "z">]]></a>', 'f.xml'));
    assert.throws(() => refuseDeclarations('<a><!-- ok -->\n<!doctype a></a>', 'f.xml'), (e: unknown) => e instanceof PolicyError && e.line === 2);
  });

  test('malformed XML names the file and the line of the bad end tag', async () => {
    await assertRejects([xml('malformed.xml')], { file: 'malformed.xml', line: 11, detail: /malformed XML: Opening and ending tag mismatch: "Metadata" != "Metdata"/ });
  });

  test('a root element that is not a B2C TrustFrameworkPolicy is refused', () => {
    assert.throws(
      () => loadPolicySources([{ file: '/p/other.xml', text: '<TrustFrameworkPolicy PolicyId="X"/>' }]),
      (e: unknown) => e instanceof PolicyError && /namespace http:\/\/schemas\.microsoft\.com\/online\/cpim\/schemas\/2013\/06/.test(e.detail),
    );
  });
});

describe('XML reading', () => {
  test('unknown elements in a PhoneFactor profile are warnings with file:line; known ignored ones are silent', async () => {
    const set = await loadPolicyFiles([xml('unknown-element.xml')]);
    const p = set.profiles.get('B2C_1A_unknown/PhoneFactor-InputOrVerify')!;
    assert.equal(p.displayName, 'Fixture phone factor');
    assert.equal(p.source, `${xml('unknown-element.xml')}:15`);
    assert.equal(p.contentDefinition.dataUri, 'urn:com:microsoft:aad:b2c:elements:contract:multifactor:1.2.5');
    assert.deepEqual(set.warnings, [
      {
        source: `${xml('unknown-element.xml')}:31`,
        message: "TechnicalProfile[@Id='PhoneFactor-InputOrVerify']/ValidationTechnicalProfiles is not used by Tollgate's PhoneFactor profile; ignored",
      },
      { source: `${xml('unknown-element.xml')}:21`, message: 'unknown metadata key "setting.autoDial" in profile PhoneFactor-InputOrVerify; ignored' },
    ]);
  });

  test('the same rules apply to XML: autodial with mixed mode names the Item line', async () => {
    await assertRejects([xml('autodial-mixed.xml')], {
      file: 'autodial-mixed.xml',
      line: 20,
      element: /^TechnicalProfile\[@Id='PhoneFactor-Autodial'\]\/Metadata\/Item\[@Key='setting\.autodial'\]$/,
      detail: /requires setting\.authenticationMode sms or phone/,
    });
  });

  test('non-PhoneFactor technical profiles are skipped silently', () => {
    const text = `<TrustFrameworkPolicy xmlns="http://schemas.microsoft.com/online/cpim/schemas/2013/06" PolicyId="B2C_1A_other">
      <ClaimsProviders><ClaimsProvider><TechnicalProfiles>
        <TechnicalProfile Id="AAD-Read"><Protocol Name="Proprietary" Handler="Web.TPEngine.Providers.AzureActiveDirectoryProvider, Web.TPEngine"/>
          <Whatever/></TechnicalProfile>
      </TechnicalProfiles></ClaimsProvider></ClaimsProviders></TrustFrameworkPolicy>`;
    const set = loadPolicySources([{ file: '/p/other.xml', text }]);
    assert.equal(set.profiles.size, 0);
    assert.deepEqual(set.warnings, []);
  });

  test('countryList that is not valid JSON names the LocalizedString line', async () => {
    const { examples } = await import('./fixtures.ts');
    await assertRejects([examples, xml('bad-country-list.xml')], {
      file: 'bad-country-list.xml',
      line: 13,
      element: /LocalizedString\[@StringId='countryList'\]$/,
      detail: /countryList is not valid JSON/,
    });
  });

  test('the PhoneFactor protocol must be named Proprietary', () => {
    const text = readFileSync(xml('autodial-mixed.xml'), 'utf8').replace('Name="Proprietary"', 'Name="OpenIdConnect"');
    assert.throws(() => loadPolicySources([{ file: '/p/x.xml', text }]), (e: unknown) => e instanceof PolicyError && /needs Name="Proprietary"/.test(e.detail));
  });
});
