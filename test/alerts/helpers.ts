// Alert test helpers: a real local HTTP server (node:http on 127.0.0.1) that receives webhooks,
// a config file writer, and the sends that make unconfirmed codes or complete verifications
// through the real API.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestTollgate } from '../helpers/test-tollgate.ts';

export interface ReceivedHook {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port><path>`. */
  url(path: string): string;
  received: ReceivedHook[];
  /** Answers the next `n` requests with this status instead of 200. */
  failNext(n: number, status?: number): void;
  /** Requests to this path get no answer at all (a hung endpoint). */
  hang(path: string): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  let failures = 0;
  let failStatus = 500;
  const hung = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      received.push({ path: req.url ?? '', headers: req.headers, body });
      if (hung.has(req.url ?? '')) return; // never answers
      if (failures > 0) {
        failures--;
        res.writeHead(failStatus).end('no');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    failNext(n, status = 500) {
      failures = n;
      failStatus = status;
    },
    hang: (path) => hung.add(path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function configFile(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tollgate-alerts-')), 'tollgate.yaml');
  writeFileSync(file, yaml);
  return file;
}

let users = 0;
export async function newSession(t: TestTollgate): Promise<string> {
  const r = await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: `alerts-user-${++users}` });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

export function sendCode(t: TestTollgate, id: string, phoneNumber: string, ip = '198.51.100.10') {
  return t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { phoneNumber, channel: 'sms', client: { ip, userAgent: 'Mozilla/5.0 (Linux; Android 14) Chrome/131' } });
}

/** A code sent that nobody types in. */
export async function unconfirmedSend(t: TestTollgate, phoneNumber: string, ip?: string): Promise<void> {
  const r = await sendCode(t, await newSession(t), phoneNumber, ip);
  assert.equal(r.status, 200, `${phoneNumber}: ${JSON.stringify(r.body)}`);
}

/** A whole legitimate verification: code sent, read from the outbox, typed in. */
export async function completedVerification(t: TestTollgate, phoneNumber: string, ip: string): Promise<void> {
  const id = await newSession(t);
  const sent = await sendCode(t, id, phoneNumber, ip);
  assert.equal(sent.status, 200, `${phoneNumber}: ${JSON.stringify(sent.body)}`);
  const code = (await t.lastMessage(phoneNumber))?.code;
  const ok = await t.call('POST', `/v1/phone-factor/sessions/${id}/verify`, { code });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
}

export const MIN = 60_000;
