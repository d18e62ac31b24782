// `tollgate admin …` through its exported actions (and commander), against a real temp database:
// passwords only from stdin or a hidden prompt, weak ones refused, tokens printed once on stdout.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Command } from 'commander';
import { ManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { SqliteAdminStore } from '../../src/adapters/store/sqlite-admin.ts';
import {
  adminCreate, type AdminCliIo, adminDisable, adminList, adminToken, openConfiguredAdminStore, registerAdminCommands,
} from '../../src/cli/admin.ts';
import { AdminAuth } from '../../src/services/admin-auth.ts';

interface FakeIo extends AdminCliIo {
  stdout: string[];
  stderr: string[];
}

function fakeIo(dbPath: string, opts: { stdin?: string; prompts?: string[] } = {}): FakeIo {
  const prompts = [...(opts.prompts ?? [])];
  const io: FakeIo = {
    stdout: [],
    stderr: [],
    out: (l) => io.stdout.push(l),
    err: (l) => io.stderr.push(l),
    readStdin: async () => opts.stdin ?? '',
    promptHidden: opts.prompts ? async () => prompts.shift() ?? '' : null,
    openStore: () => openConfiguredAdminStore(dbPath),
  };
  return io;
}

async function withDb(run: (dbPath: string, auth: () => Promise<{ auth: AdminAuth; close(): Promise<void> }>) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-admin-cli-'));
  const dbPath = join(dir, 'data', 'tollgate.db');
  try {
    await run(dbPath, async () => {
      const store = new SqliteAdminStore(dbPath);
      return { auth: new AdminAuth({ store, clock: new ManualClock(), csrfKey: new Uint8Array(32) }), close: () => store.close() };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('tollgate admin', () => {
  test('create --password-stdin makes a user who can sign in; the password is never printed', async () => {
    await withDb(async (dbPath, open) => {
      const io = fakeIo(dbPath, { stdin: 'a sturdy admin passphrase\n' });
      assert.equal(await adminCreate('Root.Admin', { role: 'admin', passwordStdin: true }, io), 0);
      assert.deepEqual(io.stdout, ['created admin "root.admin"']);
      assert.ok(![...io.stdout, ...io.stderr].join('\n').includes('sturdy'));
      const { auth, close } = await open();
      try {
        const { principal } = await auth.signIn('root.admin', 'a sturdy admin passphrase', null, null);
        assert.equal(principal.role, 'admin');
        assert.equal((await auth.audit.list({ action: 'user_create' }))[0]?.actor, 'cli');
      } finally {
        await close();
      }
    });
  });

  test('weak passwords, no password source and mismatched prompts are refused; nothing is created', async () => {
    await withDb(async (dbPath) => {
      const weak = fakeIo(dbPath, { stdin: 'password1234\n' });
      assert.equal(await adminCreate('bob', { role: 'admin', passwordStdin: true }, weak), 1);
      assert.match(weak.stderr.join('\n'), /too common/);
      const empty = fakeIo(dbPath, { stdin: '' });
      assert.equal(await adminCreate('bob', { role: 'admin', passwordStdin: true }, empty), 1);
      const noTty = fakeIo(dbPath);
      assert.equal(await adminCreate('bob', { role: 'admin' }, noTty), 1);
      assert.match(noTty.stderr.join('\n'), /--password-stdin/);
      const mismatch = fakeIo(dbPath, { prompts: ['first long password', 'second long password'] });
      assert.equal(await adminCreate('bob', { role: 'admin' }, mismatch), 1);
      assert.match(mismatch.stderr.join('\n'), /differ/);
      assert.equal(await adminCreate('bob', { role: 'root', passwordStdin: true }, fakeIo(dbPath, { stdin: 'fine password here' })), 2);
      const list = fakeIo(dbPath);
      await adminList({}, list);
      assert.match(list.stdout.join('\n'), /no admin users/);

      const typed = fakeIo(dbPath, { prompts: ['typed twice, hidden', 'typed twice, hidden'] });
      assert.equal(await adminCreate('bob', { role: 'viewer' }, typed), 0);
    });
  });

  test('list, token and disable', async () => {
    await withDb(async (dbPath, open) => {
      await adminCreate('carol', { role: 'admin', passwordStdin: true }, fakeIo(dbPath, { stdin: 'carol has a long password' }));
      const list = fakeIo(dbPath);
      assert.equal(await adminList({}, list), 0);
      assert.match(list.stdout[0]!, /^carol\s+admin\s+active/);

      const tok = fakeIo(dbPath);
      assert.equal(await adminToken('carol', { name: 'ci', ttlDays: '30', role: 'admin' }, tok), 0);
      assert.equal(tok.stdout.length, 1);
      const token = tok.stdout[0]!;
      assert.match(token, /^tg_[0-9a-f]{16}_/);
      assert.match(tok.stderr.join('\n'), /shown only this once/);
      assert.ok(!tok.stderr.join('\n').includes(token));
      const bad = fakeIo(dbPath);
      assert.equal(await adminToken('carol', { name: 'ci', ttlDays: '999' }, bad), 1);
      assert.match(bad.stderr.join('\n'), /ttlDays/);

      assert.equal(await adminDisable('carol', fakeIo(dbPath)), 0);
      const missing = fakeIo(dbPath);
      assert.equal(await adminDisable('nobody', missing), 1);
      assert.match(missing.stderr.join('\n'), /No admin user/);
      const { auth, close } = await open();
      try {
        assert.equal(await auth.authenticateToken(token), null);
      } finally {
        await close();
      }
    });
  });

  test('registerAdminCommands wires the commands into commander', async () => {
    await withDb(async (dbPath) => {
      const io = fakeIo(dbPath, { stdin: 'through commander we go' });
      const program = new Command().exitOverride();
      registerAdminCommands(program, io);
      const before = process.exitCode;
      try {
        await program.parseAsync(['admin', 'create', 'dave', '--role', 'viewer', '--password-stdin'], { from: 'user' });
        assert.equal(process.exitCode, 0);
        assert.deepEqual(io.stdout, ['created viewer "dave"']);
      } finally {
        process.exitCode = before;
      }
    });
  });
});
