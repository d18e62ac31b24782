#!/usr/bin/env node
// `npm test`: typechecks, makes sure the browser for the end-to-end tests is installed, then runs
// every test/**/*.test.ts with node's own test runner (through tsx) so CI can read its summary.
// Node 20's --test does not discover .ts files itself, hence this list.
// Usage: npm test [-- substring-filter]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv[2];
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.ts')) files.push(relative(root, path));
  }
})(join(root, 'test'));
const selected = filter ? files.filter((f) => f.includes(filter)) : files;
if (selected.length === 0) {
  console.error(`no test files${filter ? ` match "${filter}"` : ''}`);
  process.exit(1);
}

const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

if (!filter) {
  console.log('» typecheck (tsc --noEmit)');
  const tsc = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.']);
  if (tsc.status !== 0) {
    console.error('typecheck failed');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

if (selected.some((f) => f.startsWith('test/e2e/')) && !existsSync('/usr/bin/chromium')) {
  // Browsers cannot be downloaded here: Debian's chromium is the one the e2e tests drive.
  if (process.getuid?.() === 0) {
    console.log('» installing Debian chromium for the browser tests');
    run('apt-get', ['update', '-qq']);
    const apt = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (apt.status !== 0) process.exit(apt.status ?? 1);
  } else {
    console.error('Chromium is missing: run `sudo apt-get install -y chromium` (Debian) and retry.');
    process.exit(1);
  }
}

const result = run(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...selected],
  { env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
