// Synthetic event log for the workbook benchmark: sessions over 30 days with a diurnal curve,
// ~20k phone numbers in 20 countries with a heavy tail (Zipf), ~30k IPs, 5 policies on 2 apps, a
// browser/OS mix, the B2C screenshot's failure mix, costs per country and channel, and pumping
// bursts on a few number blocks (sends that never verify, shadow-mode defense reasons).
// Deterministic (seeded), so runs compare.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { eventColumns } from '../src/adapters/store/sqlite-rows.ts';

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// [region, calling code, national digits, weight, sms cost, voice cost]
const countries: [string, string, number, number, number, number][] = [
  ['US', '1', 10, 30, 0.0079, 0.014], ['GB', '44', 10, 8, 0.04, 0.02], ['DE', '49', 11, 6, 0.08, 0.03], ['FR', '33', 9, 6, 0.07, 0.03],
  ['IN', '91', 10, 8, 0.03, 0.02], ['BR', '55', 11, 5, 0.03, 0.03], ['MX', '52', 10, 4, 0.04, 0.03], ['CA', '1', 10, 4, 0.0079, 0.014],
  ['ES', '34', 9, 3, 0.08, 0.03], ['IT', '39', 10, 3, 0.08, 0.03], ['NL', '31', 9, 2, 0.09, 0.04], ['PL', '48', 9, 2, 0.04, 0.03],
  ['NG', '234', 10, 3, 0.3, 0.2], ['PH', '63', 10, 3, 0.2, 0.15], ['ID', '62', 10, 3, 0.35, 0.2], ['VN', '84', 9, 2, 0.25, 0.15],
  ['EG', '20', 10, 2, 0.3, 0.2], ['PK', '92', 10, 2, 0.3, 0.2], ['LV', '371', 8, 1, 0.5, 0.6], ['SO', '252', 8, 1, 0.9, 1.2],
];
const policies = [['app-web', 'B2C_1A_signup_signin'], ['app-web', 'B2C_1A_profile_edit'], ['app-web', 'B2C_1A_password_reset'], ['app-mobile', 'B2C_1A_mobile_signin'], ['app-mobile', 'B2C_1A_mobile_mfa']] as const;
const clients: [string | null, string | null, number, string][] = [
  ['Chrome', 'Android', 35, 'Mozilla/5.0 (Linux; Android 14) Chrome/131'], ['Mobile Safari', 'iOS', 25, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5) Safari/604.1'],
  ['Chrome', 'Windows', 15, 'Mozilla/5.0 (Windows NT 10.0) Chrome/131'], ['Edge', 'Windows', 6, 'Mozilla/5.0 (Windows NT 10.0) Edg/131'],
  ['Safari', 'Mac OS', 5, 'Mozilla/5.0 (Macintosh) Safari/605'], ['Chrome', 'Mac OS', 4, 'Mozilla/5.0 (Macintosh) Chrome/131'],
  ['Samsung Internet', 'Android', 4, 'Mozilla/5.0 (Linux; Android 13) SamsungBrowser/25'], ['Firefox', 'Windows', 3, 'Mozilla/5.0 (Windows NT 10.0) Firefox/133'],
  ['Firefox', 'Linux', 1, 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133'], [null, null, 2, 'python-requests/2.32'],
];
const hostingCountries = ['US', 'NL', 'DE', 'RU', 'SG'];

function pickWeighted<T>(items: readonly T[], weight: (t: T) => number, r: () => number): () => T {
  const cum: number[] = [];
  let total = 0;
  for (const it of items) cum.push((total += weight(it)));
  return () => {
    const x = r() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

interface Phone {
  e164: string;
  country: (typeof countries)[number];
  policy: number;
  voice: boolean;
  ips: string[];
  pumped: boolean;
}

export interface GenerateOptions {
  events: number;
  /** Exclusive end of the 30 days, epoch ms. */
  end: number;
  days?: number;
  seed?: number;
  /** Average events per session of this generator (measure with a small run); sizes the session count. */
  eventsPerSession?: number;
  onProgress?: (written: number) => void;
}

export function generateEvents(db: Database.Database, o: GenerateOptions): number {
  const r = rng(o.seed ?? 7);
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
  const ipv4 = () => `${11 + Math.floor(r() * 200)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${1 + Math.floor(r() * 254)}`;
  const pickCountry = pickWeighted(countries, (c) => c[3], r);
  const pickClient = pickWeighted(clients, (c) => c[2], r);
  const residential = Array.from({ length: 28_000 }, ipv4);
  const hosting = Array.from({ length: 2_000 }, ipv4);
  const ipCountry = new Map<string, string>();
  hosting.forEach((ip, i) => ipCountry.set(ip, hostingCountries[i % hostingCountries.length]!));

  const phones: Phone[] = [];
  const seen = new Set<string>();
  // Pumping: 5 number blocks (E.164 minus 4 digits) in expensive destinations, 150 numbers each.
  for (const code of ['LV', 'SO', 'NG', 'PK', 'VN']) {
    const c = countries.find((x) => x[0] === code)!;
    const block = `+${c[1]}${digits(c[2] - 4)}`;
    for (let i = 0; i < 150; i++) phones.push({ e164: `${block}${String(i * 37 % 10000).padStart(4, '0')}`, country: c, policy: 0, voice: r() < 0.5, ips: [], pumped: true });
  }
  while (phones.length < 20_000) {
    const c = pickCountry();
    const national = c[0] === 'US' ? `${2 + Math.floor(r() * 8)}${digits(2)}${2 + Math.floor(r() * 8)}${digits(6)}` : c[0] === 'CA' ? `416${2 + Math.floor(r() * 8)}${digits(6)}` : `${1 + Math.floor(r() * 9)}${digits(c[2] - 1)}`;
    const e164 = `+${c[1]}${national}`;
    if (seen.has(e164)) continue;
    seen.add(e164);
    const home = Array.from({ length: 1 + Math.floor(r() * 2) }, () => residential[Math.floor(r() * residential.length)]!);
    for (const ip of home) if (!ipCountry.has(ip)) ipCountry.set(ip, r() < 0.9 ? c[0] : pickCountry()[0]);
    phones.push({ e164, country: c, policy: Math.floor(r() * policies.length), voice: r() < 0.15, ips: home, pumped: false });
  }
  const legit = phones.filter((p) => !p.pumped);
  const pumped = phones.filter((p) => p.pumped);
  const pickLegit = pickWeighted(legit.map((p, i) => [p, 1 / Math.pow(i + 1, 0.8)] as const), (x) => x[1], r);
  const days = o.days ?? 30;
  const start = o.end - days * 86_400_000;
  // Pumping bursts: 8 windows of 2–8 hours.
  const bursts = Array.from({ length: 8 }, () => {
    const from = start + r() * (days - 1) * 86_400_000;
    return [from, from + (2 + r() * 6) * 3_600_000] as const;
  });

  const insert = db.prepare(`INSERT INTO events (${eventColumns.join(', ')}) VALUES (${eventColumns.map(() => '?').join(', ')})`);
  let written = 0;
  const sessionsTarget = Math.ceil(o.events / (o.eventsPerSession ?? 4.4));
  const emit = (t: number, p: Phone, s: { id: string; app: string; policy: string; ip: string; client: (typeof clients)[number]; channel: string; corr: string }, type: string, outcome: string, reason: string, description: string, cost: number, details: Record<string, unknown>) => {
    const ipc = ipCountry.get(s.ip);
    insert.run(randomUUID(), Math.round(t), type, outcome, reason, description, s.app, s.policy, 'PhoneFactor-InputOrVerify', s.id, null,
      p.e164, p.country[1], p.country[0], s.channel, s.ip, s.client[3], s.client[0], s.client[0] ? '131' : null, s.client[1], null,
      s.client[0] ? 'mobile' : null, cost, 'USD', s.corr, JSON.stringify(ipc && r() < 0.95 ? { ...details, ipCountry: ipc } : details));
    written++;
  };
  const tx = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      // Session start: evenly spread, jittered, with a day/night swing (busier in the afternoon UTC).
      let t = start + ((i + r()) / sessionsTarget) * days * 86_400_000;
      t += Math.sin((t / 86_400_000) * 2 * Math.PI) * 3_600_000;
      if (t < start || t >= o.end - 700_000) continue;
      const inBurst = bursts.some(([a, b]) => t >= a && t < b);
      const p = inBurst && r() < 0.6 ? pumped[Math.floor(r() * pumped.length)]! : r() < 0.03 ? pumped[Math.floor(r() * pumped.length)]! : pickLegit()[0];
      const [app, policy] = policies[r() < 0.9 ? p.policy : Math.floor(r() * policies.length)]!;
      const channel = p.voice ? 'voice' : 'sms';
      const ip = p.pumped ? hosting[Math.floor(r() * hosting.length)]! : r() < 0.9 ? p.ips[Math.floor(r() * p.ips.length)]! : residential[Math.floor(r() * residential.length)]!;
      const client = p.pumped ? (r() < 0.5 ? clients[9]! : clients[8]!) : pickClient();
      const s = { id: randomUUID(), app, policy, ip, client, channel, corr: randomUUID() };
      const cost = channel === 'voice' ? p.country[5] : p.country[4];
      emit(t, p, s, 'session.created', 'success', 'ok', 'N/A', 0, { kind: 'phone-factor' });
      const shadow = p.pumped ? [{ code: 'pumping_suspected', rule: 'pumping.prefix', action: 'block', shadow: true }] : r() < 0.04 ? [{ code: 'velocity_exceeded', rule: 'velocity.ip24', action: 'challenge', shadow: true }] : [];
      const x = r();
      const refuse = (reason: string, text: string, outcome = 'failure') =>
        emit(t + 1500, p, s, 'code.send_refused', outcome, reason, text, 0, { decision: { action: reason === 'bad_reputation' ? 'block' : 'allow', reasons: [...(reason === 'bad_reputation' ? [{ code: 'bad_reputation', rule: 'reputation.phone', action: 'block', shadow: false }] : []), ...shadow] } });
      // The B2C overview mix: invalid 2287, throttled 866, provider 776, pending 732, reputation 595, user-throttled 109.
      if (x < 0.04) { refuse('invalid_phone_number', 'The phone number entered is invalid.', 'client_error'); continue; }
      if (x < 0.055) { refuse('resend_cooldown', 'There are too many requests at this moment. Please wait for some time and try again.'); continue; }
      if (x < 0.068) { refuse('provider_error', 'Our provider could not send a call or message to the specified phone number.'); continue; }
      if (x < 0.078 || (p.pumped && x < 0.2)) { refuse('bad_reputation', 'Phone number has bad reputation, blocking.'); continue; }
      if (x < 0.080) { refuse('too_many_sends', 'Too many attempts by user in a short period of time. Throttling.'); continue; }
      const sends = r() < (p.pumped ? 0.3 : 0.05) ? 2 : 1;
      for (let k = 1; k <= sends; k++) {
        emit(t + k * 2000, p, s, 'code.sent', 'success', 'ok', 'N/A', cost, { provider: 'twilio', sendCount: k, ...(shadow.length ? { decision: { action: 'allow', reasons: shadow } } : {}) });
        if (r() < 0.3) emit(t + k * 2000 + 4000, p, s, 'delivery.status', r() < 0.03 ? 'failure' : 'success', 'ok', 'N/A', 0, { providerStatus: 'delivered' });
      }
      if (p.pumped || x > 0.97) { emit(t + 600_000, p, s, 'session.expired', 'failure', 'session_expired', 'The phone verification session has expired.', 0, {}); continue; }
      const wrong = x > 0.955 ? 3 : x > 0.87 ? 1 : 0;
      for (let k = 0; k < wrong; k++) emit(t + 20_000 + k * 5000, p, s, 'code.rejected', 'failure', k === 2 ? 'too_many_attempts' : 'invalid_code', 'Phone verification code is incorrect', 0, { attemptsLeft: 2 - k });
      if (wrong === 3) { emit(t + 36_000, p, s, 'session.failed', 'failure', 'too_many_attempts', 'User has exceeded the number of retry attempts.', 0, {}); continue; }
      emit(t + 40_000, p, s, 'code.verified', 'success', 'ok', 'N/A', 0, {});
      emit(t + 40_001, p, s, 'session.verified', 'success', 'ok', 'N/A', 0, {});
    }
  });
  for (let i = 0; i < sessionsTarget; i += 20_000) {
    tx(i, Math.min(i + 20_000, sessionsTarget));
    o.onProgress?.(written);
  }
  return written;
}
