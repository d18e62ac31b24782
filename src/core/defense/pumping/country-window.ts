// The last 24 hours of one country and channel in 5-minute buckets: sessions and their outcome
// (by the time the session started), sends, verifications, wrong codes, early abandonments,
// unsolved challenges and expiries (by the time they happened). Some sessions are kept apart
// from the country-level signals: those inside suspended blocks (an attack already contained at
// block level must not also challenge the country) and those of returning users (numbers that
// verified before: trusted, so not what the country-level test is about).

export const BUCKET_MS = 5 * 60_000;
const SLOTS = 300; // 25 h: a 24-hour window always finds its oldest bucket

export interface Bucket {
  start: number;
  sessions: number;
  ok: number;
  bad: number;
  /** Of the above, those kept apart (explained by a block-level suspension, or returning users). */
  xSessions: number;
  xOk: number;
  xBad: number;
  sends: number;
  verified: number;
  wrongCodes: number;
  abandoned: number;
  /** Sessions challenged by the detector that never sent a code (nobody solved the challenge). */
  unsolved: number;
  expired: number;
  cost: number;
}

export type CountryWindow = (Bucket | null)[];

export function newCountryWindow(): CountryWindow {
  return new Array<Bucket | null>(SLOTS).fill(null);
}

function emptyBucket(start: number): Bucket {
  return { start, sessions: 0, ok: 0, bad: 0, xSessions: 0, xOk: 0, xBad: 0, sends: 0, verified: 0, wrongCodes: 0, abandoned: 0, unsolved: 0, expired: 0, cost: 0 };
}

/** The bucket holding time `t`, created when `create`; null once `t` has left the ring. */
export function bucketAt(w: CountryWindow, t: number, create: boolean): Bucket | null {
  const n = Math.floor(t / BUCKET_MS);
  const slot = ((n % SLOTS) + SLOTS) % SLOTS;
  const start = n * BUCKET_MS;
  const b = w[slot];
  if (b && b.start === start) return b;
  if (!create || (b && b.start > start)) return null;
  const fresh = emptyBucket(start);
  w[slot] = fresh;
  return fresh;
}

export interface WindowCounts {
  /** Sessions and outcomes not kept apart (untrusted sends outside suspended blocks). */
  sessions: number;
  ok: number;
  bad: number;
  /** Everything, for operators. */
  allSessions: number;
  sends: number;
  verified: number;
  wrongCodes: number;
  abandoned: number;
  unsolved: number;
  expired: number;
  cost: number;
}

/** Sums the buckets from the one holding `from` to the one holding `to`. */
export function sumWindow(w: CountryWindow, from: number, to: number): WindowCounts {
  const out: WindowCounts = { sessions: 0, ok: 0, bad: 0, allSessions: 0, sends: 0, verified: 0, wrongCodes: 0, abandoned: 0, unsolved: 0, expired: 0, cost: 0 };
  const first = Math.floor(from / BUCKET_MS);
  const last = Math.floor(to / BUCKET_MS);
  for (let n = Math.max(first, last - SLOTS + 1); n <= last; n++) {
    const b = w[((n % SLOTS) + SLOTS) % SLOTS];
    if (!b || b.start !== n * BUCKET_MS) continue;
    out.sessions += b.sessions - b.xSessions;
    out.ok += b.ok - b.xOk;
    out.bad += b.bad - b.xBad;
    out.allSessions += b.sessions;
    out.sends += b.sends;
    out.verified += b.verified;
    out.wrongCodes += b.wrongCodes;
    out.abandoned += b.abandoned;
    out.unsolved += b.unsolved;
    out.expired += b.expired;
    out.cost += b.cost;
  }
  return out;
}

/** Sessions not kept apart that started in [from, to), for learning one closed hour. */
export function sessionsBetween(w: CountryWindow, from: number, to: number): number {
  let total = 0;
  for (let n = Math.floor(from / BUCKET_MS); n * BUCKET_MS < to; n++) {
    const b = w[((n % SLOTS) + SLOTS) % SLOTS];
    if (b && b.start === n * BUCKET_MS) total += b.sessions - b.xSessions;
  }
  return total;
}
