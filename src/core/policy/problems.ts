// Collects the errors and warnings found while loading a policy set, so one run of
// `tollgate policy check` can report every broken profile instead of stopping at the first.
import { PolicyError, type PolicyWarning } from './profile.ts';

/** Where something was written: the file, the line (1-based) and the element or key path. */
export interface Location {
  file: string;
  line?: number;
  element: string;
}

export function sourceOf(loc: { file: string; line?: number }): string {
  return loc.line ? `${loc.file}:${loc.line}` : loc.file;
}

export function errorAt(loc: Location, detail: string): PolicyError {
  return new PolicyError(loc.file, loc.line, loc.element, detail);
}

/**
 * Several policy errors at once. It is itself a PolicyError (carrying the first error's file, line
 * and element) so callers that only know PolicyError still get a precise message.
 */
export class PolicyErrors extends PolicyError {
  constructor(readonly errors: PolicyError[]) {
    const first = errors[0];
    if (!first) throw new TypeError('PolicyErrors needs at least one error');
    super(first.file, first.line, first.element, first.detail);
    this.name = 'PolicyErrors';
    if (errors.length > 1) {
      this.message = `${errors.length} policy errors:\n${errors.map((e) => `  ${e.message}`).join('\n')}`;
    }
  }
}

export class Problems {
  readonly errors: PolicyError[] = [];
  readonly warnings: PolicyWarning[] = [];

  error(loc: Location, detail: string): void {
    this.errors.push(errorAt(loc, detail));
  }

  warn(loc: { file: string; line?: number }, message: string): void {
    this.warnings.push({ source: sourceOf(loc), message });
  }

  /**
   * Runs `step`, recording a thrown PolicyError instead of propagating it, so the steps that do not
   * depend on this one still run. Anything else (a bug) still throws.
   */
  attempt<T>(step: () => T): T | undefined {
    try {
      return step();
    } catch (e) {
      if (e instanceof PolicyErrors) this.errors.push(...e.errors);
      else if (e instanceof PolicyError) this.errors.push(e);
      else throw e;
      return undefined;
    }
  }

  /** Throws every recorded error at once (a single one as itself). */
  throwIfAny(): void {
    if (this.errors.length === 1) throw this.errors[0];
    if (this.errors.length > 1) throw new PolicyErrors(this.errors);
  }
}
