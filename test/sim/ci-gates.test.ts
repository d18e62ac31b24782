// The CI benchmark: scenarios/ci.yaml on its fixed seed, every gate asserted, the Markdown table
// printed and the reports kept in test-output/sim. Runs with every `npm test` (about 2–5 minutes
// of simulation on two cores); TOLLGATE_SIM_GATES=0 skips it for quick local runs, and
// TOLLGATE_SIM_WORKERS sets the worker processes (default 2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markdownReport } from '../../src/simulator/report/markdown.ts';
import { simulate } from '../../src/simulator/runner.ts';

const root = new URL('../..', import.meta.url).pathname;
const enabled = process.env.TOLLGATE_SIM_GATES !== '0';
const name = 'scenarios/ci.yaml meets every gate (fixed seed)';

if (!enabled) {
  test.skip(`${name} — skipped (TOLLGATE_SIM_GATES=0)`);
} else {
  test(name, { timeout: 30 * 60_000 }, async () => {
    const report = await simulate({
      scenarioPath: `${root}scenarios/ci.yaml`,
      workers: Number(process.env.TOLLGATE_SIM_WORKERS ?? 2),
      progress: true,
      outDir: `${root}test-output/sim`,
    });
    console.log(markdownReport(report));
    const failed = report.gates.filter((g) => !g.pass).map((g) => `${g.scope} ${g.gate}: ${g.actual} (needs ${g.op} ${g.limit})`);
    assert.ok(report.gates.length > 0, 'the scenario file declares gates');
    assert.deepEqual(failed, [], `gates failed:\n${failed.join('\n')}`);
  });
}
