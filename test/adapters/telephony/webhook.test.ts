// WebhookTelephony against a local gateway that checks the signature the way an operator would.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookTelephony, signWebhookBody, verifyWebhookSignature } from '../../../src/adapters/telephony/webhook.ts';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.ts';
import { TelephonyError, type OutboundMessage } from '../../../src/ports.ts';

const SECRET = 'whsec_4f1c9e0b7a2d48c3b6e5f7a9';
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  signatureValid: boolean;
}

const msg: OutboundMessage = {
  channel: 'sms',
  to: '+33612345678',
  region: 'FR',
  locale: 'fr',
  text: '482913 est votre code de vérification Contoso.',
  speech: 'Votre code est : 4, 8, 2, 9, 1, 3.',
  code: '482913',
  sessionId: 'sess_42',
  statusCallbackUrl: 'https://tollgate.example/v1/telephony/webhook/status',
};

async function refusal(promise: Promise<unknown>): Promise<TelephonyError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TelephonyError);
    return error;
  }
  assert.fail('expected a TelephonyError');
}

describe('WebhookTelephony', () => {
  let server: Server;
  let base: string;
  const received: Received[] = [];

  before(async () => {
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const signatureValid = verifyWebhookSignature(SECRET, req.headers['x-tollgate-signature'] as string, raw, NOW / 1000);
      received.push({ path: req.url ?? '', headers: req.headers, raw, signatureValid });
      if (!signatureValid) return res.writeHead(401).end();
      const reply = (status: number, body?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body === undefined ? '' : JSON.stringify(body));
      };
      switch (req.url) {
        case '/ok': return reply(202, { id: 'gw-991', status: 'queued' });
        case '/empty': return reply(204);
        case '/reject': return reply(422, { numberRejected: true, code: 'unreachable' });
        case '/down': return reply(503, { error: 'maintenance' });
        case '/redirect': res.writeHead(307, { location: '/ok' }); return res.end();
        case '/hang': return;
        default: return reply(404);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const adapter = (path: string, secret = SECRET, timeoutMs?: number) =>
    new WebhookTelephony({ url: base + path, secret, timeoutMs }, new ManualClock(NOW), fetch, () => 'msg_1');

  test('POSTs the signed JSON payload and reads the gateway id and status', async () => {
    const result = await adapter('/ok').send(msg);
    assert.deepEqual(result, { providerMessageId: 'gw-991', status: 'queued', provider: 'webhook' });
    const got = received.at(-1)!;
    assert.equal(got.signatureValid, true);
    assert.equal(got.headers['x-tollgate-event'], 'message.send');
    assert.match(got.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(JSON.parse(got.raw), {
      id: 'msg_1',
      channel: 'sms',
      to: '+33612345678',
      region: 'FR',
      locale: 'fr',
      text: msg.text,
      speech: msg.speech,
      code: '482913',
      sessionId: 'sess_42',
      statusCallbackUrl: 'https://tollgate.example/v1/telephony/webhook/status',
    });
    // The documented recipe, computed here independently of the adapter.
    const t = NOW / 1000;
    const v1 = createHmac('sha256', SECRET).update(`${t}.${got.raw}`).digest('hex');
    assert.equal(got.headers['x-tollgate-signature'], `t=${t},v1=${v1}`);
  });

  test('an empty 2xx is an acceptance under our own id', async () => {
    assert.deepEqual(await adapter('/empty').send({ ...msg, statusCallbackUrl: undefined }), {
      providerMessageId: 'msg_1',
      status: 'accepted',
      provider: 'webhook',
    });
    assert.equal(JSON.parse(received.at(-1)!.raw).statusCallbackUrl, null);
  });

  test('the gateway can reject the number', async () => {
    const error = await refusal(adapter('/reject').send(msg));
    assert.equal(error.numberRejected, true);
    assert.equal(error.providerCode, 'unreachable');
    assert.match(error.message, /HTTP 422/);
  });

  test('gateway failures, wrong secrets and redirects are errors that never show the code', async () => {
    const down = await refusal(adapter('/down').send(msg));
    assert.equal(down.numberRejected, false);
    const wrongSecret = await refusal(adapter('/ok', 'some-other-secret-value').send(msg));
    assert.match(wrongSecret.message, /HTTP 401/);
    const before = received.length;
    const redirected = await refusal(adapter('/redirect').send(msg));
    assert.match(redirected.message, /HTTP 307/);
    assert.equal(received.length, before + 1, 'the redirect must not be followed');
    for (const e of [down, wrongSecret, redirected]) assert.ok(!e.message.includes(msg.code));
  });

  test('a silent gateway times out', async () => {
    const error = await refusal(adapter('/hang', SECRET, 120).send(msg));
    assert.match(error.message, /no answer within 120 ms/);
  });
});

describe('verifyWebhookSignature', () => {
  const body = '{"id":"msg_1","code":"123456"}';
  const t = 1_736_942_400;

  test('accepts a fresh signature and refuses stale, tampered or foreign ones', () => {
    const header = signWebhookBody(SECRET, t, body);
    assert.equal(verifyWebhookSignature(SECRET, header, body, t + 299), true);
    assert.equal(verifyWebhookSignature(SECRET, header, Buffer.from(body), t - 10), true);
    assert.equal(verifyWebhookSignature(SECRET, header, body, t + 301), false);
    assert.equal(verifyWebhookSignature(SECRET, header, body, t + 30, 10), false);
    assert.equal(verifyWebhookSignature(SECRET, header, body.replace('123456', '000000'), t), false);
    assert.equal(verifyWebhookSignature('another-secret', header, body, t), false);
    assert.equal(verifyWebhookSignature(SECRET, header.replace(`t=${t}`, `t=${t + 1}`), body, t), false);
  });

  test('refuses malformed headers and accepts any of several v1 (secret rotation)', () => {
    assert.equal(verifyWebhookSignature(SECRET, undefined, body, t), false);
    assert.equal(verifyWebhookSignature(SECRET, '', body, t), false);
    assert.equal(verifyWebhookSignature(SECRET, `t=${t}`, body, t), false);
    assert.equal(verifyWebhookSignature(SECRET, `v1=${'0'.repeat(64)}`, body, t), false);
    const current = signWebhookBody(SECRET, t, body).split(',')[1];
    const old = signWebhookBody('old-secret-old-secret', t, body).split(',')[1];
    assert.equal(verifyWebhookSignature(SECRET, `t=${t},${old},${current}`, body, t), true);
    assert.equal(verifyWebhookSignature('old-secret-old-secret', `t=${t},${old},${current}`, body, t), true);
  });
});
