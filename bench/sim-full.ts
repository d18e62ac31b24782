// Full-scale simulation (fraud.md §4.5): scenarios/full.yaml — 7 warm-up + 7 measured days at
// 20,000 journeys a day, every attack family and stress case, 5 seeds, realistic and all-countries
// allowlists; mean and worst per scenario in the report. Takes hours: narrow it with the same
// flags as `tollgate simulate`.
//   node --import tsx bench/sim-full.ts [--seed 1] [--only A1a,A1b] [--allowlist realistic]
//                                       [--workers 2] [--transport http] [--out test-output/sim-full]
// Writes <out>/full.json and <out>/full.md (the table for bench/RESULTS.md); exit 1 when a gate fails.
import { Command } from 'commander';
import { registerSimulateCommand } from '../src/cli/simulate.ts';

const root = new URL('..', import.meta.url).pathname;
const program = new Command().name('sim-full');
registerSimulateCommand(program);
// Defaults first; flags given on the command line come later and win.
await program.parseAsync(['node', 'sim-full', 'simulate', '--scenario', `${root}scenarios/full.yaml`, '--out', `${root}test-output/sim-full`, ...process.argv.slice(2)]);
