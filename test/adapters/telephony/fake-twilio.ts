// A local stand-in for api.twilio.com speaking the 2010-04-01 wire format: Basic auth, form bodies,
// 201 JSON resources, Twilio-shaped JSON errors. Destinations follow Twilio's documented magic
// test numbers (+15005550001 invalid, +15005550003 no geo permission, +15005550004 blocked/STOP,
// +15005550009 not SMS-capable), plus a few of our own to provoke outages and hangs.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export const ACCOUNT_SID = 'AC' + 'a1b2c3d4'.repeat(4);
export const AUTH_TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  form: URLSearchParams;
}

export interface FakeTwilio {
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const magicErrors: Record<string, { code: number; message: string; status: number }> = {
  '+15005550001': { code: 21211, message: "The 'To' number +15005550001 is not a valid phone number.", status: 400 },
  '+15005550003': { code: 21408, message: 'Permission to send an SMS has not been enabled for the region indicated by the \'To\' number: +15005550003.', status: 400 },
  '+15005550004': { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 },
  '+15005550009': { code: 21614, message: "'To' number is not a valid mobile number", status: 400 },
  '+15005550429': { code: 20429, message: 'Too Many Requests', status: 429 },
};

function errorBody(e: { code: number; message: string; status: number }) {
  return { code: e.code, message: e.message, more_info: `https://www.twilio.com/docs/errors/${e.code}`, status: e.status };
}

function sid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const form = new URLSearchParams(raw);
    const path = req.url ?? '';
    requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, contentType: req.headers['content-type'], form });

    const expectedAuth = 'Basic ' + Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64');
    if (req.headers.authorization !== expectedAuth) {
      return send(res, 401, errorBody({ code: 20003, message: 'Authenticate', status: 401 }));
    }
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(path);
    if (req.method !== 'POST' || !match || match[1] !== ACCOUNT_SID) {
      return send(res, 404, errorBody({ code: 20404, message: `The requested resource ${path} was not found`, status: 404 }));
    }
    const to = form.get('To') ?? '';
    if (to === '+15005550500') {
      res.writeHead(502, { 'content-type': 'text/html' });
      return res.end('<html><body>Bad Gateway</body></html>');
    }
    if (to === '+15005550777') return; // never answers: the client's timeout must fire
    if (to === '+15005550666') {
      // A hostile or careless error text quoting the request: the adapter must not pass it on.
      return send(res, 400, errorBody({ code: 21617, message: `Body too long: ${form.get('Body')} (${AUTH_TOKEN})`, status: 400 }));
    }
    const magic = magicErrors[to];
    if (magic) return send(res, magic.status, errorBody(magic));

    const now = new Date().toUTCString();
    if (match[2] === 'Messages') {
      if (!to || !form.get('Body') || (!form.get('From') && !form.get('MessagingServiceSid'))) {
        return send(res, 400, errorBody({ code: 21604, message: "A 'To' phone number is required.", status: 400 }));
      }
      const messageSid = sid('SM');
      return send(res, 201, {
        account_sid: ACCOUNT_SID,
        api_version: '2010-04-01',
        body: form.get('Body'),
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: form.get('From'),
        messaging_service_sid: form.get('MessagingServiceSid'),
        num_media: '0',
        num_segments: '1',
        price: null,
        price_unit: 'USD',
        sid: messageSid,
        status: form.get('MessagingServiceSid') ? 'accepted' : 'queued',
        to,
        uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${messageSid}.json`,
      });
    }
    if (!to || !form.get('From') || (!form.get('Twiml') && !form.get('Url'))) {
      return send(res, 400, errorBody({ code: 21205, message: 'Url parameter is required.', status: 400 }));
    }
    const callSid = sid('CA');
    return send(res, 201, {
      account_sid: ACCOUNT_SID,
      api_version: '2010-04-01',
      date_created: now,
      direction: 'outbound-api',
      duration: null,
      from: form.get('From'),
      sid: callSid,
      status: 'queued',
      to,
      uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${callSid}.json`,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
