// `tollgate block|allow …` against a real SQLite file chosen through the configuration
// (TOLLGATE_DATA_DIR), both through the exported actions and through commander parsing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.ts';
import { SqliteStore } from '../../../src/adapters/store/sqlite.ts';
import {
  addEntryCommand, listEntriesCommand, registerReputationCommands, removeEntryCommand, type ReputationCliDeps,
} from '../../../src/cli/reputation.ts';

const T0 = Date.parse('2026-03-01T12:00:00Z');
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-rep-cli-'));
});
after(() => rm(dir, { recursive: true, force: true }));

let n = 0;
function deps(): ReputationCliDeps & { out: string[]; err: string[]; dataDir: string; clock: ManualClock } {
  const out: string[] = [];
  const err: string[] = [];
  const dataDir = join(dir, `data-${++n}`);
  const clock = new ManualClock(T0);
  return { env: { TOLLGATE_DATA_DIR: dataDir }, cwd: dir, clock, log: (s) => out.push(s), error: (s) => err.push(s), out, err, dataDir };
}

async function stored(dataDir: string) {
  const store = new SqliteStore(join(dataDir, 'tollgate.db'));
  try {
    await store.migrate();
    return await store.listReputation();
  } finally {
    await store.close();
  }
}

describe('reputation CLI actions', () => {
  test('block and allow write normalised entries to the configured database', async () => {
    const d = deps();
    assert.equal(await addEntryCommand('block', 'prefix', '+44 74001', { for: '1h', note: 'wave 3' }, d), 0);
    assert.equal(await addEntryCommand('allow', 'number', '+447400123456', {}, d), 0);
    const entries = await stored(d.dataDir);
    assert.deepEqual(entries.map((e) => [e.list, e.kind, e.value, e.expiresAt, e.note, e.createdBy]), [
      ['block', 'prefix', '+4474001', T0 + 3_600_000, 'wave 3', 'cli'],
      ['allow', 'number', '+447400123456', null, '', 'cli'],
    ]);
    assert.match(d.out[0]!, /block\s+prefix\s+\+4474001\s+until 2026-03-01T13:00:00Z\s+by cli\s+"wave 3"/);
    assert.match(d.out[1]!, /allow\s+number\s+\+447400123456\s+until removed/);
  });

  test('bad input prints why and exits 2 without writing', async () => {
    const d = deps();
    assert.equal(await addEntryCommand('block', 'cidr', '10.0.0.0/40', {}, d), 2);
    assert.equal(await addEntryCommand('block', 'ip', '10.0.0.1', { for: 'a while' }, d), 2);
    assert.equal(await addEntryCommand('block', 'email', 'x@y.z', {}, d), 2);
    assert.match(d.err[0]!, /^tollgate block: the prefix length must be 1–32 for IPv4$/);
    assert.match(d.err[1]!, /^tollgate block: for must be a duration such as 15m/);
    assert.match(d.err[2]!, /kind must be one of/);
    assert.deepEqual(await stored(d.dataDir), []);
  });

  test('list shows active entries, --all the expired ones too, --json for scripts; remove by id', async () => {
    const d = deps();
    await addEntryCommand('block', 'ip', '192.0.2.1', { for: '15m' }, d);
    await addEntryCommand('block', 'asn', 'AS14061', {}, d);
    const [short, asn] = await stored(d.dataDir);
    d.clock.advance(16 * 60_000);
    d.out.length = 0;

    assert.equal(await listEntriesCommand({}, d), 0);
    assert.equal(d.out.length, 1);
    assert.match(d.out[0]!, new RegExp(`^${asn!.id}\\s+block\\s+asn\\s+14061`));
    d.out.length = 0;
    await listEntriesCommand({ all: true }, d);
    assert.equal(d.out.length, 2);
    assert.match(d.out[0]!, /expired 2026-03-01T12:15:00Z/);
    d.out.length = 0;
    await listEntriesCommand({ json: true }, d);
    assert.deepEqual(JSON.parse(d.out[0]!).map((e: { id: string }) => e.id), [asn!.id]);

    assert.equal(await removeEntryCommand(short!.id, d), 0);
    assert.equal(await removeEntryCommand(short!.id, d), 1);
    assert.match(d.err[0]!, /no reputation entry has the id/);
    assert.deepEqual((await stored(d.dataDir)).map((e) => e.id), [asn!.id]);
    d.out.length = 0;
    await removeEntryCommand(asn!.id, d);
    await listEntriesCommand({}, d);
    assert.match(d.out.at(-1)!, /no active reputation entries/);
  });
});

describe('registerReputationCommands', () => {
  test('commander wiring: block/allow <kind> <value>, block list, block remove', async () => {
    const d = deps();
    const program = new Command().exitOverride();
    registerReputationCommands(program, d);
    const run = (...args: string[]) => program.parseAsync(['node', 'tollgate', ...args]);
    const saved = process.exitCode;
    try {
      await run('block', 'number', '+447400123456', '--for', '7d', '--note', 'seen pumping');
      await run('allow', 'cidr', '2001:db8::/48');
      assert.equal(process.exitCode, 0);
      const entries = await stored(d.dataDir);
      assert.deepEqual(entries.map((e) => [e.list, e.kind, e.value, e.expiresAt]), [
        ['block', 'number', '+447400123456', T0 + 7 * 86_400_000],
        ['allow', 'cidr', '2001:db8::/48', null],
      ]);
      d.out.length = 0;
      await run('block', 'list', '--all');
      assert.equal(d.out.length, 2);
      await run('block', 'remove', entries[0]!.id);
      assert.equal(process.exitCode, 0);
      await run('allow', 'remove', entries[1]!.id);
      assert.deepEqual(await stored(d.dataDir), []);
      await run('block', 'remove', 'nope');
      assert.equal(process.exitCode, 1);
    } finally {
      process.exitCode = saved;
    }
  });
});
