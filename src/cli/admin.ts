// `tollgate admin …`: create, list and disable admin users, reset a password, issue API tokens.
// Passwords come from a hidden prompt (typed twice) or from stdin (--password-stdin); there is no
// default password and no password argument, so none ends up in shell history or `ps`.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { SystemClock } from '../adapters/clock/system-clock.ts';
import { SqliteStore } from '../adapters/store/sqlite.ts';
import { SqliteAdminStore } from '../adapters/store/sqlite-admin.ts';
import { databasePathOf, loadConfig } from '../config.ts';
import { isAdminRole, TOKEN_DEFAULT_TTL_DAYS } from '../core/admin/model.ts';
import { TollgateError } from '../core/errors.ts';
import { AdminAuth } from '../services/admin-auth.ts';

/** What the commands need from the outside, so tests can run them without a terminal. */
export interface AdminCliIo {
  out(line: string): void;
  err(line: string): void;
  /** All of stdin, for --password-stdin. */
  readStdin(): Promise<string>;
  /** A prompt that does not echo what is typed; null when stdin is not a terminal. */
  promptHidden: ((question: string) => Promise<string>) | null;
  openStore(): Promise<SqliteAdminStore>;
}

const ACTOR = 'cli';

/** Opens the configured database, brings the main schema up to date, then makes sure the admin tables exist. */
export async function openConfiguredAdminStore(path = databasePathOf(loadConfig())): Promise<SqliteAdminStore> {
  const main = new SqliteStore(path);
  try {
    await main.migrate();
  } finally {
    await main.close();
  }
  const store = new SqliteAdminStore(path);
  await store.migrate();
  return store;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal in raw mode, echoing nothing. Ctrl-C aborts. */
function promptHiddenOnTty(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let chars: string[] = [];
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return (finish(), resolve(chars.join('')));
        if (ch === '\u0003') return (finish(), reject(new Error('cancelled')));
        if (ch === '\u007f' || ch === '\b') chars = chars.slice(0, -1);
        else if (ch >= ' ') chars.push(ch);
      }
    };
    stdin.on('data', onData);
  });
}

export function defaultAdminCliIo(): AdminCliIo {
  return {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    readStdin: () => readAll(process.stdin),
    promptHidden: process.stdin.isTTY ? promptHiddenOnTty : null,
    openStore: () => openConfiguredAdminStore(),
  };
}

/** The new password from stdin or the hidden prompt (twice); null after printing why there is none. */
async function readNewPassword(passwordStdin: boolean | undefined, io: AdminCliIo): Promise<string | null> {
  if (passwordStdin) {
    const password = (await io.readStdin()).replace(/\r?\n$/, '');
    if (!password) io.err('tollgate admin: stdin held no password');
    return password || null;
  }
  if (!io.promptHidden) {
    io.err('tollgate admin: stdin is not a terminal; pipe the password in with --password-stdin');
    return null;
  }
  const first = await io.promptHidden('New password (at least 12 characters): ');
  const second = await io.promptHidden('Same password again: ');
  if (first !== second) {
    io.err('tollgate admin: the two passwords differ; nothing was changed');
    return null;
  }
  return first;
}

/** Runs a command against the store; TollgateErrors become a message and exit code 1. */
async function withAuth(io: AdminCliIo, run: (auth: AdminAuth) => Promise<number>): Promise<number> {
  const store = await io.openStore();
  try {
    // The CSRF key only matters for HTTP requests, which the CLI never handles.
    return await run(new AdminAuth({ store, clock: new SystemClock(), csrfKey: randomBytes(32) }));
  } catch (err) {
    if (!(err instanceof TollgateError)) throw err;
    io.err(`tollgate admin: ${err.message}`);
    return 1;
  } finally {
    await store.close();
  }
}

export async function adminCreate(username: string, opts: { role: string; passwordStdin?: boolean }, io: AdminCliIo): Promise<number> {
  if (!isAdminRole(opts.role)) {
    io.err('tollgate admin create: --role must be admin or viewer');
    return 2;
  }
  const role = opts.role;
  const password = await readNewPassword(opts.passwordStdin, io);
  if (password === null) return 1;
  return withAuth(io, async (auth) => {
    const user = await auth.createUser({ username, password, role }, ACTOR);
    io.out(`created ${user.role} "${user.username}"`);
    return 0;
  });
}

export async function adminPassword(username: string, opts: { passwordStdin?: boolean }, io: AdminCliIo): Promise<number> {
  const password = await readNewPassword(opts.passwordStdin, io);
  if (password === null) return 1;
  return withAuth(io, async (auth) => {
    await auth.setPassword(username, password, ACTOR);
    io.out(`password of "${username.trim().toLowerCase()}" changed; their sessions were ended`);
    return 0;
  });
}

export async function adminList(opts: { json?: boolean }, io: AdminCliIo): Promise<number> {
  return withAuth(io, async (auth) => {
    const users = await auth.listUsers();
    if (opts.json) {
      io.out(JSON.stringify(users, null, 2));
      return 0;
    }
    if (users.length === 0) io.out('(no admin users: create one with `tollgate admin create <username> --role admin`)');
    const day = (t: number | null) => (t === null ? '-' : new Date(t).toISOString().slice(0, 16).replace('T', ' '));
    for (const u of users) {
      const state = u.disabledAt === null ? 'active' : `disabled ${day(u.disabledAt)}`;
      io.out(`${u.username.padEnd(24)} ${u.role.padEnd(7)} ${state.padEnd(26)} last sign-in ${day(u.lastSignInAt)}`);
    }
    return 0;
  });
}

export async function adminDisable(username: string, io: AdminCliIo): Promise<number> {
  return withAuth(io, async (auth) => {
    await auth.disableUser(username, ACTOR);
    io.out(`disabled "${username.trim().toLowerCase()}": their sessions ended and their API tokens stop working`);
    return 0;
  });
}

export async function adminToken(username: string, opts: { name: string; ttlDays?: string; role?: string }, io: AdminCliIo): Promise<number> {
  const ttlDays = Number(opts.ttlDays ?? TOKEN_DEFAULT_TTL_DAYS);
  const role = opts.role ?? 'viewer';
  if (!isAdminRole(role)) {
    io.err('tollgate admin token: --role must be admin or viewer');
    return 2;
  }
  return withAuth(io, async (auth) => {
    const { token, record } = await auth.createApiToken(username, { name: opts.name, role, ttlDays }, ACTOR);
    // The token alone on stdout (for `$(…)`); everything else on stderr.
    io.err(`API token "${record.name}" (${record.role}, id ${record.id}) expires ${new Date(record.expiresAt).toISOString()}.`);
    io.err('It is shown only this once: store it now. Send it as `Authorization: Bearer <token>`.');
    io.out(token);
    return 0;
  });
}

export function registerAdminCommands(program: Command, io: AdminCliIo = defaultAdminCliIo()): void {
  const admin = program.command('admin').description('admin users and API tokens of the dashboard');
  const exit = (code: number) => {
    process.exitCode = code;
  };
  admin
    .command('create')
    .description('create an admin user (password from a hidden prompt, or stdin with --password-stdin)')
    .argument('<username>')
    .requiredOption('--role <role>', 'admin (can block and edit) or viewer (read-only, masked numbers)')
    .option('--password-stdin', 'read the password from stdin instead of prompting')
    .action(async (username: string, opts: { role: string; passwordStdin?: boolean }) => exit(await adminCreate(username, opts, io)));
  admin
    .command('password')
    .description("set a user's password (ends their sessions)")
    .argument('<username>')
    .option('--password-stdin', 'read the password from stdin instead of prompting')
    .action(async (username: string, opts: { passwordStdin?: boolean }) => exit(await adminPassword(username, opts, io)));
  admin
    .command('list')
    .description('list admin users')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => exit(await adminList(opts, io)));
  admin
    .command('disable')
    .description('disable a user: ends their sessions, stops their API tokens')
    .argument('<username>')
    .action(async (username: string) => exit(await adminDisable(username, io)));
  admin
    .command('token')
    .description('create an API token for automation (printed once)')
    .argument('<username>')
    .requiredOption('--name <name>', 'what the token is for, e.g. ci')
    .option('--ttl-days <days>', 'lifetime in days (1–365)', String(TOKEN_DEFAULT_TTL_DAYS))
    .option('--role <role>', 'viewer or admin (never more than the user)', 'viewer')
    .action(async (username: string, opts: { name: string; ttlDays?: string; role?: string }) => exit(await adminToken(username, opts, io)));
}
