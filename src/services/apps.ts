// The apps allowed to call the server-to-server API: API-key authentication and return-URL allowlists.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config.ts';
import { TollgateError } from '../core/errors.ts';

export interface RegisteredApp {
  id: string;
  name: string;
  audience: string;
  returnUrls: string[];
  /** SHA-256 digests of the accepted API keys. */
  keyDigests: Buffer[];
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function registerApps(apps: AppConfig[]): RegisteredApp[] {
  return apps.map((a) => ({
    id: a.id,
    name: a.name,
    audience: a.audience ?? a.id,
    returnUrls: a.returnUrls,
    keyDigests: a.apiKeys.map((k) => (k.startsWith('sha256:') ? Buffer.from(k.slice(7), 'hex') : sha256(k))),
  }));
}

export class AppRegistry {
  constructor(private readonly apps: RegisteredApp[]) {}

  byId(id: string): RegisteredApp | undefined {
    return this.apps.find((a) => a.id === id);
  }

  /** The app whose API key this is, or null. Every digest is compared, in constant time. */
  authenticate(apiKey: string): RegisteredApp | null {
    const digest = sha256(apiKey);
    let found: RegisteredApp | null = null;
    for (const app of this.apps) {
      for (const d of app.keyDigests) {
        if (d.length === digest.length && timingSafeEqual(d, digest)) found = app;
      }
    }
    return found;
  }

  /** Returns the normalised URL when it is on the app's allowlist (scheme, host, port and path must match exactly). */
  checkReturnUrl(app: RegisteredApp, url: string): string {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new TollgateError('return_url_not_allowed', 'returnUrl is not a valid absolute URL.', { field: 'returnUrl' });
    }
    const key = (x: URL) => `${x.protocol}//${x.host}${x.pathname}`;
    const ok = (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password &&
      app.returnUrls.some((allowed) => key(new URL(allowed)) === key(u));
    if (!ok) throw new TollgateError('return_url_not_allowed', undefined, { field: 'returnUrl' });
    u.hash = '';
    return u.toString();
  }
}
