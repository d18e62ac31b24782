// The candidate rule set of a backtest: the `defense` and `pumping` sections of a configuration
// file (same format as TOLLGATE_CONFIG), or those of the configuration in force.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { candidateFromSections, type Candidate } from '../core/backtest/candidate.ts';
import { BacktestInputError } from '../core/backtest/errors.ts';
import type { DefenseConfig } from '../core/defense/defense-config.ts';
import type { PumpingConfigOverride } from '../core/defense/pumping/index.ts';
import type { Config } from '../config.ts';

/** Reads and validates a candidate file; errors name the file and the path of each bad key. */
export function loadCandidateFile(path: string, cwd = process.cwd()): Candidate {
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new BacktestInputError(`${file}: cannot read the candidate configuration (${code === 'ENOENT' ? 'no such file' : code ?? (err as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new BacktestInputError(`${file}: ${(err as Error).message}`);
  }
  return candidateFromSections(raw, file);
}

/** The rule set in force: what loadConfig validated. */
export function currentCandidate(config: Config): Candidate {
  const where = config.configFile ? `current configuration (${config.configFile})` : 'current configuration (defaults)';
  return { defense: config.defense as DefenseConfig, pumping: config.pumping as PumpingConfigOverride, source: where };
}
