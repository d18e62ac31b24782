// Starts a real Tollgate (SQLite file in a temp dir, manual clock, outbox telephony) for tests,
// with small helpers to call it through Fastify's inject (the real router, no socket).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTollgate, type Tollgate, type TollgateOverrides } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';

export const DEV_KEY = 'test-dev-key-0123456789abcdef';
const root = new URL('../..', import.meta.url).pathname;

export interface TestTollgate {
  tg: Tollgate;
  call(method: string, url: string, body?: unknown, opts?: { key?: string | null; headers?: Record<string, string>; raw?: string }): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  /** The newest outbox message to a number. */
  lastMessage(to: string): Promise<{ code: string | null; channel: string; body: string } | undefined>;
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function startTestTollgate(
  env: Record<string, string> = {},
  overrides: TollgateOverrides = {},
): Promise<TestTollgate> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-test-'));
  const config = loadConfig(
    {
      TOLLGATE_MODE: 'test',
      TOLLGATE_DATA_DIR: dir,
      TOLLGATE_CLOCK: 'manual',
      TOLLGATE_DEV_API_KEY: DEV_KEY,
      TOLLGATE_POLICIES: join(root, 'policies/demo.yaml'),
      PORT: '0',
      ...env,
    },
    root,
  );
  const tg = await createTollgate(config, { logger: false, ...overrides });
  return {
    tg,
    async call(method, url, body, opts = {}) {
      const key = opts.key === undefined ? DEV_KEY : opts.key;
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (key) headers.authorization = `Bearer ${key}`;
      let payload: string | undefined = opts.raw;
      if (body !== undefined && payload === undefined) {
        payload = JSON.stringify(body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await tg.http.inject({ method: method as 'GET', url, headers, payload });
      let parsed: unknown = res.body;
      try {
        parsed = JSON.parse(res.body);
      } catch {}
      return { status: res.statusCode, body: parsed, headers: res.headers };
    },
    async lastMessage(to) {
      return (await tg.store.listOutbox({ to, limit: 1 }))[0];
    },
    advance(ms) {
      tg.manualClock!.advance(ms);
    },
    async close() {
      await tg.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
