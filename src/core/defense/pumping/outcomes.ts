// Turns events into per-number and per-session outcomes. A send is settled lazily: with no code
// check on its number within abandonAfterMs it is an early abandonment (no need to wait for the
// 10-minute expiry); checked but never verified, it fails after resolveAfterMs; a verification
// settles it at once (and rescues one wrongly counted as abandoned, e.g. a slow typist).
import type { Channel, TollgateEvent } from '../../events/event.ts';
import { numberPrefix } from '../phone-keys.ts';
import { newCompletionBaseline, newVolumeBaseline } from './baseline.ts';
import { bucketAt, newCountryWindow, type Bucket } from './country-window.ts';
import { countryOf, keptApart, suspensionKey, type CountryState, type NumberRec, type PrefixRec, type PumpingState, type SessionRec, type SessionStatus, type TimerQueue } from './state.ts';

const MAX_SESSIONS_PER_NUMBER = 4;

export function countryState(st: PumpingState, country: string, channel: Channel, now: number): CountryState {
  const key = `${country}:${channel}`;
  let cs = st.countries.get(key);
  if (!cs) {
    cs = { key, country, channel, firstAt: now, window: newCountryWindow(), volume: newVolumeBaseline(), completion: newCompletionBaseline(now), recent: [], alertAt: -Infinity, verifiedAt: [] };
    st.countries.set(key, cs);
  }
  return cs;
}

function addToPrefix(map: Map<string, PrefixRec>, scope: PrefixRec['scope'], key: string, n: NumberRec): void {
  let rec = map.get(key);
  if (!rec) map.set(key, (rec = { scope, key, country: n.country, numbers: new Set(), clearedAt: -Infinity }));
  rec.numbers.add(n);
}

/** The number sits in a block that has a suspension (active or remembered). */
export function inSuspendedBlock(st: PumpingState, n: NumberRec): boolean {
  return st.suspensions.has(suspensionKey('prefix4', n.p4)) || st.suspensions.has(suspensionKey('prefix3', n.p3));
}

const sessionIdOf = (e: TollgateEvent, e164: string | null): string => e.sessionId ?? e.correlationId ?? `number:${e164 ?? ''}`;

export function onSent(st: PumpingState, e: TollgateEvent): void {
  const e164 = e.phoneNumber;
  const channel = e.channel;
  // Email codes cost nothing to pump; only telephony sends are tracked.
  if (!e164 || (channel !== 'sms' && channel !== 'voice')) return;
  const t = e.time;
  const country = countryOf(e.phoneRegion, e.countryCallingCode, e164);
  const cs = countryState(st, country, channel, t);
  let n = st.numbers.get(e164);
  if (!n) {
    n = { e164, country, p3: numberPrefix(e164, 3), p4: numberPrefix(e164, 4), firstSendAt: t, lastSendAt: t, sends: 0, lastAttemptAt: -1, lastVerifiedAt: -1, badAt: -1, sessions: [] };
    st.numbers.set(e164, n);
    addToPrefix(st.p4, 'prefix4', n.p4, n);
    addToPrefix(st.p3, 'prefix3', n.p3, n);
  }
  n.lastSendAt = Math.max(n.lastSendAt, t);
  n.sends++;
  const id = sessionIdOf(e, e164);
  let s = st.sessions.get(id);
  const bucket = bucketAt(cs.window, t, true)!;
  if (!s) {
    s = { id, ck: cs.key, startAt: t, lastSendAt: t, lastAttemptAt: -1, status: 'pending', explained: inSuspendedBlock(st, n), returning: n.lastVerifiedAt >= 0 };
    st.sessions.set(id, s);
    bucket.sessions++;
    if (keptApart(s)) bucket.xSessions++;
    addRecent(st, cs, s, t);
  }
  s.lastSendAt = Math.max(s.lastSendAt, t);
  if (!n.sessions.includes(id)) {
    n.sessions.push(id);
    if (n.sessions.length > MAX_SESSIONS_PER_NUMBER) n.sessions.shift();
  }
  bucket.sends++;
  bucket.cost += Number.isFinite(e.cost) ? e.cost : 0;
  st.timers.abandon.items.push({ due: t + st.cfg.abandonAfterMs, kind: 'abandon', e164, session: id, sendAt: t, ck: cs.key });
  st.timers.resolve.items.push({ due: t + st.cfg.resolveAfterMs, kind: 'resolve', e164, session: id, sendAt: t, ck: cs.key });
}

/**
 * A send the detector challenged (`code.send_refused` whose decision holds an enforced pumping
 * challenge). Nothing was sent, but the country saw a session: one whose challenge is never
 * solved within abandonAfterMs failed, as a send nobody checks would have. Legitimate users solve
 * challenges; a pumping bot does not (and one that pays a farm still never types the code). So a
 * campaign that runs into a country challenge keeps supplying the evidence that keeps it there.
 */
export function onChallenged(st: PumpingState, e: TollgateEvent): void {
  const e164 = e.phoneNumber;
  const channel = e.channel;
  if (!e164 || (channel !== 'sms' && channel !== 'voice') || !challengedByPumping(e.details)) return;
  const id = sessionIdOf(e, e164);
  // A session already seen (it sent before, or was challenged before) is judged by what it did.
  if (st.sessions.has(id)) return;
  const t = e.time;
  const cs = countryState(st, countryOf(e.phoneRegion, e.countryCallingCode, e164), channel, t);
  const explained = st.suspensions.has(suspensionKey('prefix4', numberPrefix(e164, 4))) || st.suspensions.has(suspensionKey('prefix3', numberPrefix(e164, 3)));
  const s: SessionRec = { id, ck: cs.key, startAt: t, lastSendAt: t, lastAttemptAt: -1, status: 'pending', explained, returning: false };
  st.sessions.set(id, s);
  const bucket = bucketAt(cs.window, t, true)!;
  bucket.sessions++;
  if (explained) bucket.xSessions++;
  addRecent(st, cs, s, t);
  st.timers.abandon.items.push({ due: t + st.cfg.abandonAfterMs, kind: 'abandon', e164, session: id, sendAt: t, ck: cs.key, challenge: true });
}

/** The refusal's decision holds an enforced challenge from the pumping detector. */
function challengedByPumping(details: Record<string, unknown> | undefined): boolean {
  const reasons = (details?.decision as { reasons?: unknown } | undefined)?.reasons;
  if (!Array.isArray(reasons)) return false;
  return reasons.some((r) => {
    const x = r as { rule?: unknown; action?: unknown; shadow?: unknown } | null;
    return !!x && typeof x.rule === 'string' && x.rule.startsWith('pumping') && x.action === 'challenge' && x.shadow !== true;
  });
}

function addRecent(st: PumpingState, cs: CountryState, s: SessionRec, t: number): void {
  cs.recent.push(s);
  while (cs.recent.length > 0 && cs.recent[0]!.startAt < t - st.cfg.abandonAfterMs) cs.recent.shift();
}

/** A code check (right or wrong) on the session's current number. */
export function onCheck(st: PumpingState, e: TollgateEvent, verified: boolean): void {
  const t = e.time;
  const n = e.phoneNumber ? st.numbers.get(e.phoneNumber) : undefined;
  const s = st.sessions.get(sessionIdOf(e, e.phoneNumber));
  if (n) {
    n.lastAttemptAt = Math.max(n.lastAttemptAt, t);
    if (verified) {
      n.lastVerifiedAt = Math.max(n.lastVerifiedAt, t);
      n.badAt = -1;
    }
  }
  if (!s) return;
  s.lastAttemptAt = Math.max(s.lastAttemptAt, t);
  const cs = st.countries.get(s.ck);
  const bucket = cs ? bucketAt(cs.window, t, true) : null;
  if (verified && s.status !== 'ok') {
    if (bucket) bucket.verified++;
    setSessionStatus(st, s, 'ok', t);
  }
  if (!verified && e.reason === 'invalid_code' && bucket) bucket.wrongCodes++;
}

/** session.expired / failed / cancelled: whatever is still open failed. */
export function onSessionEnd(st: PumpingState, e: TollgateEvent): void {
  const s = st.sessions.get(sessionIdOf(e, e.phoneNumber));
  if (!s) return;
  if (e.type === 'session.expired') {
    const cs = st.countries.get(s.ck);
    const bucket = cs ? bucketAt(cs.window, e.time, true) : null;
    if (bucket) bucket.expired++;
  }
  if (s.status === 'pending') setSessionStatus(st, s, 'bad', e.time);
  const n = e.phoneNumber ? st.numbers.get(e.phoneNumber) : undefined;
  if (n && n.lastVerifiedAt < n.lastSendAt && n.badAt < n.lastSendAt) n.badAt = e.time;
}

/** Settles the sends whose timers are due by `now`, noting the countries and numbers that changed. */
export function runTimers(st: PumpingState, now: number, touched: Set<string>, numbers: Set<string>): void {
  runQueue(st, st.timers.abandon, now, touched, numbers);
  runQueue(st, st.timers.resolve, now, touched, numbers);
}

function runQueue(st: PumpingState, q: TimerQueue, now: number, touched: Set<string>, numbers: Set<string>): void {
  const items = q.items;
  while (q.head < items.length && items[q.head]!.due <= now) {
    const tm = items[q.head++]!;
    const n = st.numbers.get(tm.e164);
    const s = st.sessions.get(tm.session);
    if (tm.challenge) {
      // A challenged attempt: unsolved unless its session sent a code since.
      if (s && s.status === 'pending' && s.lastSendAt === tm.sendAt) {
        const cs = st.countries.get(tm.ck);
        const bucket = cs ? bucketAt(cs.window, tm.sendAt, false) : null;
        if (bucket) bucket.unsolved++;
        setSessionStatus(st, s, 'bad', tm.due);
        touched.add(s.ck);
      }
      continue;
    }
    const unchecked = !n || n.lastAttemptAt < tm.sendAt;
    if (tm.kind === 'abandon' && unchecked) {
      const cs = st.countries.get(tm.ck);
      const bucket = cs ? bucketAt(cs.window, tm.sendAt, false) : null;
      if (bucket) bucket.abandoned++;
    }
    const failed = tm.kind === 'abandon' ? unchecked : true;
    if (n && failed && n.lastSendAt === tm.sendAt && n.lastVerifiedAt < tm.sendAt && n.badAt < tm.sendAt) {
      n.badAt = tm.due;
      numbers.add(n.e164);
    }
    if (s && s.status === 'pending' && s.lastSendAt === tm.sendAt && (tm.kind === 'resolve' || s.lastAttemptAt < tm.sendAt)) {
      setSessionStatus(st, s, 'bad', tm.due);
      touched.add(s.ck);
    }
  }
  // Compact now and then so the queue does not grow without bound.
  if (q.head > 4096 && q.head * 2 > items.length) {
    q.items = items.slice(q.head);
    q.head = 0;
  }
}

export function setSessionStatus(st: PumpingState, s: SessionRec, status: SessionStatus, t: number): void {
  const old = s.status;
  if (old === status) return;
  const cs = st.countries.get(s.ck);
  const b = cs ? bucketAt(cs.window, s.startAt, false) : null;
  if (b) {
    countOutcome(b, old, keptApart(s), -1);
    countOutcome(b, status, keptApart(s), 1);
  }
  s.status = status;
  if (status === 'ok' && cs && !s.explained) {
    cs.verifiedAt.push(t);
    if (cs.verifiedAt.length > st.cfg.country.recoveryVerified) cs.verifiedAt.shift();
  }
}

function countOutcome(b: Bucket, status: SessionStatus, apart: boolean, delta: number): void {
  if (status === 'ok') {
    b.ok += delta;
    if (apart) b.xOk += delta;
  } else if (status === 'bad') {
    b.bad += delta;
    if (apart) b.xBad += delta;
  }
}

/** Moves the sessions of a newly suspended block out of country-level signals (and so out of the baselines). */
export function markExplained(st: PumpingState, rec: PrefixRec): void {
  for (const n of rec.numbers) {
    for (const id of n.sessions) {
      const s = st.sessions.get(id);
      if (!s || s.explained) continue;
      s.explained = true;
      const cs = st.countries.get(s.ck);
      // A returning user's session was kept apart already.
      if (!cs || s.returning) continue;
      const b = bucketAt(cs.window, s.startAt, false);
      if (b) {
        b.xSessions++;
        if (s.status === 'ok') b.xOk++;
        if (s.status === 'bad') b.xBad++;
      }
    }
  }
}
