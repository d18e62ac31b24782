// The workbook's JSON and CSV API: GET /v1/admin/workbook/panels (the list) and
// GET /v1/admin/workbook/panels/:panel[.csv] with the dashboard's filters as query parameters.
// Viewer role (cookie session or Bearer token); viewers get masked numbers in JSON and CSV alike.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TollgateError } from '../../core/errors.ts';
import { canSeeFullNumbers } from '../../core/admin/model.ts';
import type { AdminAuth } from '../../services/admin-auth.ts';
import { dashboardPanelIds, isDashboardPanel, type PanelSources, panelCsv, panelMeta, panelRows } from './admin-workbook-panels.ts';
import { parseDashboardQuery } from './admin-workbook-query.ts';

export interface AdminWorkbookApiDeps extends PanelSources {
  auth: AdminAuth;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `20260115T0900Z`, for file names. */
const stamp = (ms: number) => iso(ms).slice(0, 16).replace(/[-:]/g, '') + 'Z';

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('Cache-Control', 'no-store');
}

export async function registerAdminWorkbookApi(app: FastifyInstance, d: AdminWorkbookApiDeps): Promise<void> {
  app.get('/v1/admin/workbook/panels', async (request, reply) => {
    await d.auth.requireRole(request, 'viewer');
    noStore(reply);
    return { panels: dashboardPanelIds.map((id) => ({ id, ...panelMeta(id) })) };
  });

  app.get('/v1/admin/workbook/panels/:panel', async (request: FastifyRequest<{ Params: { panel: string } }>, reply) => {
    // Credentials first: an unauthenticated caller learns nothing about panels or parameters.
    const me = await d.auth.requireRole(request, 'viewer');
    const raw = String(request.params.panel ?? '');
    const suffix = /\.(csv|json)$/.exec(raw);
    const id = suffix ? raw.slice(0, -suffix[0].length) : raw;
    if (!isDashboardPanel(id)) throw new TollgateError('not_found', 'No such workbook panel: GET /v1/admin/workbook/panels lists them.');
    const q = parseDashboardQuery(request.query, { api: true, refs: d.refs, now: d.now() });
    const byName = suffix?.[1] as 'csv' | 'json' | undefined;
    if (byName && q.format && byName !== q.format) {
      throw new TollgateError('invalid_request', `The path asks for ${byName} and format for ${q.format}: give one.`, { field: 'format' });
    }
    const format = byName ?? q.format ?? 'json';
    const rows = await panelRows(d, id, q, canSeeFullNumbers(me.role), q.limit);
    noStore(reply);
    if (format === 'csv') {
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="tollgate-${id}-${stamp(q.filters.from)}-${stamp(q.filters.to)}.csv"`)
        .send(panelCsv(id, rows));
    }
    const meta = panelMeta(id);
    return {
      panel: id,
      title: meta.title,
      tab: meta.tab,
      filters: { ...q.state, from: iso(q.filters.from), to: iso(q.filters.to), ...(q.ip ? { ip: q.ip } : {}) },
      fullNumbers: canSeeFullNumbers(me.role),
      columns: meta.columns,
      rows,
    };
  });
}
