// Loads operator page templates (content definition LoadUri pointing at a local HTML file),
// cached by path and modification time. A missing or unusable template returns null: the caller
// falls back to the built-in layout and the page never fails because of it.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasApiPlaceholder } from './document.ts';

const cache = new Map<string, { mtimeMs: number; text: string }>();
const MAX_TEMPLATE_BYTES = 1024 * 1024;

export type WarnFn = (message: string, details?: Record<string, unknown>) => void;

/** The local file path a LoadUri names, or null for remote URLs (not fetched by the page). */
export function templatePath(loadUri: string): string | null {
  const uri = loadUri.trim();
  if (!uri) return null;
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return null;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return null;
  return resolve(uri);
}

export async function loadContentTemplate(loadUri: string | undefined, warn: WarnFn): Promise<string | null> {
  if (!loadUri) return null;
  const path = templatePath(loadUri);
  if (!path) {
    warn('content definition LoadUri is not a local file; using the built-in page layout', { loadUri });
    return null;
  }
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_TEMPLATE_BYTES) throw new Error('not a regular file of at most 1 MiB');
    const cached = cache.get(path);
    if (cached && cached.mtimeMs === info.mtimeMs) return cached.text;
    const text = await readFile(path, 'utf8');
    if (!hasApiPlaceholder(text)) {
      warn('content definition template has no <div id="api"></div>; using the built-in page layout', { path });
      return null;
    }
    cache.set(path, { mtimeMs: info.mtimeMs, text });
    return text;
  } catch (err) {
    cache.delete(path);
    warn('content definition template could not be read; using the built-in page layout', {
      path,
      error: err instanceof Error ? err.message : String(err),
    });
    return null;
  }
}
