// Shared helpers for the policy tests: fixture paths and an assertion on PolicyError fields.
import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicyFiles } from '../../../src/adapters/policy/policy-files.ts';
import { PolicyErrors } from '../../../src/core/policy/problems.ts';
import { PolicyError } from '../../../src/core/policy/profile.ts';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const fixtures = join(root, 'test/fixtures/policies');
export const examples = join(root, 'examples/b2c');
export const demoPolicy = join(root, 'policies/demo.yaml');

export const native = (name: string): string => join(fixtures, 'native', name);
export const xml = (name: string): string => join(fixtures, 'xml', name);

export interface Expected {
  file: string;
  line?: number;
  element?: RegExp;
  detail: RegExp;
}

function matches(e: PolicyError, want: Expected): boolean {
  return (
    basename(e.file) === want.file &&
    (want.line === undefined || e.line === want.line) &&
    (want.element === undefined || want.element.test(e.element ?? '')) &&
    want.detail.test(e.detail)
  );
}

/** Loads `paths`, expects a PolicyError, and returns every error it carried. */
export async function loadErrors(paths: string[]): Promise<PolicyError[]> {
  try {
    await loadPolicyFiles(paths);
  } catch (e) {
    assert.ok(e instanceof PolicyError, `expected a PolicyError, got ${String(e)}`);
    return e instanceof PolicyErrors ? e.errors : [e];
  }
  assert.fail(`expected ${paths.map((p) => basename(p)).join(', ')} to be rejected`);
}

/** Asserts that loading fails with (at least) an error matching `want`; returns that error. */
export async function assertRejects(paths: string[], want: Expected): Promise<PolicyError> {
  const errors = await loadErrors(paths);
  const found = errors.find((e) => matches(e, want));
  assert.ok(found, `no error matching ${JSON.stringify({ ...want, element: String(want.element), detail: String(want.detail) })}; got:\n${errors.map((e) => e.message).join('\n')}`);
  return found;
}
