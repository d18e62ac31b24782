// The `tollgate` command as an operator runs it (a real child process).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startTestTollgate } from '../helpers/test-tollgate.ts';

const root = new URL('../..', import.meta.url).pathname;
const tollgate = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(root, 'bin/tollgate.mjs'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });

describe('tollgate CLI', () => {
  test('policy check prints the effective B2C profile after inheritance', () => {
    const r = tollgate(['policy', 'check', 'examples/b2c/']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /B2C_1A_signup_signin\/PhoneFactor-InputOrVerify/);
    assert.match(r.stdout, /country allowlist:\s+3: JP, BG, US/);
    assert.match(r.stdout, /policy check passed/);
  });

  test('policy check names the file and line of a malformed policy, and refuses DTDs', () => {
    const bad = tollgate(['policy', 'check', 'test/fixtures/policies/xml/autodial-mixed.xml']);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout + bad.stderr, /autodial-mixed\.xml:\d+/);
    assert.match(bad.stdout + bad.stderr, /autodial/);
    const xxe = tollgate(['policy', 'check', 'test/fixtures/policies/xml/xxe.xml']);
    assert.equal(xxe.status, 1);
    assert.match(xxe.stdout + xxe.stderr, /xxe\.xml:\d+.*(DOCTYPE|DTD|declaration)/i);
    assert.doesNotMatch(xxe.stdout + xxe.stderr, /root:x:0/);
  });

  test('outbox prints what the development outbox sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-cli-'));
    const t = await startTestTollgate({ TOLLGATE_DATA_DIR: dir });
    try {
      const s = (await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: 'u', phoneNumbers: ['+14155550180'] })).body;
      await t.call('POST', `/v1/phone-factor/sessions/${s.id}/send`, { channel: 'sms' }, { key: null });
      const code = (await t.lastMessage('+14155550180'))!.code!;
      const r = tollgate(['outbox', '--to', '+14155550180'], { TOLLGATE_DATA_DIR: dir });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`sms\\s+\\+14155550180\\s+code ${code}`));
      const bad = tollgate(['outbox', '--limit', 'lots'], { TOLLGATE_DATA_DIR: dir });
      assert.equal(bad.status, 2);
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('app hash-key prints the digest form', () => {
    const r = tollgate(['app', 'hash-key', 'a-long-enough-api-key-0123456789']);
    assert.equal(r.status, 0);
    assert.match(r.stdout.trim(), /^sha256:[0-9a-f]{64}$/);
    assert.equal(tollgate(['app', 'hash-key', 'short']).status, 2);
  });
});
