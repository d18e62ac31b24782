// Loads a set of policy sources (native YAML/JSON and B2C XML, mixed freely) into the effective
// LoadedPolicySet. Pure: the adapter in src/adapters/policy reads the files and passes their text.
import { extname } from 'node:path';
import { profileKey } from './find-profile.ts';
import { parseNativePolicy } from './native-policy.ts';
import { type LoadedPolicySet, PolicyError, type PhoneFactorProfile, type PolicyWarning } from './profile.ts';
import { buildProfile } from './profile-rules.ts';
import { Problems, sourceOf } from './problems.ts';
import type { ResolvedPolicy } from './raw-profile.ts';
import { resolveXmlPolicies } from './xml-chains.ts';
import type { XmlPolicyFile } from './xml-model.ts';
import { parseXmlPolicy } from './xml-policy.ts';

export interface PolicySource {
  /** The file name used in messages and to resolve relative template paths (absolute, ideally). */
  file: string;
  text: string;
}

export type PolicyFormat = 'xml' | 'native';

/** `.xml` or text starting with `<` is B2C XML; `.yaml`, `.yml`, `.json` are native; else null. */
export function policyFormat(file: string, text: string): PolicyFormat | null {
  const ext = extname(file).toLowerCase();
  if (ext === '.xml' || text.replace(/^\uFEFF/, '').trimStart().startsWith('<')) return 'xml';
  if (ext === '.yaml' || ext === '.yml' || ext === '.json') return 'native';
  return null;
}

export interface PolicyCheckResult {
  /** Null when there is any error. */
  set: LoadedPolicySet | null;
  errors: PolicyError[];
  warnings: PolicyWarning[];
}

/** Loads and validates everything, collecting every error instead of stopping at the first. */
export function checkPolicySources(sources: PolicySource[]): PolicyCheckResult {
  const problems = new Problems();
  const resolved: ResolvedPolicy[] = [];
  const xmlFiles: XmlPolicyFile[] = [];
  for (const { file, text } of sources) {
    const format = policyFormat(file, text);
    if (format === null) {
      problems.error({ file, element: 'file' }, 'unknown policy file type: use .xml (B2C custom policy) or .yaml/.yml/.json (native)');
    } else if (format === 'xml') {
      const parsed = problems.attempt(() => parseXmlPolicy(text, file, problems));
      if (parsed) xmlFiles.push(parsed);
    } else {
      const parsed = problems.attempt(() => parseNativePolicy(text, file, problems));
      if (parsed) resolved.push(parsed);
    }
  }
  const xmlIds = new Map(xmlFiles.map((f) => [f.policyId, f]));
  const seen = new Map<string, ResolvedPolicy>();
  for (const policy of resolved) {
    const clash = seen.get(policy.policyId) ?? xmlIds.get(policy.policyId);
    if (clash) problems.error(policy.at, `policyId ${policy.policyId} is also used by ${sourceOf(clash.at)}`);
    seen.set(policy.policyId, policy);
  }
  resolved.push(...resolveXmlPolicies(xmlFiles, problems));

  const profiles = new Map<string, PhoneFactorProfile>();
  for (const policy of resolved) {
    for (const raw of policy.profiles) {
      const profile = buildProfile(raw, policy.contentDefinitions, problems);
      const key = profileKey(policy.policyId, raw.id);
      if (profiles.has(key)) problems.error(raw, `profile ${key} is defined twice (also at ${profiles.get(key)!.source})`);
      else if (profile) profiles.set(key, profile);
    }
  }

  const warnings = dedupe(problems.warnings);
  if (problems.errors.length > 0) return { set: null, errors: problems.errors, warnings };
  return { set: { profiles, warnings, files: sources.map((s) => s.file) }, errors: [], warnings };
}

/** Like checkPolicySources, but throws the error(s) (a PolicyErrors when several). */
export function loadPolicySources(sources: PolicySource[]): LoadedPolicySet {
  const result = checkPolicySources(sources);
  if (!result.set) {
    const problems = new Problems();
    problems.errors.push(...result.errors);
    problems.throwIfAny();
  }
  return result.set!;
}

// One base file feeds every relying-party chain built on it; say each thing once.
function dedupe(warnings: PolicyWarning[]): PolicyWarning[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const k = `${w.source}\u0000${w.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
