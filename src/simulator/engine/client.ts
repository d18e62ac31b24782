// How simulated actors reach Tollgate: in-process request injection through the real Fastify
// router (fast, the default) or HTTP over loopback (a real socket). Either way every call carries
// the app key and relays the end user's IP and user agent in `client`, as an app would.
import type { FastifyInstance } from 'fastify';

export interface ApiResponse {
  status: number;
  body: any;
}

export interface Transport {
  readonly name: 'inject' | 'http';
  request(method: 'GET' | 'POST', path: string, body: unknown, headers: Record<string, string>): Promise<ApiResponse>;
}

export class InjectTransport implements Transport {
  readonly name = 'inject';
  constructor(private readonly http: FastifyInstance) {}

  async request(method: 'GET' | 'POST', path: string, body: unknown, headers: Record<string, string>): Promise<ApiResponse> {
    const res = await this.http.inject({ method, url: path, headers: { ...headers, 'content-type': 'application/json' }, payload: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.statusCode, body: parse(res.body) };
  }
}

export class HttpTransport implements Transport {
  readonly name = 'http';
  constructor(private readonly baseUrl: string) {}

  async request(method: 'GET' | 'POST', path: string, body: unknown, headers: Record<string, string>): Promise<ApiResponse> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: parse(await res.text()) };
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface Client {
  ip: string | null;
  userAgent: string | null;
}

export const PROFILE = 'PhoneFactor-InputOrVerify';

/** The three calls a journey makes, counted. */
export class TollgateApi {
  requests = 0;
  private readonly headers: Record<string, string>;

  constructor(private readonly transport: Transport, appKey: string) {
    this.headers = { authorization: `Bearer ${appKey}` };
  }

  createSession(userId: string, phoneNumbers: string[], client: Client): Promise<ApiResponse> {
    return this.call('/v1/phone-factor/sessions', { profile: PROFILE, userId, ...(phoneNumbers.length ? { phoneNumbers } : {}), client });
  }

  send(sessionId: string, body: { phoneNumber?: string; phoneIndex?: number; channel: 'sms' | 'voice'; captcha?: string }, client: Client): Promise<ApiResponse> {
    return this.call(`/v1/phone-factor/sessions/${sessionId}/send`, { ...body, client });
  }

  verify(sessionId: string, code: string, client: Client): Promise<ApiResponse> {
    return this.call(`/v1/phone-factor/sessions/${sessionId}/verify`, { code, client });
  }

  private call(path: string, body: unknown): Promise<ApiResponse> {
    this.requests++;
    return this.transport.request('POST', path, body, this.headers);
  }
}
