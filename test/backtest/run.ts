// Runs the backtest service over a test Tollgate's database as the CLI does (offline geo, the
// configured prices and session lifetime), with a candidate given as the sections of a config file.
import { OfflineGeo } from '../../src/adapters/geo/offline-geo.ts';
import { candidateFromSections } from '../../src/core/backtest/candidate.ts';
import type { BacktestReport } from '../../src/core/backtest/report.ts';
import { runBacktest, type BacktestOptions } from '../../src/services/backtest.ts';
import type { TestTollgate } from '../helpers/test-tollgate.ts';
import { DAY, HOUR, T0 } from './traffic.ts';

export function backtest(t: TestTollgate, sections: Record<string, unknown> = {}, options: Partial<BacktestOptions> = {}): Promise<BacktestReport> {
  return runBacktest(
    { store: t.tg.store, geo: new OfflineGeo(), prices: t.tg.config.pricing },
    {
      range: { since: T0, until: T0 + 4 * HOUR },
      now: T0 + 2 * DAY,
      candidate: candidateFromSections(sections, 'candidate.yaml'),
      sessionTtlMs: t.tg.config.session.ttlSeconds * 1000,
      ...options,
    },
  );
}
