// `tollgate backtest --since 7d`: replays the recorded send attempts of a range through the rule
// set in force or a candidate file, and reports what it would have blocked and challenged,
// legitimate-looking and suspicious, against what was decided then (docs/backtest.md).
// Exit codes: 0 report printed (also when the range holds no events), 2 bad input.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { NullGeo, OfflineGeo } from '../adapters/geo/offline-geo.ts';
import { SqliteStore } from '../adapters/store/sqlite.ts';
import { databasePathOf, loadConfig } from '../config.ts';
import { BacktestInputError } from '../core/backtest/errors.ts';
import { markdownReport } from '../core/backtest/markdown.ts';
import { parseDuration, resolveRange } from '../core/backtest/range.ts';
import { runBacktest } from '../services/backtest.ts';
import { currentCandidate, loadCandidateFile } from '../services/backtest-config.ts';
import { backtestProgress } from '../services/backtest-progress.ts';

export interface BacktestFlags {
  since: string;
  until?: string;
  config?: string;
  policy?: string;
  json?: boolean;
  out?: string;
  reputationAsOfNow?: boolean;
  labelWindow: string;
  progress: boolean;
}

export interface BacktestCliDeps {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  now?: () => number;
  log?: (text: string) => void;
  error?: (text: string) => void;
}

export function registerBacktestCommand(program: Command, deps: BacktestCliDeps = {}): void {
  program
    .command('backtest')
    .description('replay recorded sends through the current or a candidate rule set: what it would block and challenge, legitimate-looking and suspicious')
    .requiredOption('--since <when>', 'start of the range: a duration back from now (24h, 7d, 30d) or an ISO date (2025-03-01)')
    .option('--until <when>', 'end of the range, same forms (default: now)')
    .option('--config <file>', 'candidate configuration (TOLLGATE_CONFIG format; its defense and pumping sections are judged)')
    .option('--policy <id>', 'report only sends of this policy (all sends are still replayed)')
    .option('--reputation-as-of-now', "judge the whole range with today's reputation lists instead of the entries in force at each send")
    .option('--label-window <duration>', 'a send is legitimate-looking when its number or user verified within this of it', '24h')
    .option('--json', 'print the report as JSON')
    .option('--out <file>', 'also write the report to this file (JSON when it ends in .json, else Markdown)')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (flags: BacktestFlags) => {
      process.exitCode = await runBacktestCommand(flags, deps);
    });
}

export async function runBacktestCommand(flags: BacktestFlags, deps: BacktestCliDeps = {}): Promise<number> {
  const log = deps.log ?? ((s: string) => console.log(s));
  const error = deps.error ?? ((s: string) => console.error(s));
  const cwd = deps.cwd ?? process.cwd();
  const now = (deps.now ?? Date.now)();
  const config = loadConfig(deps.env ?? process.env, cwd);
  let inputs;
  try {
    const range = resolveRange({ since: flags.since, until: flags.until }, now);
    const labelWindowMs = parseDuration(flags.labelWindow);
    if (labelWindowMs === null || labelWindowMs <= 0) throw new BacktestInputError(`--label-window: expected a duration such as 1h or 24h; got "${flags.labelWindow}"`);
    const candidate = flags.config ? loadCandidateFile(flags.config, cwd) : currentCandidate(config);
    inputs = { range, labelWindowMs, candidate };
  } catch (err) {
    if (!(err instanceof BacktestInputError)) throw err;
    error(`tollgate backtest: ${err.message}`);
    return 2;
  }
  const dbPath = databasePathOf(config);
  if (!existsSync(dbPath)) {
    error(`tollgate backtest: no database at ${dbPath} (set TOLLGATE_CONFIG, TOLLGATE_DB or TOLLGATE_DATA_DIR)`);
    return 2;
  }

  const store = new SqliteStore(dbPath);
  const progress = backtestProgress(flags.progress);
  let report;
  try {
    await store.migrate();
    report = await runBacktest(
      { store, geo: config.geo.enabled ? new OfflineGeo() : new NullGeo(), prices: config.pricing },
      {
        ...inputs,
        now,
        policy: flags.policy ?? null,
        reputation: flags.reputationAsOfNow ? 'now' : 'recorded',
        sessionTtlMs: config.session.ttlSeconds * 1000,
        onProgress: (f, attempts) => progress.update(f, attempts),
      },
    );
  } finally {
    progress.stop();
    await store.close();
  }

  const markdown = markdownReport(report);
  const json = JSON.stringify(report, null, 2);
  log(flags.json ? json : markdown);
  if (flags.out) {
    const file = resolve(cwd, flags.out);
    writeFileSync(file, `${file.endsWith('.json') ? json : markdown}\n`);
  }
  if (report.events.attempts === 0) {
    error(`tollgate backtest: ${report.events.inRange === 0 ? 'no events in range' : 'no send attempts reached the defense in range'} (${report.range.since} → ${report.range.until})`);
  }
  return 0;
}
