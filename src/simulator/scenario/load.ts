// Reads a scenario file (YAML or JSON) and validates it, naming the file, line and key of every
// problem so a typo in a scenario is fixed in seconds, not found by a wrong benchmark.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { type ScenarioFile, scenarioFileSchema } from './schema.ts';
import { defaultCountries } from '../world/countries.ts';

export class ScenarioError extends Error {
  constructor(readonly problems: string[], heading = 'Invalid scenario file') {
    super(problems.length === 1 && heading !== 'Invalid scenario file' ? `${heading}: ${problems[0]}` : `${heading}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ScenarioError';
  }
}

export function loadScenarioFile(path: string): ScenarioFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScenarioError([`${path}: ${(err as Error).message}`]);
  }
  return parseScenarioText(text, path);
}

/** Parses and validates scenario text; `source` names it in error messages. */
export function parseScenarioText(text: string, source = '(scenario)'): ScenarioFile {
  const lines = new LineCounter();
  // Merge keys (`<<: *anchor`) let a scenario reuse another's attack with one parameter changed.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  if (doc.errors.length) {
    throw new ScenarioError(doc.errors.map((e) => `${source}:${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`));
  }
  const result = scenarioFileSchema.safeParse(doc.toJS());
  if (!result.success) {
    throw new ScenarioError(
      result.error.issues.map((i) => {
        // An unknown key is best pointed at by its own line.
        const at = i.code === 'unrecognized_keys' ? [...i.path, i.keys[0]!] : i.path;
        return `${source}:${lineOf(doc, lines, at)}: ${i.path.join('.') || '(root)'}: ${i.message}`;
      }),
    );
  }
  const file = result.data;
  const known = new Set([...Object.keys(defaultCountries), ...Object.keys(file.world.countries)]);
  const problems: string[] = [];
  const check = (code: string, path: (string | number)[]) => {
    if (!known.has(code)) problems.push(`${source}:${lineOf(doc, lines, path)}: ${path.join('.')}: country ${code} is not in the simulator's world; describe it under world.countries`);
  };
  Object.keys(file.legit.mix ?? {}).forEach((c) => check(c, ['legit', 'mix', c]));
  file.scenarios.forEach((s, i) => {
    s.attack?.countries?.forEach((c, j) => check(c, ['scenarios', i, 'attack', 'countries', j]));
    s.attack?.hop?.countries.forEach((c, j) => check(c, ['scenarios', i, 'attack', 'hop', 'countries', j]));
    s.stress?.newCountries.forEach((n, j) => check(n.country, ['scenarios', i, 'stress', 'newCountries', j, 'country']));
    s.stress?.cgnat.forEach((n, j) => check(n.country, ['scenarios', i, 'stress', 'cgnat', j, 'country']));
  });
  if (problems.length) throw new ScenarioError(problems);
  return file;
}

/** Line of the deepest node of `path` that exists in the document. */
function lineOf(doc: Document, lines: LineCounter, path: PropertyKey[]): number | string {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lines.linePos(node.range[0]).line;
    if (n === 0 && (isMap(doc.contents) || isSeq(doc.contents))) return 1;
  }
  return '?';
}

/** Hash of the validated scenario file (defaults applied): the report's config identity. */
export function scenarioHash(file: ScenarioFile): string {
  return createHash('sha256').update(canonicalJson(file)).digest('hex').slice(0, 16);
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
