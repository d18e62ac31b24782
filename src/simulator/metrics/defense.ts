// Defense-side metrics of a run (fraud.md §4.4 items 5–7): automatic suspensions (false alarms
// when there is no attack), recovery after the attack ends, and explainability coverage.
import { MINUTE } from '../time-spec.ts';
import type { ClassifiedRefusal } from './refusals.ts';
import { refusalsByRule } from './refusals.ts';
import type { DefenseMetrics, SuspensionRecord } from './types.ts';

/** `suspensions`: detector reputation entries and suspension episodes seen in refusals. */
export function defenseMetrics(
  suspensions: readonly SuspensionRecord[],
  explained: { explained: number; total: number },
  refusals: readonly ClassifiedRefusal[],
  attack: { start: number; end: number } | null,
): DefenseMetrics {
  return {
    suspensions: suspensions.length,
    suspensionDetails: suspensions.map((s) => ({ kind: s.kind, value: s.value, createdBy: s.createdBy, createdAt: s.createdAt, expiresAt: s.expiresAt })),
    explainedRefusals: explained.explained,
    defenseRefusals: explained.total,
    explainability: explained.total ? Math.round((explained.explained / explained.total) * 1e4) / 1e4 : null,
    recoveryMinutes: attack ? recovery(suspensions, attack) : null,
    refusalsByRule: refusalsByRule(refusals),
  };
}

/**
 * Minutes after the attack's end until the last suspension created from its start on is lifted:
 * 0 when none outlives it, null when one never expires.
 */
export function recovery(suspensions: readonly SuspensionRecord[], attack: { start: number; end: number }): number | null {
  let latest = attack.end;
  for (const s of suspensions) {
    if (s.createdAt < attack.start) continue;
    if (s.expiresAt === null) return null;
    latest = Math.max(latest, s.expiresAt);
  }
  return Math.round(((latest - attack.end) / MINUTE) * 100) / 100;
}
