// The report as Markdown: one row per run (the table bench/RESULTS.md takes), the failed gates,
// and the provenance line. Percentages of spend and users; dollars; "—" where a metric does not apply.
import type { GateOutcome } from '../gates.ts';
import type { RunResult } from '../metrics/types.ts';
import type { SimulationReport } from './build.ts';

const pct = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)} %`);
const usd = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `$${x < 100 ? x.toFixed(2) : Math.round(x).toLocaleString('en-US')}`);
const num = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '—' : Number.isInteger(x) ? String(x) : x.toFixed(digits));

function gateCell(run: RunResult, gates: readonly GateOutcome[]): string {
  const mine = gates.filter((g) => g.seed === run.seed && g.allowlist === run.allowlist && g.scope === run.id);
  if (mine.length === 0) return '';
  const failed = mine.filter((g) => !g.pass);
  return failed.length ? `✗ ${failed.map((g) => g.gate).join(', ')}` : '✓';
}

export function markdownReport(report: SimulationReport): string {
  const lines: string[] = [];
  const multi = report.seeds.length > 1 || report.allowlists.length > 1;
  lines.push(`### Simulation \`${report.scenario.name}\` — ${report.pass ? 'all gates pass' : 'GATES FAIL'}`);
  lines.push('');
  lines.push(
    `Seed${report.seeds.length > 1 ? 's' : ''} ${report.seeds.join(', ')} · scenario hash \`${report.scenario.hash}\` · git \`${report.git.sha?.slice(0, 12) ?? 'unknown'}\`${report.git.dirty ? ' (dirty)' : ''} · transport ${report.transport} · defense ${report.defense} · allowlist ${report.allowlists.join(' + ')}`,
  );
  lines.push('');
  const head = ['Run', ...(multi ? ['Seed', 'Allowlist'] : []), 'Spend blocked', 'Requests blocked', 'Lost before detection', 'Lost total', 'TTD min / sends', 'Detected by', '95 % contained (min)', 'Legit hard-blocked', 'Blocked → verified', 'Challenged', 'Completion Δ (pp)', 'Suspensions', 'Explained', 'Gates'];
  lines.push(`| ${head.join(' | ')} |`);
  lines.push(`|${head.map(() => '---').join('|')}|`);
  for (const r of report.runs) {
    const a = r.attack;
    const cells = [
      `${r.id}`,
      ...(multi ? [String(r.seed), r.allowlist] : []),
      pct(a?.spendBlocked),
      pct(a?.requestsBlocked),
      usd(a?.lossBeforeDetection),
      a ? `${usd(a.lossTotal)} of ${usd(a.unimpededCost)}` : '—',
      a ? `${num(a.ttdMinutes)} / ${num(a.ttdSends, 0)}` : '—',
      a?.detectedBy ?? '—',
      num(a?.containmentMinutes, 0),
      `${pct(r.legit.hardBlockedRate)} (${r.legit.hardBlocked})`,
      `${pct(r.legit.blockedThenVerifiedRate)} (${r.legit.blockedThenVerified})`,
      `${pct(r.legit.challengedRate)} (${r.legit.challenged})`,
      r.legit.completionDeltaPp === null ? '—' : r.legit.completionDeltaPp.toFixed(2),
      String(r.defense.suspensions),
      pct(r.defense.explainability, 1),
      gateCell(r, report.gates),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const overall = report.gates.filter((g) => g.scope === 'overall');
  if (overall.length) {
    lines.push('');
    for (const g of overall) lines.push(`- Overall ${g.gate} (seed ${g.seed}, ${g.allowlist}): ${pct(g.actual)} ${g.op} ${pct(g.limit as number)} ${g.pass ? '✓' : '✗'}`);
  }
  const failed = report.gates.filter((g) => !g.pass);
  if (failed.length) {
    lines.push('');
    lines.push('**Failed gates**');
    lines.push('');
    for (const g of failed) lines.push(`- ${g.scope} (seed ${g.seed}, ${g.allowlist}): ${g.gate} — actual ${g.actual === null ? 'none' : num(g.actual, 4)}, needs ${g.op} ${g.limit}`);
  }
  lines.push('');
  const rt = report.runtime;
  lines.push(`${report.runs.length} runs, ${rt.requests.toLocaleString('en-US')} requests in ${(rt.wallMs / 1000).toFixed(1)} s (${Math.round(rt.requestsPerSecond)} req/s, ${rt.workers} worker${rt.workers > 1 ? 's' : ''}).`);
  return lines.join('\n');
}
