// `tollgate backtest` as an operator runs it (a real child process) over a database recorded by a
// real Tollgate with the defense off: the Markdown table, --json and --out, a candidate file, and
// the errors (bad duration, unreadable or invalid candidate, empty range).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { morningWithBurst, recordedWorld } from '../backtest/traffic.ts';

const root = new URL('../..', import.meta.url).pathname;
const RANGE = ['--since', '2025-03-03T09:00Z', '--until', '2025-03-03T13:00Z'];

describe('tollgate backtest', () => {
  let dir: string;
  const tollgate = (args: string[]) =>
    spawnSync(process.execPath, [join(root, 'bin/tollgate.mjs'), 'backtest', ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, TOLLGATE_DATA_DIR: dir, TOLLGATE_CONFIG: '', TOLLGATE_DB: '', TOLLGATE_DEFENSE: '' },
    });
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tollgate-backtest-cli-'));
    const t = await recordedWorld({ TOLLGATE_DATA_DIR: dir, TOLLGATE_DEFENSE: 'off' });
    await morningWithBurst(t);
    await t.close(); // closes the database (the CLI opens it next) and removes the helper's own temp dir
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('prints the Markdown report: the burst would be stopped by pumping.prefix, no legitimate user hurt', () => {
    const r = tollgate(RANGE);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^# Backtest 2025-03-03T09:00:00\.000Z → 2025-03-03T13:00:00\.000Z/);
    assert.match(r.stdout, /candidate: current configuration \(defaults\)/);
    assert.match(r.stdout, /\| legitimate-looking \| 8 \| 8 \| 8 \/ 0 \/ 0 \| 8 \/ 0 \/ 0 \|/);
    assert.match(r.stdout, /\| `pumping\.prefix` \|/);
    assert.match(r.stdout, /\| \+44740012 \|/);
    assert.match(r.stdout, /legitimate-looking journeys hurt: 0 blocked/);
    assert.equal(r.stderr, '', 'no progress bar without a terminal');
  });

  test('--json prints the report, --out writes it, and the same inputs give the same bytes', () => {
    const out = join(dir, 'report.json');
    const a = tollgate([...RANGE, '--json', '--out', out]);
    assert.equal(a.status, 0, a.stderr);
    const report = JSON.parse(a.stdout);
    assert.deepEqual(Object.keys(report), ['range', 'candidate', 'options', 'events', 'labels', 'changes', 'spend', 'rules', 'countries', 'prefixes', 'samples']);
    assert.equal(report.events.attempts, 38);
    assert.deepEqual(report.labels.legit.candidate, { allow: 8, challenge: 0, block: 0 });
    assert.ok(report.labels.suspicious.candidate.block >= 20);
    assert.equal(report.spend.currency, 'USD');
    assert.ok(report.spend.suspiciousSavedByBlocks > 0);
    assert.equal(report.rules[0].rule, 'pumping.prefix');
    assert.equal(report.options.reputation, 'recorded');
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), report);
    const b = tollgate([...RANGE, '--json']);
    assert.equal(b.stdout, a.stdout);
    const md = join(dir, 'report.md');
    assert.equal(tollgate([...RANGE, '--out', md]).status, 0);
    assert.match(readFileSync(md, 'utf8'), /^# Backtest/);
  });

  test('--config judges a candidate file: pumping in shadow, a stricter /24 limit', () => {
    const candidate = file('candidate.yaml', 'server:\n  port: 9999\ndefense:\n  ruleModes:\n    pumping: shadow\n  velocity:\n    ip24:\n      - { windowSeconds: 3600, max: 2, action: block }\n');
    const r = tollgate([...RANGE, '--config', candidate, '--json', '--policy', 'B2C_1A_TollgateDemo', '--reputation-as-of-now']);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.candidate.source, candidate);
    assert.equal(report.candidate.modes.pumping, 'shadow');
    assert.equal(report.options.policy, 'B2C_1A_TollgateDemo');
    assert.equal(report.options.reputation, 'now');
    assert.equal(report.changes.legit.newlyBlocked, 4);
    const pumping = report.rules.find((x: { rule: string }) => x.rule === 'pumping.prefix');
    assert.ok(pumping.shadowBlock.suspicious > 0);
    assert.equal(pumping.wouldBlock.suspicious, 0);
  });

  test('bad input exits 2 with a message naming the flag, the file or the key', () => {
    const badSince = tollgate(['--since', 'last-week']);
    assert.equal(badSince.status, 2);
    assert.match(badSince.stderr, /tollgate backtest: --since: expected a duration such as 24h, 7d or 30d/);
    const missing = tollgate([...RANGE, '--config', join(dir, 'nope.yaml')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.yaml: cannot read the candidate configuration \(no such file\)/);
    const invalid = file('invalid.yaml', 'defense:\n  velocity:\n    ip24:\n      - { windowSeconds: 3600, max: lots, action: block }\npumping:\n  ladder:\n    quietLiftMinutes: 30\n');
    const bad = tollgate([...RANGE, '--config', invalid]);
    assert.equal(bad.status, 2);
    assert.ok(bad.stderr.includes(`${invalid}:`), bad.stderr);
    assert.match(bad.stderr, /defense\.velocity\.ip24\.0\.max/);
    assert.match(bad.stderr, /pumping\.ladder\.quietLiftMinutes: unknown setting/);
    const yaml = tollgate([...RANGE, '--config', file('broken.yaml', 'defense: [\n')]);
    assert.equal(yaml.status, 2);
    assert.match(yaml.stderr, /broken\.yaml: .*line/i);
    assert.equal(tollgate([...RANGE, '--label-window', 'forever']).status, 2);
  });

  test('an empty range is not an error: exit 0, "no events in range"', () => {
    const r = tollgate(['--since', '2020-01-01', '--until', '2020-01-02']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /No events in range: nothing to replay\./);
    assert.match(r.stderr, /tollgate backtest: no events in range \(2020-01-01T00:00:00\.000Z → 2020-01-02T00:00:00\.000Z\)/);
    const json = tollgate(['--since', '2020-01-01', '--until', '2020-01-02', '--json']);
    assert.equal(JSON.parse(json.stdout).events.attempts, 0);
  });
});
