// The workbook dashboard (docs/workbook.md, "Dashboard"): the Overview, Details and Fraud pages and
// the panels' JSON/CSV API, over the workbook whose rollups are kept fresh (compose-admin.ts).
import type { FastifyInstance } from 'fastify';
import type { Suspension } from '../../core/defense/pumping/index.ts';
import type { AdminAuth } from '../../services/admin-auth.ts';
import type { WorkbookService } from '../../services/workbook-service.ts';
import { PhoneRefs } from './admin-workbook-masking.ts';
import { registerAdminWorkbookApi } from './admin-workbook-api.ts';
import { registerAdminWorkbookPages } from './admin-workbook-pages.ts';

export interface AdminWorkbookDeps {
  workbook: WorkbookService;
  auth: AdminAuth;
  pumping: { suspensions(now: number, options?: { includeProbation?: boolean }): Suspension[] };
  now(): number;
  /** Spend and cost currency (pricing.currency). */
  currency: string;
  /** workbook.expectedRegions. */
  expectedRegions: readonly string[];
  /** Key material for the viewers' opaque phone references (a derived key; see PhoneRefs). */
  refKey: Uint8Array;
  /** The IP geolocation licence text and link, when geolocation is on. */
  attribution: { text: string; url: string } | null;
  /** App ids for the filter bar's suggestions. */
  apps: readonly string[];
}

export async function registerAdminWorkbook(app: FastifyInstance, d: AdminWorkbookDeps): Promise<void> {
  const sources = { workbook: d.workbook, pumping: d.pumping, refs: new PhoneRefs(d.refKey), now: d.now };
  await registerAdminWorkbookApi(app, { ...sources, auth: d.auth });
  await registerAdminWorkbookPages(app, {
    ...sources, auth: d.auth, currency: d.currency, expectedRegions: d.expectedRegions, attribution: d.attribution, apps: d.apps,
  });
}
