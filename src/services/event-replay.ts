// Replays recorded events in time order, in pages, to rebuild in-memory state at start-up (the
// pumping detector) or to re-evaluate rules over the past (backtest).
import type { TollgateEvent } from '../core/events/event.ts';
import type { Store } from '../ports.ts';

const PAGE = 5000;

export async function seedFromEvents(store: Store, since: number, consume: (batch: TollgateEvent[]) => void, until?: number): Promise<number> {
  let from = since;
  let seen = new Set<string>();
  let total = 0;
  for (;;) {
    const page = await store.listEvents({ since: from, until, limit: PAGE });
    // `since` is inclusive: events sharing the boundary millisecond come again and are skipped.
    const fresh = page.filter((e) => !seen.has(e.id));
    if (fresh.length) consume(fresh);
    total += fresh.length;
    if (page.length < PAGE) return total;
    const last = page[page.length - 1]!.time;
    if (last === from && fresh.length === 0) throw new Error(`more than ${PAGE} events share the millisecond ${last}; cannot page`);
    seen = new Set(page.filter((e) => e.time === last).map((e) => e.id));
    from = last;
  }
}
