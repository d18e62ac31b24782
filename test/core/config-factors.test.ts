// Configuration of the stronger factors: mail adapters (the outbox refused in production, the SMTP
// password from the environment), the TOTP at-rest key, and a production start refused when a
// profile offers email codes but no mailer is configured.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkMailConfigured } from '../../src/compose-factors.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { loadPolicyFiles } from '../../src/adapters/policy/policy-files.ts';

const root = new URL('../..', import.meta.url).pathname;
const production = { TOLLGATE_MODE: 'production', TOLLGATE_SECRET: 'x'.repeat(40), TOLLGATE_PUBLIC_URL: 'https://verify.example.com' };

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tollgate-config-')), 'tollgate.yaml');
  writeFileSync(file, text);
  return file;
}

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env, root);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems.join('\n');
  }
  assert.fail('expected a ConfigError');
}

describe('configuration: stronger factors', () => {
  test('defaults: no mail section (the outbox in development), both factors on, SHA1/6/±1', () => {
    const c = loadConfig({}, root);
    assert.equal(c.mail, undefined);
    assert.equal(c.factors.email.enabled, true);
    assert.equal(c.factors.email.disposable.useBuiltIn, true);
    assert.deepEqual(c.factors.totp, { enabled: true, algorithm: 'SHA1', digits: 6, window: 1, maxWrongAttempts: 5, attemptWindowSeconds: 300, pendingTtlSeconds: 900, recoveryCodes: 10 });
  });

  test('production refuses the outbox mailer', () => {
    const file = configFile('telephony: { adapter: webhook, url: "https://sms.example.com", secret: "0123456789abcdef0123" }\nmail: { adapter: outbox }\n');
    assert.match(problems({ ...production, TOLLGATE_CONFIG: file }), /mail\.adapter: the development outbox never reaches a mailbox/);
  });

  test('SMTP: defaults, the password from TOLLGATE_SMTP_PASSWORD, a user needs a password', () => {
    const file = configFile('mail: { adapter: smtp, host: smtp.example.com, user: relay, from: "Example <no-reply@example.com>" }\n');
    assert.match(problems({ TOLLGATE_CONFIG: file }), /mail\.user: give both mail\.user and the password/);
    const c = loadConfig({ TOLLGATE_CONFIG: file, TOLLGATE_SMTP_PASSWORD: 'relay-password' }, root);
    assert.ok(c.mail?.adapter === 'smtp');
    assert.equal(c.mail.password, 'relay-password');
    assert.equal(c.mail.port, 587);
    assert.equal(c.mail.requireTLS, true);
    assert.equal(c.mail.timeoutSeconds, 15);
    const header = configFile('mail: { adapter: smtp, host: h.example, from: "a@b.c\\r\\nBcc: x@y.z" }\n');
    assert.match(problems({ TOLLGATE_CONFIG: header }), /mail\.from: must be one line/);
  });

  test('TOLLGATE_TOTP_KEY must be base64 of 32 bytes', () => {
    assert.match(problems({ TOLLGATE_TOTP_KEY: 'too-short' }), /factors\.totpKey: must be base64 of 32 bytes/);
    const key = Buffer.alloc(32, 7).toString('base64');
    assert.equal(loadConfig({ TOLLGATE_TOTP_KEY: key }, root).factors.totpKey, key);
  });

  test('production without mail refuses to start when a profile offers email codes', async () => {
    const policies = await loadPolicyFiles([join(root, 'policies/demo.yaml')]);
    const file = configFile('telephony: { adapter: webhook, url: "https://sms.example.com", secret: "0123456789abcdef0123" }\n');
    const c = loadConfig({ ...production, TOLLGATE_CONFIG: file }, root);
    assert.throws(() => checkMailConfigured(c, policies), /B2C_1A_TollgateDemo\/PhoneFactor-Methods offer\(s\) email codes; configure mail\.adapter: smtp/);
    const off = configFile('telephony: { adapter: webhook, url: "https://sms.example.com", secret: "0123456789abcdef0123" }\nfactors: { email: { enabled: false } }\n');
    assert.doesNotThrow(() => checkMailConfigured(loadConfig({ ...production, TOLLGATE_CONFIG: off }, root), policies));
    assert.doesNotThrow(() => checkMailConfigured(loadConfig({}, root), policies), 'development uses the outbox');
  });
});
