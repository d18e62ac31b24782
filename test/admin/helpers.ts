// Test helpers for the admin sign-in: a real SQLite admin store in a temp dir (schema from the
// migration SQL), AdminAuth on a manual clock, and a Fastify app with the admin routes for inject().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { ManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { SqliteAdminStore } from '../../src/adapters/store/sqlite-admin.ts';
import { installErrorHandling } from '../../src/http/errors.ts';
import { registerAdminAuth } from '../../src/http/routes/admin-auth.ts';
import { AdminAuth } from '../../src/services/admin-auth.ts';

export const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
export const CSRF_KEY = new Uint8Array(32).fill(7);
export const ADMIN_PASSWORD = 'correct horse battery';
export const VIEWER_PASSWORD = 'viewer password 42';

export interface AdminFixture {
  dir: string;
  dbPath: string;
  store: SqliteAdminStore;
  clock: ManualClock;
  auth: AdminAuth;
  close(): Promise<void>;
}

export async function adminFixture(opts: { users?: boolean } = {}): Promise<AdminFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-admin-'));
  const dbPath = join(dir, 'tollgate.db');
  const store = new SqliteAdminStore(dbPath);
  await store.migrate();
  const clock = new ManualClock(T0);
  const auth = new AdminAuth({ store, clock, csrfKey: CSRF_KEY });
  if (opts.users !== false) {
    await auth.createUser({ username: 'Alice', password: ADMIN_PASSWORD, role: 'admin' }, 'test');
    await auth.createUser({ username: 'victor', password: VIEWER_PASSWORD, role: 'viewer' }, 'test');
  }
  return {
    dir, dbPath, store, clock, auth,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function adminApp(auth: AdminAuth, secureCookies = false): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(formbody);
  await app.register(cookie);
  installErrorHandling(app);
  await registerAdminAuth(app, { auth, csrfKey: CSRF_KEY, secureCookies });
  return app;
}

/** `name=value` pairs from a response's Set-Cookie headers (the last value per name). */
export function cookieHeader(res: LightMyRequestResponse, extra: Record<string, string> = {}): string {
  const jar = new Map(Object.entries(extra));
  for (const c of res.cookies as { name: string; value: string }[]) jar.set(c.name, c.value);
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** The sign-in form's CSRF cookie and hidden field, as a browser would get them from GET /admin/sign-in. */
export async function signInForm(app: FastifyInstance, query = ''): Promise<{ cookie: string; csrf: string; html: string }> {
  const res = await app.inject({ method: 'GET', url: `/admin/sign-in${query}` });
  const csrf = /name="csrf" value="([^"]+)"/.exec(res.body)?.[1];
  if (!csrf) throw new Error(`no csrf field in the sign-in page (status ${res.statusCode})`);
  return { cookie: cookieHeader(res), csrf, html: res.body };
}

/** Signs in through the form; returns the response and the browser's cookie header afterwards. */
export async function signInThroughForm(
  app: FastifyInstance,
  username: string,
  password: string,
  extra: { next?: string; ip?: string } = {},
): Promise<{ res: LightMyRequestResponse; cookie: string }> {
  const form = await signInForm(app);
  const payload = new URLSearchParams({ username, password, csrf: form.csrf, ...(extra.next ? { next: extra.next } : {}) }).toString();
  const res = await app.inject({
    method: 'POST',
    url: '/admin/sign-in',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
    payload,
    ...(extra.ip ? { remoteAddress: extra.ip } : {}),
  });
  return { res, cookie: cookieHeader(res, Object.fromEntries(form.cookie.split('; ').map((p) => p.split('=') as [string, string]))) };
}
