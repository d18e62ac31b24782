// Reads policy files from disk for the pure loader in src/core/policy. A path may be a file or a
// directory (every .xml/.yaml/.yml/.json directly inside it, in name order, so a B2C starter-pack
// folder loads as one set). File names are made absolute: messages then say exactly which file,
// and native templates resolve next to their policy.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { checkPolicySources, loadPolicySources, type PolicyCheckResult, type PolicySource } from '../../core/policy/policy-set.ts';
import { type LoadedPolicySet, PolicyError } from '../../core/policy/profile.ts';

const policyExtensions = new Set(['.xml', '.yaml', '.yml', '.json']);

function readFailure(file: string, e: unknown): PolicyError {
  const code = (e as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
  return new PolicyError(file, undefined, undefined, `cannot read: ${reason}`);
}

/** Expands directories and reads every file. Throws a PolicyError naming the first unreadable path. */
export async function readPolicySources(paths: string[]): Promise<PolicySource[]> {
  const files: string[] = [];
  for (const p of paths) {
    const path = resolve(p);
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (e) {
      throw readFailure(path, e);
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const entries = (await readdir(path, { withFileTypes: true }))
      .filter((d) => d.isFile() && policyExtensions.has(extname(d.name).toLowerCase()))
      .map((d) => join(path, d.name))
      .sort();
    if (entries.length === 0) throw new PolicyError(path, undefined, undefined, 'the directory holds no .xml/.yaml/.yml/.json policy file');
    files.push(...entries);
  }
  const unique = [...new Set(files)];
  return Promise.all(
    unique.map(async (file) => {
      try {
        return { file, text: await readFile(file, 'utf8') };
      } catch (e) {
        throw readFailure(file, e);
      }
    }),
  );
}

/** Loads the effective policy set; throws a PolicyError (a PolicyErrors when several). */
export async function loadPolicyFiles(paths: string[]): Promise<LoadedPolicySet> {
  if (paths.length === 0) throw new PolicyError('(no policy files)', undefined, undefined, 'give at least one policy file or directory');
  return loadPolicySources(await readPolicySources(paths));
}

/** Like loadPolicyFiles, but returns every error and warning instead of throwing (for `policy check`). */
export async function checkPolicyFiles(paths: string[]): Promise<PolicyCheckResult> {
  try {
    return checkPolicySources(await readPolicySources(paths));
  } catch (e) {
    if (e instanceof PolicyError) return { set: null, errors: [e], warnings: [] };
    throw e;
  }
}
