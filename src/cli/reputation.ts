// `tollgate block|allow <kind> <value>`, `tollgate block list`, `tollgate block remove <id>`: the
// reputation lists, edited in the configured SQLite database. A running server picks changes up
// within 10 s (ReputationService refresh), so there is nothing to restart. Adds and removals are
// recorded in the admin audit trail with the actor `cli`.
import type { Command } from 'commander';
import { SqliteStore } from '../adapters/store/sqlite.ts';
import { SqliteAdminStore } from '../adapters/store/sqlite-admin.ts';
import { SystemClock } from '../adapters/clock/system-clock.ts';
import { databasePathOf, loadConfig } from '../config.ts';
import { AuditLog, reputationAudit } from '../core/admin/audit.ts';
import { TollgateError } from '../core/errors.ts';
import { parseTtl, reputationKinds } from '../core/defense/reputation-values.ts';
import type { Clock, ReputationEntry } from '../ports.ts';
import { isActive, ReputationService } from '../services/reputation-service.ts';

export interface ReputationCliDeps {
  /** Where the configuration comes from (TOLLGATE_CONFIG, TOLLGATE_DATA_DIR, TOLLGATE_DB …). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  clock?: Clock;
  log?: (line: string) => void;
  error?: (line: string) => void;
}

const ACTOR = 'cli';

/** Opens the configured database, runs `fn`, closes it; a validation error prints and exits 2. */
async function withService(command: string, deps: ReputationCliDeps, fn: (svc: ReputationService, audit: AuditLog) => Promise<number>): Promise<number> {
  const store = new SqliteStore(databasePathOf(loadConfig(deps.env ?? process.env, deps.cwd ?? process.cwd())));
  try {
    await store.migrate(); // includes the admin tables (migration 4), so the audit table exists
    const clock = deps.clock ?? new SystemClock();
    // The audit trail lives in the same file: share the connection rather than open a second one.
    return await fn(new ReputationService(store, clock), new AuditLog(new SqliteAdminStore(store.connection), clock));
  } catch (err) {
    if (!(err instanceof TollgateError)) throw err;
    (deps.error ?? console.error)(`tollgate ${command}: ${err.message}`);
    return 2;
  } finally {
    await store.close();
  }
}

const iso = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toISOString().replace('.000Z', 'Z'));

export function formatEntry(e: ReputationEntry, now: number): string {
  const expires = e.expiresAt === null ? 'until removed' : `${isActive(e, now) ? 'until' : 'expired'} ${iso(e.expiresAt)}`;
  return `${e.id}  ${e.list.padEnd(5)}  ${e.kind.padEnd(7)}  ${e.value.padEnd(20)}  ${expires}  by ${e.createdBy}${e.note ? `  "${e.note}"` : ''}`;
}

/** `tollgate block|allow <kind> <value> [--for 1h] [--note text]` */
export async function addEntryCommand(
  list: 'block' | 'allow',
  kind: string,
  value: string,
  opts: { for?: string; note?: string },
  deps: ReputationCliDeps = {},
): Promise<number> {
  return withService(list, deps, async (svc, audit) => {
    const ttlSeconds = opts.for === undefined ? undefined : parseTtl(opts.for, 'for');
    const entry = await svc.add({ kind, value, list, ttlSeconds, note: opts.note, createdBy: ACTOR });
    await audit.record(reputationAudit(ACTOR, 'reputation_add', entry, 'cli', { ttlSeconds }));
    (deps.log ?? console.log)(formatEntry(entry, svc.clock.now()));
    return 0;
  });
}

/** `tollgate block list [--all] [--json]`: both lists; --all includes expired entries. */
export async function listEntriesCommand(opts: { all?: boolean; json?: boolean }, deps: ReputationCliDeps = {}): Promise<number> {
  return withService('block list', deps, async (svc) => {
    const entries = await svc.list({ includeExpired: opts.all === true });
    const log = deps.log ?? console.log;
    const now = svc.clock.now();
    if (opts.json) log(JSON.stringify(entries, null, 2));
    else if (entries.length === 0) log(opts.all ? '(no reputation entries)' : '(no active reputation entries; --all shows expired ones)');
    else for (const e of entries) log(formatEntry(e, now));
    return 0;
  });
}

/** `tollgate block remove <id>`: exit 1 when there is no such entry. */
export async function removeEntryCommand(id: string, deps: ReputationCliDeps = {}): Promise<number> {
  return withService('block remove', deps, async (svc, audit) => {
    const entry = (await svc.list({ includeExpired: true })).find((e) => e.id === id);
    if (entry && (await svc.remove(id))) {
      await audit.record(reputationAudit(ACTOR, 'reputation_remove', entry, 'cli'));
      (deps.log ?? console.log)(`removed ${id}`);
      return 0;
    }
    (deps.error ?? console.error)(`tollgate block remove: no reputation entry has the id ${id}`);
    return 1;
  });
}

export function registerReputationCommands(program: Command, deps: ReputationCliDeps = {}): void {
  const kinds = reputationKinds.join('|');
  for (const list of ['block', 'allow'] as const) {
    const command = program
      .command(list)
      .description(
        list === 'block'
          ? 'block-list a number, prefix or country (sends are refused) or an IP, CIDR or ASN (sends need a challenge); `block list`, `block remove <id>`'
          : 'allow-list a number, prefix, country, IP, CIDR or ASN (allow beats a block of the same or broader scope)',
      )
      .argument('<kind>', kinds)
      .argument('<value>', 'E.164 number, +prefix, ISO region, IP, CIDR or ASN')
      .option('--for <duration>', 'how long: 15m, 1h, 7d, … (default: until removed)')
      .option('--note <text>', 'why (shown in lists)')
      .action(async (kind: string, value: string, opts: { for?: string; note?: string }) => {
        process.exitCode = await addEntryCommand(list, kind, value, opts, deps);
      });
    command
      .command('list')
      .description('print the allow and block lists')
      .option('--all', 'include expired entries')
      .option('--json', 'print JSON')
      .action(async (opts: { all?: boolean; json?: boolean }) => {
        process.exitCode = await listEntriesCommand(opts, deps);
      });
    command
      .command('remove')
      .description('remove an entry by id (from `list`)')
      .argument('<id>')
      .action(async (id: string) => {
        process.exitCode = await removeEntryCommand(id, deps);
      });
  }
}
