// Where the page assets live on disk and their versioned URLs (/assets/NAME?v=HASH), so they can be
// served with long cache lifetimes and still change on upgrade.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of src/pages/assets/. */
export const assetsDir = fileURLToPath(new URL('./assets/', import.meta.url));

const versions = new Map<string, string>();

/** `/assets/phone-factor.css?v=1a2b3c4d5e`: the version is a hash of the file, computed once. */
export function assetUrl(name: string): string {
  let v = versions.get(name);
  if (v === undefined) {
    try {
      v = createHash('sha256').update(readFileSync(join(assetsDir, name))).digest('hex').slice(0, 10);
    } catch {
      v = '0';
    }
    versions.set(name, v);
  }
  return `/assets/${encodeURIComponent(name)}?v=${v}`;
}
