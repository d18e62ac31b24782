// `tollgate outbox`: the development outbox, read from the database or a running instance.
import { SqliteStore } from '../adapters/store/sqlite.ts';
import { databasePathOf, loadConfig } from '../config.ts';
import type { OutboxMessage } from '../ports.ts';

export async function printOutbox(opts: { to?: string; limit: string; url?: string; json?: boolean }): Promise<number> {
  const limit = Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    console.error('tollgate outbox: --limit must be 1–10000');
    return 2;
  }
  let messages: OutboxMessage[];
  if (opts.url) {
    const q = new URLSearchParams({ limit: String(limit), ...(opts.to ? { to: opts.to } : {}) });
    const res = await fetch(`${opts.url.replace(/\/+$/, '')}/dev/outbox?${q}`, { headers: { accept: 'application/json' } });
    if (!res.ok) {
      console.error(`tollgate outbox: ${res.status} ${await res.text()}`);
      return 1;
    }
    const body = (await res.json()) as { messages: (Omit<OutboxMessage, 'time'> & { time: string })[] };
    messages = body.messages.map((m) => ({ ...m, time: Date.parse(m.time) }));
  } else {
    const store = new SqliteStore(databasePathOf(loadConfig()));
    try {
      await store.migrate();
      messages = await store.listOutbox({ to: opts.to, limit });
    } finally {
      await store.close();
    }
  }
  if (opts.json) {
    console.log(JSON.stringify(messages, null, 2));
    return 0;
  }
  if (messages.length === 0) console.log('(the outbox is empty)');
  for (const m of messages) {
    console.log(`${new Date(m.time).toISOString()}  ${m.channel.padEnd(5)}  ${m.to.padEnd(16)}  code ${m.code ?? '-'}  ${m.body}`);
  }
  return 0;
}
