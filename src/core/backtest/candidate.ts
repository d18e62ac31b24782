// The rule set a backtest judges with: the `defense` and `pumping` sections of a configuration
// (the same format as TOLLGATE_CONFIG; other sections are ignored). Validated here so a typo in
// a candidate is reported with its path instead of silently falling back to a default.
import { defenseConfigSchema, type DefenseConfig } from '../defense/defense-config.ts';
import { defaultPumpingConfig, type PumpingConfigOverride } from '../defense/pumping/index.ts';
import { BacktestInputError } from './errors.ts';

export interface Candidate {
  defense: DefenseConfig;
  pumping: PumpingConfigOverride;
  /** Where it came from: a file path, or `current configuration`. */
  source: string;
}

/** Validates the sections of a parsed configuration file; errors name `where` and each bad key's path. */
export function candidateFromSections(raw: unknown, where: string): Candidate {
  if (raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) throw new BacktestInputError(`${where}: the top level must be a mapping`);
  const sections = (raw ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const defense = defenseConfigSchema.safeParse(sections.defense ?? {});
  if (!defense.success) {
    for (const issue of defense.error.issues) problems.push(`defense${issue.path.map((p) => `.${String(p)}`).join('')}: ${issue.message}`);
  }
  const pumping = sections.pumping ?? {};
  checkPumping(pumping, defaultPumpingConfig, 'pumping', problems);
  if (problems.length > 0) throw new BacktestInputError(`${where}:\n  - ${problems.join('\n  - ')}`);
  return { defense: defense.data as DefenseConfig, pumping: pumping as PumpingConfigOverride, source: where };
}

/** Keys must exist in the defaults and values must have the default's type (numbers, booleans, arrays of numbers). */
function checkPumping(value: unknown, base: unknown, path: string, problems: string[]): void {
  if (Array.isArray(base)) {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'number' || !Number.isFinite(v))) problems.push(`${path}: expected a list of numbers`);
    return;
  }
  if (typeof base === 'object' && base !== null) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${path}: expected a mapping`);
      return;
    }
    for (const [key, v] of Object.entries(value)) {
      if (!Object.hasOwn(base, key)) problems.push(`${path}.${key}: unknown setting`);
      else checkPumping(v, (base as Record<string, unknown>)[key], `${path}.${key}`, problems);
    }
    return;
  }
  if (typeof base === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) problems.push(`${path}: expected a number`);
  if (typeof base === 'boolean' && typeof value !== 'boolean') problems.push(`${path}: expected true or false`);
}
