// A local stand-in for the Turnstile, hCaptcha and reCAPTCHA siteverify endpoints (node:http on
// 127.0.0.1, port 0). It speaks their wire format: a form-encoded POST of secret/response/remoteip
// (+ sitekey for hCaptcha) answered with their JSON, `error-codes` included, and it enforces what
// the real ones do: the secret must match and a token verifies once.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SiteverifyProvider } from '../../../src/adapters/captcha/siteverify.ts';

export interface IssuedToken {
  hostname?: string;
  /** reCAPTCHA v3 score. */
  score?: number;
  action?: string;
  /** Turnstile: the data-cdata the widget was rendered with. */
  cdata?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string;
  form: Record<string, string>;
}

/** Special behaviours, chosen per token. */
export type Misbehaviour = 'hang' | 'http500' | 'not-json' | 'wrong-shape' | 'always-pass';

const duplicateCode: Record<SiteverifyProvider, string> = {
  turnstile: 'timeout-or-duplicate',
  hcaptcha: 'invalid-or-already-seen-response',
  recaptcha: 'timeout-or-duplicate',
};

export class FakeSiteverify {
  readonly requests: RecordedRequest[] = [];
  private readonly issued = new Map<string, IssuedToken>();
  private readonly spent = new Set<string>();
  private readonly misbehave = new Map<string, Misbehaviour>();
  private server: Server | null = null;
  url = '';

  constructor(
    readonly provider: SiteverifyProvider,
    readonly secret: string,
    readonly siteKey: string,
  ) {}

  /** A token the provider's widget would have handed the browser. */
  issue(token: string, info: IssuedToken = {}): string {
    this.issued.set(token, info);
    return token;
  }

  misbehaveOn(token: string, how: Misbehaviour): string {
    this.misbehave.set(token, how);
    return token;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then((answer) => {
        if (answer === 'hang') return; // never answers: the client must time out
        res.writeHead(answer.status, { 'content-type': answer.type });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/siteverify`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  private async handle(req: IncomingMessage): Promise<'hang' | { status: number; type: string; body: string }> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const contentType = req.headers['content-type'] ?? '';
    const form = Object.fromEntries(new URLSearchParams(raw));
    this.requests.push({ method: req.method ?? '', path: req.url ?? '', contentType, form });
    const json = (body: unknown, status = 200) => ({ status, type: 'application/json', body: JSON.stringify(body) });

    if (req.method !== 'POST' || req.url !== '/siteverify') return json({ success: false, 'error-codes': ['bad-request'] }, 405);
    const token = form.response ?? '';
    const how = this.misbehave.get(token);
    if (how === 'hang') return 'hang';
    if (how === 'http500') return { status: 500, type: 'text/plain', body: 'internal error' };
    if (how === 'not-json') return { status: 200, type: 'text/html', body: '<html>maintenance</html>' };
    if (how === 'wrong-shape') return json({ ok: 'yes' });

    if (!form.secret) return json({ success: false, 'error-codes': ['missing-input-secret'] });
    if (form.secret !== this.secret) return json({ success: false, 'error-codes': ['invalid-input-secret'] });
    if (!token) return json({ success: false, 'error-codes': ['missing-input-response'] });
    if (this.provider === 'hcaptcha' && form.sitekey !== undefined && form.sitekey !== this.siteKey) {
      return json({ success: false, 'error-codes': ['sitekey-secret-mismatch'] });
    }
    const info = this.issued.get(token);
    if (how === 'always-pass') return json(this.success(info ?? {}));
    if (!info) return json({ success: false, 'error-codes': ['invalid-input-response'] });
    if (this.spent.has(token)) return json({ success: false, 'error-codes': [duplicateCode[this.provider]] });
    this.spent.add(token);
    return json(this.success(info));
  }

  // Success bodies as each provider documents them.
  private success(info: IssuedToken): Record<string, unknown> {
    const base = { success: true, challenge_ts: '2026-01-15T10:20:30Z', hostname: info.hostname ?? 'verify.example.com' };
    if (this.provider === 'turnstile') {
      return { ...base, 'error-codes': [], action: info.action ?? '', cdata: info.cdata ?? '', metadata: { ephemeral_id: 'x:9f1c2b' } };
    }
    if (this.provider === 'hcaptcha') return { ...base, credit: false };
    return info.score === undefined ? base : { ...base, score: info.score, action: info.action ?? 'send_code' };
  }
}
