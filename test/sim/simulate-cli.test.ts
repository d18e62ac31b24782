// `tollgate simulate` refuses bad input before simulating anything: exit code 2 with a message.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Command } from 'commander';
import { registerSimulateCommand, runSimulateCommand } from '../../src/cli/simulate.ts';

const root = new URL('../..', import.meta.url).pathname;
const flags = { scenario: `${root}scenarios/ci.yaml`, transport: 'inject', out: `${root}test-output/sim-cli`, defense: 'on', progress: false };

async function run(extra: Partial<typeof flags> & Record<string, unknown>): Promise<{ code: number; stderr: string }> {
  const errors: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void errors.push(args.join(' '));
  try {
    return { code: await runSimulateCommand({ ...flags, ...extra } as Parameters<typeof runSimulateCommand>[0]), stderr: errors.join('\n') };
  } finally {
    console.error = original;
  }
}

describe('tollgate simulate (command line)', () => {
  test('bad flags exit 2 and say which', async () => {
    assert.deepEqual(await run({ transport: 'pigeon' }), { code: 2, stderr: 'tollgate simulate: --transport must be inject or http' });
    assert.equal((await run({ defense: 'maybe' })).code, 2);
    assert.match((await run({ seed: '-1' })).stderr, /--seed/);
    assert.match((await run({ workers: '0' })).stderr, /--workers/);
    assert.match((await run({ allowlist: 'some' })).stderr, /--allowlist/);
  });

  test('an unknown scenario id or a missing file exits 2 naming it', async () => {
    const r = await run({ only: 'A1a,Z9' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no scenario "Z9" in ci/);
    assert.match((await run({ scenario: `${root}scenarios/nope.yaml` })).stderr, /nope\.yaml: ENOENT/);
  });

  test('the command registers with its options', () => {
    const program = new Command();
    registerSimulateCommand(program);
    const cmd = program.commands.find((c) => c.name() === 'simulate')!;
    const options = cmd.options.map((o) => o.long);
    for (const o of ['--scenario', '--seed', '--only', '--transport', '--out', '--defense', '--allowlist', '--workers', '--no-progress']) assert.ok(options.includes(o), o);
  });
});
