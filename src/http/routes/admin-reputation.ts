// Admin API for the reputation lists: GET/POST /v1/admin/reputation, DELETE /v1/admin/reputation/:id.
// Authentication is the caller's `adminAuth` (admin API keys); it runs before any validation so
// an unauthenticated caller learns nothing about the lists or the accepted values. Every add and
// removal is recorded in the admin audit trail (`reputation_add`, `reputation_remove`).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type AuditRecord, reputationAudit } from '../../core/admin/audit.ts';
import { TollgateError } from '../../core/errors.ts';
import { parseTtl, reputationKinds, reputationListNames } from '../../core/defense/reputation-values.ts';
import type { ReputationEntry } from '../../ports.ts';
import { isActive, MAX_NOTE_LENGTH, type ReputationService } from '../../services/reputation-service.ts';
import { parseBody } from '../errors.ts';

export interface AdminReputationDeps {
  reputation: ReputationService;
  /** Who is calling (for createdBy), at least in `role`; throws TollgateError 401/403 otherwise. */
  adminAuth(request: FastifyRequest, role: 'viewer' | 'admin'): string | Promise<string>;
  /** Where every change is recorded (the admin audit trail). */
  audit: ReputationAuditLog;
}

export interface ReputationAuditLog {
  record(entry: AuditRecord): Promise<unknown>;
}

export const addBody = z.strictObject({
  kind: z.enum(reputationKinds),
  value: z.string().min(1).max(100),
  list: z.enum(reputationListNames),
  /** `15m`, `1h`, `7d`, … or seconds; omit to list until removed. */
  ttl: z.union([z.string().max(20), z.number()]).optional(),
  note: z.string().max(MAX_NOTE_LENGTH).optional(),
});

export const listQuery = z.strictObject({
  includeExpired: z.enum(['true', 'false', '1', '0']).optional(),
});

export const idParams = z.object({ id: z.string().min(1).max(100) });

export function entryJson(e: ReputationEntry, now: number) {
  return {
    id: e.id,
    kind: e.kind,
    value: e.value,
    list: e.list,
    createdAt: new Date(e.createdAt).toISOString(),
    expiresAt: e.expiresAt === null ? null : new Date(e.expiresAt).toISOString(),
    active: isActive(e, now),
    note: e.note,
    createdBy: e.createdBy,
  };
}

export async function registerAdminReputation(app: FastifyInstance, d: AdminReputationDeps): Promise<void> {
  const now = () => d.reputation.clock.now();
  
  app.get('/v1/admin/reputation', async (request) => {
    await d.adminAuth(request, 'viewer');
    const query = parseBody(listQuery, request.query);
    const includeExpired = query.includeExpired === 'true' || query.includeExpired === '1';
    const entries = await d.reputation.list({ includeExpired });
    const at = now();
    return { entries: entries.map((e) => entryJson(e, at)) };
  });

  app.post('/v1/admin/reputation', async (request, reply) => {
    const who = await d.adminAuth(request, 'admin');
    const body = parseBody(addBody, request.body);
    const ttlSeconds = body.ttl === undefined ? undefined : parseTtl(body.ttl, 'ttl');
    const entry = await d.reputation.add({
      kind: body.kind, value: body.value, list: body.list, ttlSeconds, note: body.note, createdBy: `api:${who}`,
    });
    await d.audit.record(reputationAudit(who, 'reputation_add', entry, 'api', { ttlSeconds }));
    reply.code(201);
    return entryJson(entry, now());
  });

  app.delete('/v1/admin/reputation/:id', async (request, reply) => {
    const who = await d.adminAuth(request, 'admin');
    const { id } = parseBody(idParams, request.params);
    // Read first: the audit entry says what was removed, not just its id.
    const entry = (await d.reputation.list({ includeExpired: true })).find((e) => e.id === id);
    if (!entry || !(await d.reputation.remove(id))) throw new TollgateError('not_found', 'No reputation entry has this id.', { field: 'id' });
    await d.audit.record(reputationAudit(who, 'reputation_remove', entry, 'api'));
    reply.code(204).send();
  });
}
