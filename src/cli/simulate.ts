// `tollgate simulate`: the toll-fraud benchmark (docs/simulator.md). Runs a scenario file against
// fresh in-process Tollgates, prints the Markdown table, writes JSON and Markdown reports, and
// exits 1 when a gate fails (2 on bad input).
import type { Command } from 'commander';
import { markdownReport } from '../simulator/report/markdown.ts';
import { simulate } from '../simulator/runner.ts';
import { ScenarioError } from '../simulator/scenario/load.ts';

interface SimulateFlags {
  scenario: string;
  seed?: string;
  only?: string;
  transport: string;
  out: string;
  defense: string;
  workers?: string;
  allowlist?: string;
  progress: boolean;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('run the toll-fraud benchmark: legitimate traffic, stress cases and attacks against fresh instances; checks the gates')
    .option('--scenario <file>', 'scenario file (YAML)', 'scenarios/ci.yaml')
    .option('--seed <n>', "one seed instead of the file's seeds")
    .option('--only <ids>', 'comma-separated scenario ids (the baseline always runs), e.g. A1a,L2')
    .option('--transport <kind>', 'inject (in-process, fast) or http (loopback)', 'inject')
    .option('--out <dir>', 'where <name>.json and <name>.md go', 'test-output/sim')
    .option('--defense <on|off>', 'off: no send decisions (what an undefended Tollgate loses)', 'on')
    .option('--allowlist <modes>', "realistic, all, or realistic,all (default: the file's)")
    .option('--workers <n>', 'parallel worker processes (default: min(2, cores))')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (flags: SimulateFlags) => {
      process.exitCode = await runSimulateCommand(flags);
    });
}

export async function runSimulateCommand(flags: SimulateFlags): Promise<number> {
  const usage = (message: string) => {
    console.error(`tollgate simulate: ${message}`);
    return 2;
  };
  if (flags.transport !== 'inject' && flags.transport !== 'http') return usage('--transport must be inject or http');
  if (flags.defense !== 'on' && flags.defense !== 'off') return usage('--defense must be on or off');
  const seed = flags.seed === undefined ? undefined : Number(flags.seed);
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) return usage('--seed must be a non-negative integer');
  const workers = flags.workers === undefined ? undefined : Number(flags.workers);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 64)) return usage('--workers must be 1–64');
  const allowlists = flags.allowlist?.split(',').map((s) => s.trim());
  if (allowlists && (allowlists.length === 0 || allowlists.some((a) => a !== 'realistic' && a !== 'all'))) return usage('--allowlist must be realistic, all, or realistic,all');
  try {
    const report = await simulate({
      scenarioPath: flags.scenario,
      seeds: seed === undefined ? undefined : [seed],
      only: flags.only?.split(',').map((s) => s.trim()).filter(Boolean),
      transport: flags.transport,
      defense: flags.defense,
      workers,
      allowlists: allowlists as ('realistic' | 'all')[] | undefined,
      progress: flags.progress,
      outDir: flags.out,
    });
    console.log(markdownReport(report));
    console.log(`\nReports: ${flags.out}/${report.scenario.name}.json, ${flags.out}/${report.scenario.name}.md`);
    return report.pass ? 0 : 1;
  } catch (err) {
    if (err instanceof ScenarioError) return usage(err.message);
    throw err;
  }
}
