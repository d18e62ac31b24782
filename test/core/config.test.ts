// Configuration: validation at start-up, development hooks refused in production, docs in step.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, configSchema, environmentVariables, loadConfig } from '../../src/config.ts';

const root = new URL('../..', import.meta.url).pathname;
const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env, root);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems.join('\n');
  }
  assert.fail('expected a ConfigError');
};

describe('configuration', () => {
  test('defaults start on the embedded setup', () => {
    const c = loadConfig({}, root);
    assert.equal(c.mode, 'development');
    assert.equal(c.database.driver, 'sqlite');
    assert.equal(c.telephony.adapter, 'outbox');
    assert.deepEqual(c.policies, ['policies/demo.yaml']);
    assert.equal(c.codes.length, 6);
    assert.equal(c.server.port, 8080);
  });

  test('environment variables set keys', () => {
    const c = loadConfig({ PORT: '9000', HOST: '0.0.0.0', TOLLGATE_POLICIES: 'a.yaml, b.xml', TOLLGATE_TRUSTED_PROXIES: '10.0.0.0/8' }, root);
    assert.equal(c.server.port, 9000);
    assert.equal(c.server.host, '0.0.0.0');
    assert.deepEqual(c.policies, ['a.yaml', 'b.xml']);
    assert.deepEqual(c.server.trustedProxies, ['10.0.0.0/8']);
  });

  test('production refuses development hooks and requires secrets', () => {
    const p = problems({ TOLLGATE_MODE: 'production', TOLLGATE_DEV_API_KEY: 'x'.repeat(20), TOLLGATE_CLOCK: 'manual' });
    assert.match(p, /secret: required in production/);
    assert.match(p, /devApiKey: TOLLGATE_DEV_API_KEY is refused in production/);
    assert.match(p, /clock: the manual clock is refused/);
    assert.match(p, /telephony\.adapter: the development outbox/);
    assert.match(p, /server\.publicUrl: required in production/);
  });

  test('a bad file names the file and the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-config-'));
    const file = join(dir, 'tollgate.yaml');
    writeFileSync(file, 'codes:\n  length: 12\n');
    const p = problems({ TOLLGATE_CONFIG: file });
    assert.ok(p.includes(file) && p.includes('codes.length'), p);
    writeFileSync(file, 'codes: [unclosed\n');
    assert.ok(problems({ TOLLGATE_CONFIG: file }).includes(file));
    assert.match(problems({ TOLLGATE_CONFIG: join(dir, 'missing.yaml') }), /file not found/);
  });

  test('twilio secrets come from the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-config-'));
    const file = join(dir, 'tollgate.yaml');
    writeFileSync(file, 'telephony:\n  adapter: twilio\n  accountSid: AC0123456789abcdef0123456789abcdef\n  from: "+14155550100"\n');
    assert.match(problems({ TOLLGATE_CONFIG: file }), /authToken/);
    const c = loadConfig({ TOLLGATE_CONFIG: file, TWILIO_AUTH_TOKEN: 'secret-token-0123456789' }, root);
    assert.equal(c.telephony.adapter === 'twilio' && c.telephony.authToken, 'secret-token-0123456789');
  });

  test('docs/configuration.md documents every key and environment variable', () => {
    const doc = readFileSync(join(root, 'docs/configuration.md'), 'utf8');
    const keys: string[] = [];
    const walk = (shape: Record<string, any>, prefix: string) => {
      for (const [k, v] of Object.entries(shape)) {
        let inner = v;
        while (inner?.def?.innerType) inner = inner.def.innerType;
        if (inner?.def?.type === 'object' && k !== 'pricing') walk(inner.shape, `${prefix}${k}.`);
        else keys.push(`${prefix}${k}`);
      }
    };
    walk((configSchema as any).def.in?.shape ?? (configSchema as any).shape, '');
    assert.ok(keys.length > 20, `found ${keys.length} keys`);
    // The defense's many rule settings are documented in their own reference, docs/defense.md.
    const defenseDoc = readFileSync(join(root, 'docs/defense.md'), 'utf8');
    const missing = keys.filter((k) => {
      if (doc.includes(`\`${k}`)) return false;
      if (k.startsWith('defense.')) {
        const sub = k.slice('defense.'.length);
        return !(defenseDoc.includes(`\`${k}`) || defenseDoc.includes(`\`${sub}`) || defenseDoc.includes(`${sub.split('.').pop()}\``));
      }
      return true;
    });
    assert.deepEqual(missing, [], `undocumented configuration keys`);
    for (const v of Object.keys(environmentVariables)) assert.ok(doc.includes(`\`${v}\``), `docs/configuration.md lacks ${v}`);
  });
});
