// The dashboard tests' world: a real Tollgate (SQLite, manual clock, outbox) with two policies, an
// admin and a viewer signed in through the real form, and failures produced by driving the real
// phone-factor API (blocked countries, block-listed numbers, wrong codes, SMS and voice).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { signInThroughForm } from '../admin/helpers.ts';
import { DEV_KEY, startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

const root = new URL('../..', import.meta.url).pathname;
export const POLICIES = `${join(root, 'policies/demo.yaml')},${join(root, 'test/fixtures/policies/factors-policy.yaml')}`;
export const ADMIN = { username: 'alice', password: 'correct horse battery staple' };
export const VIEWER = { username: 'victor', password: 'another long passphrase 42' };

export const UA = {
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  safariIphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
};

/** Addresses whose country the bundled DB-IP data knows (and not hosting networks, which get a CAPTCHA). */
export const IP = { ng: '41.58.0.1', ru: '5.255.255.5', gb: '81.2.69.142', nl: '193.0.6.139' };

/** What generateFailures() produces, for assertions. */
export const NUMBERS = {
  /** Nigeria: not in the demo policy's country list → country_not_allowed (twice). */
  nigeria: '+2348031234567',
  /** On the block list → bad_reputation. */
  blocked: '+447400123400',
  /** A wrong code by SMS → invalid_code (code.rejected). */
  wrongSms: '+447400123456',
  /** A wrong code by voice call. */
  wrongVoice: '+33612345678',
  /** Verified on the first try (conversion), in the second policy a wrong code first. */
  verified: '+14155550123',
};

export interface DashboardWorld {
  t: TestTollgate;
  adminCookie: string;
  viewerCookie: string;
  adminToken: string;
  viewerToken: string;
  /** A GET with the session cookie (no API key). */
  get(url: string, cookie: string | null, headers?: Record<string, string>): Promise<{ status: number; body: string; headers: Record<string, unknown>; json(): any }>;
  close(): Promise<void>;
}

export async function startDashboard(env: Record<string, string> = {}): Promise<DashboardWorld> {
  const t = await startTestTollgate({ TOLLGATE_POLICIES: POLICIES, ...env });
  await t.tg.adminAuth.createUser({ ...ADMIN, role: 'admin' }, 'cli');
  await t.tg.adminAuth.createUser({ ...VIEWER, role: 'viewer' }, 'cli');
  const adminToken = (await t.tg.adminAuth.createApiToken(ADMIN.username, { name: 'ci', role: 'admin', ttlDays: 1 }, 'cli')).token;
  const viewerToken = (await t.tg.adminAuth.createApiToken(VIEWER.username, { name: 'ro', role: 'viewer', ttlDays: 1 }, 'cli')).token;
  const adminSignIn = await signInThroughForm(t.tg.http, ADMIN.username, ADMIN.password);
  const viewerSignIn = await signInThroughForm(t.tg.http, VIEWER.username, VIEWER.password);
  assert.equal(adminSignIn.res.statusCode, 303);
  assert.equal(viewerSignIn.res.statusCode, 303);
  return {
    t,
    adminCookie: adminSignIn.cookie,
    viewerCookie: viewerSignIn.cookie,
    adminToken,
    viewerToken,
    async get(url, cookie, headers = {}) {
      const res = await t.tg.http.inject({ method: 'GET', url, headers: { ...(cookie ? { cookie } : {}), ...headers } });
      return { status: res.statusCode, body: res.body, headers: res.headers, json: () => JSON.parse(res.body) };
    },
    close: () => t.close(),
  };
}

interface SendOptions {
  profile?: string;
  channel?: 'sms' | 'voice';
  ip: string;
  userAgent: string;
}

async function session(t: TestTollgate, profile: string): Promise<string> {
  const r = await t.call('POST', '/v1/phone-factor/sessions', { profile, userId: `u-${Math.random().toString(36).slice(2)}` });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

/** Starts a session and sends a code; returns the session id and the API's answer. */
export async function send(t: TestTollgate, phoneNumber: string, o: SendOptions) {
  const id = await session(t, o.profile ?? 'PhoneFactor-InputOrVerify');
  const r = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { phoneNumber, channel: o.channel ?? 'sms', client: { ip: o.ip, userAgent: o.userAgent } }, { key: DEV_KEY });
  return { id, status: r.status, body: r.body };
}

export async function verify(t: TestTollgate, id: string, code: string, o: SendOptions) {
  return t.call('POST', `/v1/phone-factor/sessions/${id}/verify`, { code, client: { ip: o.ip, userAgent: o.userAgent } }, { key: DEV_KEY });
}

export async function codeFor(t: TestTollgate, to: string): Promise<string> {
  const m = await t.lastMessage(to);
  assert.ok(m?.code, `a code went to ${to}`);
  return m.code;
}

const wrong = (code: string) => (code === '000000' ? '111111' : '000000');

/**
 * Failures through the real API, then one minute forward (ranges end at "now", exclusive):
 * 2× country_not_allowed (NG, Chrome/Windows, IP in NG), 1× bad_reputation (IP in RU, Firefox/Linux),
 * 1× invalid_code by SMS (GB, Safari/iOS), 1× invalid_code by voice (NL), and in the second policy
 * one wrong code then a verified session.
 */
export async function generateFailures(t: TestTollgate): Promise<void> {
  const ng = { ip: IP.ng, userAgent: UA.chromeWindows };
  for (let i = 0; i < 2; i++) {
    const r = await send(t, NUMBERS.nigeria, ng);
    assert.equal(r.body.error?.code, 'country_not_allowed', JSON.stringify(r.body));
  }
  await t.tg.reputation.add({ kind: 'number', value: NUMBERS.blocked, list: 'block', note: 'test', createdBy: 'test' });
  const blocked = await send(t, NUMBERS.blocked, { ip: IP.ru, userAgent: UA.firefoxLinux });
  assert.equal(blocked.body.error?.code, 'bad_reputation', JSON.stringify(blocked.body));

  const gb = { ip: IP.gb, userAgent: UA.safariIphone };
  const sms = await send(t, NUMBERS.wrongSms, gb);
  assert.equal(sms.status, 200, JSON.stringify(sms.body));
  assert.equal((await verify(t, sms.id, wrong(await codeFor(t, NUMBERS.wrongSms)), gb)).status, 422);

  const nl = { ip: IP.nl, userAgent: UA.firefoxLinux, channel: 'voice' as const };
  const voice = await send(t, NUMBERS.wrongVoice, nl);
  assert.equal(voice.status, 200, JSON.stringify(voice.body));
  assert.equal((await verify(t, voice.id, wrong(await codeFor(t, NUMBERS.wrongVoice)), nl)).status, 422);

  const other = { ip: IP.gb, userAgent: UA.chromeWindows, profile: 'PhoneFactor-Fallback' };
  const second = await send(t, NUMBERS.verified, other);
  assert.equal(second.status, 200, JSON.stringify(second.body));
  const code = await codeFor(t, NUMBERS.verified);
  assert.equal((await verify(t, second.id, wrong(code), other)).status, 422);
  assert.equal((await verify(t, second.id, code, other)).status, 200);
  t.advance(60_000);
}

/** The block of 1,000 numbers pumpBlock() sends to (its `prefix3`). */
export const PUMPED_BLOCK = '+447400987';

/**
 * A pumping run through the API: unverified sends to consecutive numbers of one block, from
 * rotating IPs, 20 s apart, then 10 minutes on. The pumping detector suspends the block (the
 * later sends are refused: captcha_required, pumping_suspected).
 */
export async function pumpBlock(t: TestTollgate, sends = 8): Promise<void> {
  for (let i = 0; i < sends; i++) {
    await send(t, `${PUMPED_BLOCK}${String(100 + i)}`, { ip: `81.2.69.${10 + i}`, userAgent: UA.chromeWindows });
    t.advance(20_000);
  }
  t.advance(10 * 60_000);
}
