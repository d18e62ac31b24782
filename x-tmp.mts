import { policyCheck } from './src/cli/policy-check.ts';
process.exitCode = await policyCheck(process.argv.slice(2), { log: console.log, error: console.error });
