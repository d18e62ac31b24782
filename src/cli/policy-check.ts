// `tollgate policy check FILE...`: validates policy files (native or B2C XML, with their bases)
// and prints the effective profiles, so an operator sees what Tollgate will enforce (mode, autodial,
// country allowlist…) after inheritance, before deploying.
import { sep } from 'node:path';
import { checkPolicyFiles } from '../adapters/policy/policy-files.ts';
import type { ClaimMapping, PhoneFactorProfile, PolicyError } from '../core/policy/profile.ts';

export interface CheckOutput {
  log(s: string): void;
  error(s: string): void;
}

// Absolute paths make messages exact but long; below the working directory they read better relative.
function shorten(text: string): string {
  const prefix = process.cwd() + sep;
  return text.split(prefix).join('');
}

function claim(c: ClaimMapping): string {
  return c.claimType === c.partnerClaimType ? c.claimType : `${c.claimType} (${c.partnerClaimType})`;
}

// A full world list is hundreds of codes; the count and the first ones are enough to recognise it.
function listed(codes: string[], max = 30): string {
  return codes.length <= max ? codes.join(', ') : `${codes.slice(0, max).join(', ')} … (${codes.length - max} more)`;
}

const onOff = (b: boolean): string => (b ? 'on' : 'off');

export function describeProfile(p: PhoneFactorProfile): string[] {
  const cd = p.contentDefinition;
  const phones = p.inputClaims.phoneNumbers;
  const page = [
    cd.loadUri ? `template ${shorten(cd.loadUri)}` : 'built-in page',
    ...(cd.dataUri ? [`data ${cd.dataUri}`] : []),
    `default language ${cd.defaultLanguage}`,
    `languages ${cd.supportedLanguages.length ? cd.supportedLanguages.join(', ') : 'all'}`,
    ...(cd.stylesheets.length ? [`stylesheets ${cd.stylesheets.join(', ')}`] : []),
  ];
  const allow = cd.countryAllowlist;
  return [
    `${p.policyId}/${p.id}${p.displayName ? `  (${p.displayName})` : ''}`,
    `  source:              ${shorten(p.source)}`,
    `  mode:                ${p.authenticationMode}`,
    `  manual entry:        ${p.manualPhoneNumberEntryAllowed ? 'allowed' : 'not allowed'}`,
    `  autodial:            ${onOff(p.autodial)}`,
    `  autosubmit:          ${onOff(p.autosubmit)}`,
    `  captcha:             ${onOff(p.enableCaptchaChallenge)}`,
    `  methods:             ${p.methods.join(', ')}${p.fallbackMethods.length ? `; fallback ${p.fallbackMethods.join(', ')}` : ''}`,
    `  input claims:        UserId ← ${claim(p.inputClaims.userId)}; phone numbers ← ${phones.length ? phones.map(claim).join(', ') : '(none: enrolment only)'}`,
    `  output claims:       newPhoneNumberEntered → ${claim(p.outputClaims.newPhoneNumberEntered)}; Verified.OfficePhone → ${claim(p.outputClaims.verifiedPhoneNumber)}`,
    `  content definition:  ${p.contentDefinitionReferenceId} (${page.join('; ')})`,
    `  country allowlist:   ${allow === null ? 'all countries (no countryList)' : allow.length ? `${allow.length}: ${listed(allow)}` : 'none (every send is refused)'}`,
  ];
}

function describeError(e: PolicyError): string {
  return shorten(`${e.file}${e.line ? `:${e.line}` : ''}${e.element ? ` <${e.element}>` : ''}: ${e.detail}`);
}

/** Returns the exit code: 0 when every file is valid (warnings allowed), 1 otherwise. */
export async function policyCheck(paths: string[], out: CheckOutput): Promise<number> {
  if (paths.length === 0) {
    out.error('usage: tollgate policy check FILE_OR_DIRECTORY...');
    return 1;
  }
  const result = await checkPolicyFiles(paths);
  if (result.set) {
    const { profiles, files } = result.set;
    out.log(`${profiles.size} profile(s) from ${files.length} file(s)`);
    for (const p of profiles.values()) {
      out.log('');
      for (const line of describeProfile(p)) out.log(line);
    }
  }
  if (result.warnings.length > 0) {
    out.log('');
    out.log(`${result.warnings.length} warning(s):`);
    for (const w of result.warnings) out.log(`  warning: ${shorten(w.source)}: ${w.message}`);
  }
  if (result.errors.length > 0) {
    for (const e of result.errors) out.error(`error: ${describeError(e)}`);
    out.error(`policy check failed: ${result.errors.length} error(s)`);
    return 1;
  }
  out.log('');
  out.log('policy check passed');
  return 0;
}
