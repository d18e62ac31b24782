// `tollgate …`: thin commands over the same services as the HTTP API.
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import { PolicyError } from '../core/policy/profile.ts';
import { policyCheck } from './policy-check.ts';
import { printOutbox } from './outbox.ts';
import { rotateKeys } from './keys.ts';
import { hashApiKey } from './apps.ts';
import { registerAdminCommands } from './admin.ts';
import { registerReputationCommands } from './reputation.ts';
import { registerSimulateCommand } from './simulate.ts';
import { registerBacktestCommand } from './backtest.ts';

const program = new Command();
program.name('tollgate').description('Self-hosted phone verification with toll-fraud defense.').showHelpAfterError();

program
  .command('start')
  .description('start the server (same as npm start)')
  .action(async () => {
    await import('../main.ts');
  });

const policy = program.command('policy').description('policy files');
policy
  .command('check')
  .description('validate policy files (native YAML/JSON or Azure AD B2C XML) and print the effective profiles')
  .argument('<files...>', 'policy files or folders, base policies included')
  .action(async (files: string[]) => {
    process.exitCode = await policyCheck(files, { log: (s) => console.log(s), error: (s) => console.error(s) });
  });

program
  .command('outbox')
  .description('print the messages the development outbox has "sent"')
  .option('--to <e164>', 'only messages to this number')
  .option('--limit <n>', 'how many (newest first)', '20')
  .option('--url <url>', 'read from a running instance (GET <url>/dev/outbox) instead of the database')
  .option('--json', 'print JSON')
  .action(async (opts: { to?: string; limit: string; url?: string; json?: boolean }) => {
    process.exitCode = await printOutbox(opts);
  });

const keys = program.command('keys').description('result-token signing keys');
keys
  .command('rotate')
  .description('make a new signing key now; the old one stays in the JWKS for results.keyRetentionDays')
  .action(async () => {
    process.exitCode = await rotateKeys();
  });

const app = program.command('app').description('apps that call the API');
app
  .command('hash-key')
  .description('print the sha256: form of an API key for the `apps[].apiKeys` configuration')
  .argument('<key>')
  .action((key: string) => {
    process.exitCode = hashApiKey(key);
  });

registerReputationCommands(program);
registerAdminCommands(program);
registerSimulateCommand(program);
registerBacktestCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof PolicyError) console.error(`tollgate: ${err.message}`);
  else console.error('tollgate:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
});

export { loadConfig };
