// Recorded events in time order, a page at a time, for the backtest's asynchronous replay (the
// engine's decide() is async, so the synchronous seedFromEvents callback cannot drive it). Pages
// the same way: `since` is inclusive, and events sharing a page's last millisecond are not
// delivered twice.
import type { TollgateEvent } from '../core/events/event.ts';
import type { Store } from '../ports.ts';

export const BACKTEST_PAGE = 5000;

export async function* eventPages(store: Store, query: { since: number; until: number; type?: string }): AsyncGenerator<TollgateEvent[]> {
  let from = query.since;
  let seen = new Set<string>();
  for (;;) {
    const page = await store.listEvents({ since: from, until: query.until, type: query.type, limit: BACKTEST_PAGE });
    const fresh = seen.size ? page.filter((e) => !seen.has(e.id)) : page;
    if (fresh.length) yield fresh;
    if (page.length < BACKTEST_PAGE) return;
    const last = page[page.length - 1]!.time;
    if (last === from && fresh.length === 0) throw new Error(`more than ${BACKTEST_PAGE} events share the millisecond ${last}; cannot page`);
    seen = new Set(page.filter((e) => e.time === last).map((e) => e.id));
    from = last;
  }
}
