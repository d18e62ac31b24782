// The audit trail for admins: GET /admin/audit (page, filtered by action and actor, 50 per page,
// `before=<id>` cursor) and GET /admin/audit.csv (the same filter, every page, spreadsheet-safe).
// Viewers get a 403 page: the trail names every operator and what they did.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type AuditEntry, auditActions, type AuditQuery } from '../../core/admin/audit.ts';
import { TollgateError } from '../../core/errors.ts';
import { toCsv } from '../../core/workbook/csv.ts';
import { type AuditFilters, renderAuditPage } from '../../pages/admin/audit-page.ts';
import { renderAdminProblemPage } from '../../pages/admin/mitigations-page.ts';
import { applyPageHeaders } from '../../pages/security-headers.ts';
import type { Clock } from '../../ports.ts';
import type { AdminAuth, AdminPrincipal } from '../../services/admin-auth.ts';
import { parseBody } from '../errors.ts';
import { signInRedirect } from './admin-auth.ts';
import { wantsJson } from './admin-mitigations.ts';

export interface AdminAuditDeps {
  auth: AdminAuth;
  clock: Clock;
}

export const AUDIT_PAGE_SIZE = 50;
/** The export stops here (the trail of a busy year is far smaller). */
export const AUDIT_CSV_MAX_ROWS = 100_000;
const CSV_BATCH = 1000;

// An empty field (the form's "All actions", a cleared actor box) means no filter.
const emptyIsNone = (v: string | undefined) => (v === '' ? undefined : v);
const auditQuery = z.object({
  action: z.string().trim().max(64).regex(/^[a-z0-9_.:-]*$/, { error: 'an action is lower-case letters, digits and _ . : -' }).optional().transform(emptyIsNone),
  actor: z.string().trim().max(200).optional().transform(emptyIsNone),
  before: z.string().trim().max(100).optional().transform(emptyIsNone),
});

function storeQuery(q: AuditFilters & { before?: string }): AuditQuery {
  return { action: q.action, actorWithTokens: q.actor, before: q.before };
}

function href(path: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams(Object.entries(params).filter((kv): kv is [string, string] => kv[1] !== undefined)).toString();
  return search ? `${path}?${search}` : path;
}

export async function registerAdminAudit(app: FastifyInstance, d: AdminAuditDeps): Promise<void> {
  const { auth } = d;

  /** The admin behind the request, or null once the reply has been sent (sign-in redirect, 403 page). */
  async function requireAdminPage(request: FastifyRequest, reply: FastifyReply): Promise<AdminPrincipal | null> {
    try {
      return await auth.requireRole(request, 'admin');
    } catch (err) {
      if (!(err instanceof TollgateError) || wantsJson(request)) throw err;
      const me = err.code === 'unauthorized' ? null : await auth.principal(request);
      if (!me) {
        await signInRedirect(request, reply);
        return null;
      }
      const message = err.code === 'forbidden' ? 'The audit trail is for admins: your role is viewer.' : err.message;
      const page = renderAdminProblemPage({ user: me.user, csrf: me.csrf ?? '', title: 'Audit trail', active: 'audit', code: err.code, message });
      await applyPageHeaders(reply).code(err.status).send(page);
      return null;
    }
  }

  async function renderPage(reply: FastifyReply, me: AdminPrincipal, status: number, filters: AuditFilters & { before?: string }, error?: TollgateError) {
    const rows = error ? [] : await auth.audit.list({ ...storeQuery(filters), limit: AUDIT_PAGE_SIZE + 1 });
    const entries = rows.slice(0, AUDIT_PAGE_SIZE);
    const facets = await auth.audit.facets();
    const keep = { action: filters.action, actor: filters.actor };
    const page = renderAuditPage({
      user: me.user,
      csrf: me.csrf ?? '',
      entries,
      filters: keep,
      actions: [...new Set([...auditActions, ...facets.actions])],
      actors: facets.actors,
      olderHref: rows.length > AUDIT_PAGE_SIZE ? href('/admin/audit', { ...keep, before: entries.at(-1)!.id }) : null,
      newestHref: filters.before ? href('/admin/audit', keep) : null,
      csvHref: href('/admin/audit.csv', keep),
      error: error ? { code: error.code, message: error.message, field: error.steering.field } : null,
    });
    return applyPageHeaders(reply).code(status).send(page);
  }

  app.get('/admin/audit', async (request, reply) => {
    const me = await requireAdminPage(request, reply);
    if (!me) return reply;
    let filters: z.infer<typeof auditQuery>;
    try {
      filters = parseBody(auditQuery, request.query);
    } catch (err) {
      if (!(err instanceof TollgateError) || wantsJson(request)) throw err;
      return renderPage(reply, me, err.status, {}, err);
    }
    return renderPage(reply, me, 200, filters);
  });

  app.get('/admin/audit.csv', async (request, reply) => {
    const me = await requireAdminPage(request, reply);
    if (!me) return reply;
    const filters = parseBody(auditQuery, request.query);
    const rows: AuditEntry[] = [];
    let before = filters.before;
    // Cursor pages of the store's maximum, until the filter is exhausted.
    while (rows.length < AUDIT_CSV_MAX_ROWS) {
      const batch = await auth.audit.list({ ...storeQuery({ ...filters, before }), limit: CSV_BATCH });
      rows.push(...batch);
      if (batch.length < CSV_BATCH) break;
      before = batch.at(-1)!.id;
    }
    const csv = toCsv(
      ['time', 'actor', 'action', 'target', 'details'],
      rows.slice(0, AUDIT_CSV_MAX_ROWS).map((e) => ({
        time: new Date(e.time).toISOString(), actor: e.actor, action: e.action, target: e.target, details: JSON.stringify(e.details),
      })),
    );
    const day = new Date(d.clock.now()).toISOString().slice(0, 10);
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="tollgate-audit-${day}.csv"`)
      .header('Cache-Control', 'no-store')
      .send(csv);
  });
}
