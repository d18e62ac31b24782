// `tollgate policy check`: what it prints and its exit code.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { policyCheck } from '../../../src/cli/policy-check.ts';
import { demoPolicy, examples, native, xml } from './fixtures.ts';

async function run(paths: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await policyCheck(paths, { log: (s) => out.push(s), error: (s) => err.push(s) });
  return { code, out, err };
}

describe('policyCheck', () => {
  test('valid files: exit 0 and the effective profile, field by field', async () => {
    const { code, out, err } = await run([examples]);
    assert.equal(code, 0);
    assert.deepEqual(err, []);
    const text = out.join('\n');
    assert.match(text, /^1 profile\(s\) from 4 file\(s\)$/m);
    assert.match(text, /^B2C_1A_signup_signin\/PhoneFactor-InputOrVerify {2}\(PhoneFactor\)$/m);
    assert.match(text, /source: +examples\/b2c\/TrustFrameworkExtensions\.xml:48$/m);
    assert.match(text, /mode: +sms$/m);
    assert.match(text, /manual entry: +allowed$/m);
    assert.match(text, /autodial: +off$/m);
    assert.match(text, /autosubmit: +off$/m);
    assert.match(text, /captcha: +off$/m);
    assert.match(text, /input claims: +UserId ← userIdForMFA \(UserId\); phone numbers ← strongAuthenticationPhoneNumber, secondaryStrongAuthenticationPhoneNumber$/m);
    assert.match(text, /output claims: +newPhoneNumberEntered → newPhoneNumberEntered; Verified\.OfficePhone → Verified\.strongAuthenticationPhoneNumber \(Verified\.OfficePhone\)$/m);
    assert.match(text, /content definition: +api\.phonefactor \(built-in page; data urn:com:microsoft:aad:b2c:elements:contract:multifactor:1\.2\.20; default language en; languages en\)$/m);
    assert.match(text, /country allowlist: +3: JP, BG, US$/m);
    assert.equal(out.at(-1), 'policy check passed');
  });

  test('a native file prints its template path and every profile', async () => {
    const { code, out } = await run([native('valid.yaml'), demoPolicy]);
    assert.equal(code, 0);
    const text = out.join('\n');
    assert.match(text, /^6 profile\(s\) from 2 file\(s\)$/m);
    assert.match(text, /template test\/fixtures\/policies\/templates\/custom\.html; data .*; stylesheets \/assets\/brand\.css\)$/m);
    assert.match(text, /^B2C_1A_TollgateDemo\/PhoneFactor-Verify-Call {2}\(Verify by phone call\)$/m);
    assert.match(text, /country allowlist: +3: US, GB, FR$/m);
    assert.match(text, /country allowlist: +15: US, CA, GB, IE, FR, IT, DE, ES, PT, NL, BE, CH, BG, JP, AU$/m);
  });

  test('warnings are printed and do not fail the check', async () => {
    const { code, out } = await run([xml('unknown-element.xml')]);
    assert.equal(code, 0);
    assert.ok(out.includes('2 warning(s):'));
    assert.ok(out.some((l) => /^ {2}warning: test\/fixtures\/policies\/xml\/unknown-element\.xml:31: .*ValidationTechnicalProfiles is not used/.test(l)));
  });

  test('errors: exit 1, each error with file:line and element, and no profile listing', async () => {
    const { code, out, err } = await run([native('schema-errors.yaml'), native('autodial-mixed.yaml')]);
    assert.equal(code, 1);
    assert.deepEqual(out, []);
    assert.equal(err.length, 6);
    assert.match(err[0]!, /^error: test\/fixtures\/policies\/native\/schema-errors\.yaml:5 <contentDefinitions\.api\.phonefactor\.defaultLanguage>: /);
    assert.ok(err.some((l) => /^error: test\/fixtures\/policies\/native\/autodial-mixed\.yaml:9 <profiles\.PhoneFactor-Broken\.metadata\.setting\.autodial>: /.test(l)));
    assert.equal(err.at(-1), 'policy check failed: 5 error(s)');
  });

  test('an unreadable path and an empty argument list exit 1', async () => {
    const missing = await run(['/nonexistent/policy.yaml']);
    assert.equal(missing.code, 1);
    assert.match(missing.err[0]!, /^error: \/nonexistent\/policy\.yaml: cannot read: no such file or directory$/);
    const none = await run([]);
    assert.equal(none.code, 1);
    assert.match(none.err[0]!, /^usage: tollgate policy check/);
  });

  test('refused XML (XXE) fails the check', async () => {
    const { code, err } = await run([xml('xxe.xml')]);
    assert.equal(code, 1);
    assert.match(err[0]!, /xxe\.xml:2 <!DOCTYPE>: DOCTYPE and ENTITY declarations are refused/);
  });
});
