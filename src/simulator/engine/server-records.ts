// What the server recorded during a run, read back from its store after the run: refusal events
// (with the defense's decision details) and the reputation entries detectors created (automatic
// suspensions). The simulator never reads these while the run is going.
import type { ReputationEntry, Store } from '../../ports.ts';
import type { RefusalEvent } from '../metrics/refusals.ts';

const PAGE = 10_000;

/** Every `code.send_refused` event since `since`, oldest first. */
export async function readRefusalEvents(store: Store, since: number): Promise<RefusalEvent[]> {
  const out: RefusalEvent[] = [];
  const seen = new Set<string>();
  let from = since;
  for (;;) {
    const page = await store.listEvents({ type: 'code.send_refused', since: from, limit: PAGE });
    let fresh = 0;
    for (const e of page) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      fresh++;
      out.push({ sessionId: e.sessionId, time: e.time, reason: e.reason, details: e.details });
    }
    if (page.length < PAGE || fresh === 0) return out;
    // Pages overlap by the last instant so no event sharing it is skipped.
    from = page[page.length - 1]!.time;
  }
}

/** Reputation entries created by detectors (`createdBy: detector:…`): automatic suspensions. */
export async function readSuspensions(store: Store): Promise<ReputationEntry[]> {
  const entries = await store.listReputation();
  return entries.filter((e) => e.createdBy.startsWith('detector')).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}
