// A fresh Tollgate for every run: its own data directory (RAM-backed when /dev/shm exists), test
// mode, manual clock, the development outbox, the simulated CAPTCHA, a scenario-specific native
// policy whose country allowlist includes the attack countries, and the scenario's prices.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SqliteStore } from '../../adapters/store/sqlite.ts';
import { createTollgate, type Tollgate } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import type { PriceTable } from '../../core/pricing/price-table.ts';
import { HttpTransport, InjectTransport, type Transport } from './client.ts';

export const SIM_APP_KEY = 'simulator-app-key-0123456789abcdef';

export interface InstanceOptions {
  /** null: every country allowed (no countryList). */
  allowlist: string[] | null;
  pricing: PriceTable;
  transport: 'inject' | 'http';
  defense: 'on' | 'off';
  start: number;
  /** Configuration merged over the simulator's (the scenario file's `tollgate` section). */
  overrides?: Record<string, unknown>;
}

export interface SimInstance {
  tg: Tollgate;
  transport: Transport;
  close(): Promise<void>;
}

/** The demo profile, allowing both channels and typed numbers, with the run's allowlist. */
export function policyYaml(allowlist: string[] | null): string {
  return stringify({
    policyId: 'B2C_1A_TollgateSimulation',
    contentDefinitions: {
      'api.phonefactor': { defaultLanguage: 'en', ...(allowlist ? { countryList: allowlist } : {}) },
    },
    profiles: {
      'PhoneFactor-InputOrVerify': {
        displayName: 'PhoneFactor',
        metadata: { ContentDefinitionReferenceId: 'api.phonefactor', ManualPhoneNumberEntryAllowed: true, 'setting.authenticationMode': 'mixed' },
        inputClaims: [
          { claimTypeReferenceId: 'userIdForMFA', partnerClaimType: 'UserId' },
          { claimTypeReferenceId: 'strongAuthenticationPhoneNumber' },
          { claimTypeReferenceId: 'secondaryStrongAuthenticationPhoneNumber' },
        ],
        outputClaims: [
          { claimTypeReferenceId: 'Verified.strongAuthenticationPhoneNumber', partnerClaimType: 'Verified.OfficePhone' },
          { claimTypeReferenceId: 'newPhoneNumberEntered', partnerClaimType: 'newPhoneNumberEntered' },
        ],
      },
    },
  });
}

export async function startInstance(o: InstanceOptions): Promise<SimInstance> {
  const root = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(root, 'tollgate-sim-'));
  try {
    writeFileSync(join(dir, 'policy.yaml'), policyYaml(o.allowlist));
    const file = {
      mode: 'test',
      dataDir: join(dir, 'data'),
      clock: 'manual',
      devApiKey: SIM_APP_KEY,
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0 },
      policies: [join(dir, 'policy.yaml')],
      pricing: o.pricing,
      defense: { enabled: o.defense === 'on' },
      // Accepts `solved:<sessionId>`: simulated actors "solve" a challenge without real proof of work.
      captcha: { provider: 'simulated' },
    };
    writeFileSync(join(dir, 'tollgate.yaml'), stringify(deepMerge(file, o.overrides ?? {})));
    const config = loadConfig({ TOLLGATE_CONFIG: join(dir, 'tollgate.yaml') }, dir);
    const tg = await createTollgate(config, { logger: false });
    tg.manualClock!.set(o.start);
    // One process owns this throw-away database: event inserts may share transactions (a third of
    // their cost), committed every 10 ms of wall time.
    if (tg.store instanceof SqliteStore) tg.store.batchEventCommits(10);
    let transport: Transport = new InjectTransport(tg.http);
    if (o.transport === 'http') transport = new HttpTransport(await tg.listen());
    return {
      tg,
      transport,
      async close() {
        await tg.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Objects merge key by key; anything else in `over` replaces. */
function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = b && v && typeof b === 'object' && typeof v === 'object' && !Array.isArray(b) && !Array.isArray(v) ? deepMerge(b as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}
