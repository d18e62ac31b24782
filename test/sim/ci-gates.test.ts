// The CI benchmark: scenarios/ci.yaml on its fixed seed, every gate asserted, the Markdown table
// printed and the reports kept in test-output/sim. Runs only with TOLLGATE_SIM_GATES=1 (several
// minutes of simulation); turned on in CI once the defense meets the gates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markdownReport } from '../../src/simulator/report/markdown.ts';
import { simulate } from '../../src/simulator/runner.ts';

const root = new URL('../..', import.meta.url).pathname;
const enabled = process.env.TOLLGATE_SIM_GATES === '1';
const name = 'scenarios/ci.yaml meets every gate (fixed seed)';

if (!enabled) {
  test.skip(`${name} — skipped: set TOLLGATE_SIM_GATES=1 to run the CI simulation (several minutes)`);
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
    assert.deepEqual(failed, [], `gates failed:\n${failed.join('\n')}`);
  });
}
