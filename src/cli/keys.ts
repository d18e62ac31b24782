// `tollgate keys rotate`: a new result-token signing key.
import { SystemClock } from '../adapters/clock/system-clock.ts';
import { SqliteStore } from '../adapters/store/sqlite.ts';
import { databasePathOf, loadConfig, publicUrlOf } from '../config.ts';
import { ResultTokens } from '../services/result-tokens.ts';

export async function rotateKeys(): Promise<number> {
  const config = loadConfig();
  const store = new SqliteStore(databasePathOf(config));
  try {
    await store.migrate();
    const tokens = new ResultTokens(store, new SystemClock(), {
      issuer: () => publicUrlOf(config),
      ttlSeconds: config.results.ttlSeconds,
      rotationDays: config.results.keyRotationDays,
      retentionDays: config.results.keyRetentionDays,
    });
    const key = await tokens.rotate();
    console.log(`new signing key ${key.kid}; previous keys stay published for ${config.results.keyRetentionDays} days`);
    return 0;
  } finally {
    await store.close();
  }
}
