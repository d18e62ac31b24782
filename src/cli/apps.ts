// `tollgate app hash-key KEY`: the digest form to keep API keys out of configuration files.
import { sha256 } from '../services/apps.ts';

export function hashApiKey(key: string): number {
  if (key.length < 24) {
    console.error('tollgate app hash-key: use a key of at least 24 characters (e.g. `openssl rand -base64 32`)');
    return 2;
  }
  console.log(`sha256:${sha256(key).toString('hex')}`);
  return 0;
}
