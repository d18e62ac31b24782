// Recorded traffic for backtest tests, made by driving a real Tollgate (manual clock, SQLite,
// outbox telephony): legitimate journeys that verify, and pumping sends that never do.
import assert from 'node:assert/strict';
import { DEV_KEY, startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

/** Monday 3 March 2025, 09:00 UTC: recorded worlds start here, so reports are the same every run. */
export const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** Ordinary mobile numbers, one per 10k block and mostly one per country (all in demo.yaml's countryList). */
export const LEGIT_NUMBERS = ['+12125550147', '+33612345678', '+4915123456789', '+393123456789', '+34612345678', '+31612345678', '+353861234567', '+61412345678'];

/** The 10k block +44 7400 12xx xx: the burst walks through it. */
export const BURST_BLOCK = '+44740012';
export const burstNumber = (i: number) => `${BURST_BLOCK}${String(1000 + i * 37).padStart(4, '0')}`;

export async function recordedWorld(env: Record<string, string> = {}): Promise<TestTollgate> {
  const t = await startTestTollgate({ TOLLGATE_CAPTCHA: 'simulated', ...env });
  t.tg.manualClock!.set(T0);
  return t;
}

export async function openSession(t: TestTollgate, userId: string): Promise<string> {
  const r = await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

export function send(t: TestTollgate, id: string, phoneNumber: string, ip: string, extra: Record<string, unknown> = {}) {
  return t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'sms', phoneNumber, client: { ip, userAgent: 'Mozilla/5.0 (Linux; Android 14)' }, ...extra }, { key: DEV_KEY });
}

/** A user who gets the code and types it in. Returns the session id. */
export async function legitJourney(t: TestTollgate, phoneNumber: string, ip: string, userId = `user-${phoneNumber}`): Promise<string> {
  const id = await openSession(t, userId);
  const sent = await send(t, id, phoneNumber, ip);
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  t.advance(40_000);
  const code = (await t.lastMessage(phoneNumber))!.code!;
  const ok = await t.call('POST', `/v1/phone-factor/sessions/${id}/verify`, { code }, { key: null });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  return id;
}

/** A pumping bot: a fresh session, one send, no code typed in. Returns the HTTP status. */
export async function pumpingSend(t: TestTollgate, phoneNumber: string, ip: string): Promise<number> {
  const id = await openSession(t, `bot-${phoneNumber}`);
  return (await send(t, id, phoneNumber, ip)).status;
}

/**
 * Legitimate users through the morning, a 30-send burst into one block at 10:00 (one every 20 s,
 * rotating IPs), more legitimate users after it. Takes the clock from T0 to T0 + 3 h.
 */
export async function morningWithBurst(t: TestTollgate, burst = 30): Promise<{ legitSessions: string[]; burstStatuses: number[] }> {
  const legitSessions: string[] = [];
  const burstStatuses: number[] = [];
  for (const [i, n] of LEGIT_NUMBERS.slice(0, 4).entries()) {
    legitSessions.push(await legitJourney(t, n, `192.0.2.${10 + i}`));
    t.advance(12 * MIN);
  }
  t.tg.manualClock!.set(T0 + HOUR);
  for (let i = 0; i < burst; i++) {
    burstStatuses.push(await pumpingSend(t, burstNumber(i), `198.51.100.${1 + i}`));
    t.advance(20_000);
  }
  t.tg.manualClock!.set(T0 + 2 * HOUR);
  for (const [i, n] of LEGIT_NUMBERS.slice(4).entries()) {
    legitSessions.push(await legitJourney(t, n, `192.0.2.${20 + i}`));
    t.advance(12 * MIN);
  }
  t.tg.manualClock!.set(T0 + 3 * HOUR);
  return { legitSessions, burstStatuses };
}
