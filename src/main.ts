// `npm start`: Tollgate on its configured (by default embedded) setup, printing where to go next.
import { createTollgate } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { PolicyError } from './core/policy/profile.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const tollgate = await createTollgate(config);
  const url = await tollgate.listen();
  const lines = [
    '',
    `  Tollgate is running (${config.mode} mode) at ${url}`,
    '',
    `  Try the phone factor:   ${url}/`,
    `  API description:        ${url}/openapi.json`,
    `  Result-token keys:      ${url}/.well-known/jwks.json`,
  ];
  if (config.mode !== 'production') {
    lines.push(`  Messages sent (outbox): ${url}/dev/outbox   (or: npx tollgate outbox)`);
    lines.push(`  Demo app API key:       ${config.devApiKey ? '(TOLLGATE_DEV_API_KEY)' : 'set TOLLGATE_DEV_API_KEY to call the API from scripts'}`);
    if (config.clock === 'manual') lines.push('  Clock:                  manual (POST /dev/clock {"advanceMs": n})');
  }
  for (const w of tollgate.policyWarnings) lines.push(`  policy warning: ${w.source}: ${w.message}`);
  console.log(`${lines.join('\n')}\n`);
  const stop = async (signal: string) => {
    tollgate.http.log.info({ signal }, 'shutting down');
    await tollgate.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof PolicyError) {
    console.error(`tollgate: ${err.message}`);
  } else {
    console.error('tollgate: failed to start:', err instanceof Error ? err.message : err);
  }
  process.exit(1);
});
