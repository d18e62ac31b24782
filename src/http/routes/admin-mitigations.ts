// One-click, time-boxed block/allow from the dashboard, with undo, and the "Blocks & allows" page:
//   GET  /admin/mitigations                  the page (viewer)
//   POST /admin/mitigations                  add an entry (admin, CSRF): 303 to the page, or 201 JSON
//   POST /admin/mitigations/:id/undo         undo an add (admin, CSRF): 303 back, or 204
//   POST /admin/mitigations/:id/remove       remove an entry (admin, CSRF): 303 to the page, or 204
// Forms get pages (errors shown on the page, with the status); `Accept: application/json` gets the
// API's JSON. Every change goes through the reputation service and into the audit trail.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type AuditEntry, reputationAudit, type ReputationPrevious } from '../../core/admin/audit.ts';
import { parseTtl, reputationKinds, reputationListNames, validateEntry } from '../../core/defense/reputation-values.ts';
import { TollgateError } from '../../core/errors.ts';
import {
  type EndedEntry, type MitigationFormValues, type MitigationNotice, MITIGATIONS_PATH, renderMitigationsPage,
} from '../../pages/admin/mitigations-page.ts';
import { applyPageHeaders } from '../../pages/security-headers.ts';
import type { ReputationEntry } from '../../ports.ts';
import type { AdminAuth, AdminPrincipal } from '../../services/admin-auth.ts';
import { isActive, type ReputationService } from '../../services/reputation-service.ts';
import { parseBody } from '../errors.ts';
import { safeAdminNext, signInRedirect } from './admin-auth.ts';
import { entryJson } from './admin-reputation.ts';

export interface AdminMitigationsDeps {
  reputation: ReputationService;
  auth: AdminAuth;
  /** Writes an entry back as it was (the undo of an add that updated an already listed value). */
  restore(entry: ReputationEntry): Promise<void>;
}

/** Dashboard blocks are time-boxed: at most 30 days (longer ones go through the API or the CLI). */
export const MAX_MITIGATION_TTL_SECONDS = 30 * 86_400;
/** How far back the page lists expired and removed entries. */
const ENDED_WINDOW_MS = 7 * 86_400_000;
const MAX_ENDED = 100;

export const addForm = z.object({
  kind: z.enum(reputationKinds, { error: `must be one of ${reputationKinds.join(', ')}` }),
  value: z.string({ error: 'a value is required' }).trim().min(1, { error: 'a value is required' }).max(100),
  list: z.enum(reputationListNames, { error: 'must be block or allow' }),
  ttl: z.union([z.string().trim().min(1).max(20), z.number()], { error: 'how long is required: 15m, 1h, 24h, 7d, … (at most 30 days)' }),
  note: z.string().trim().max(400).optional(),
  returnTo: z.string().max(512).optional(),
  // The CSRF token is checked by requireRole; it is only allowed here.
  csrf: z.unknown().optional(),
});

export const actionForm = z.object({ returnTo: z.string().max(512).optional(), csrf: z.unknown().optional() });

export const idParams = z.object({ id: z.string().min(1).max(100) });

// The page ignores what it cannot use in its query: a stale or hand-edited link still shows the lists.
const optionalId = z.string().min(1).max(100).optional().catch(undefined);
const pageQuery = z.object({ done: optionalId, undone: optionalId, removed: optionalId, returnTo: z.string().max(512).optional().catch(undefined) });

/** Scripts asking for JSON get the API's answers and error shape; browsers get pages. */
export function wantsJson(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  return accept.includes('application/json') && !accept.includes('text/html');
}

function bodyField(request: FastifyRequest, name: string): string | undefined {
  const body = request.body as Record<string, unknown> | null | undefined;
  const value = body && typeof body === 'object' ? body[name] : undefined;
  return typeof value === 'string' ? value.slice(0, 512) : undefined;
}

function readPrevious(value: unknown): ReputationPrevious | null {
  if (!value || typeof value !== 'object') return null;
  const p = value as Record<string, unknown>;
  const expiresAt = p.expiresAt === null || typeof p.expiresAt === 'number' ? p.expiresAt : undefined;
  if (expiresAt === undefined || typeof p.note !== 'string' || typeof p.createdBy !== 'string') return null;
  return { expiresAt, note: p.note, createdBy: p.createdBy };
}

/** The entry an audit record describes (details written by reputationAudit); null when malformed. */
function entryFromAudit(a: AuditEntry): Omit<EndedEntry, 'endedAt' | 'how' | 'by'> & { expiresAt: number | null } | null {
  const d = a.details;
  if (!(reputationKinds as readonly unknown[]).includes(d.kind) || typeof d.value !== 'string') return null;
  if (d.list !== 'block' && d.list !== 'allow') return null;
  return {
    id: a.target, kind: d.kind as EndedEntry['kind'], value: d.value, list: d.list,
    note: typeof d.note === 'string' ? d.note : '', createdBy: typeof d.createdBy === 'string' ? d.createdBy : '',
    expiresAt: typeof d.expiresAt === 'number' ? d.expiresAt : null,
  };
}

export async function registerAdminMitigations(app: FastifyInstance, d: AdminMitigationsDeps): Promise<void> {
  const { auth, reputation } = d;
  const now = () => reputation.clock.now();
  const findEntry = async (id: string) => (await reputation.list({ includeExpired: true })).find((e) => e.id === id) ?? null;

  async function ended(at: number): Promise<EndedEntry[]> {
    const since = at - ENDED_WINDOW_MS;
    const expired: EndedEntry[] = (await reputation.list({ includeExpired: true }))
      .filter((e) => !isActive(e, at) && e.expiresAt !== null && e.expiresAt >= since)
      .map((e) => ({ id: e.id, kind: e.kind, value: e.value, list: e.list, note: e.note, createdBy: e.createdBy, endedAt: e.expiresAt!, how: 'expired', by: null }));
    const removed: EndedEntry[] = [];
    for (const a of await auth.audit.list({ action: 'reputation_remove', since, limit: MAX_ENDED })) {
      const e = entryFromAudit(a);
      if (e) removed.push({ ...e, endedAt: a.time, how: 'removed', by: a.actor });
    }
    // Newest first, once per value: a value blocked and undone five times is one line, not five.
    const seen = new Set<string>();
    return [...expired, ...removed]
      .sort((x, y) => y.endedAt - x.endedAt)
      .filter((e) => {
        const key = `${e.list} ${e.kind} ${e.value}`;
        return seen.has(key) ? false : (seen.add(key), true);
      })
      .slice(0, MAX_ENDED);
  }

  async function notice(query: z.infer<typeof pageQuery>, active: ReputationEntry[]): Promise<MitigationNotice | null> {
    const returnTo = safeAdminNext(query.returnTo);
    if (query.done) {
      const entry = await findEntry(query.done);
      const lastAdd = (await auth.audit.list({ target: query.done, action: 'reputation_add', limit: 1 }))[0];
      const facts = entry ?? (lastAdd ? entryFromAudit(lastAdd) : null);
      if (!facts) return null;
      const live = entry !== null && isActive(entry, now());
      return {
        action: 'done', entry: facts, active: live, returnTo,
        ttlSeconds: typeof lastAdd?.details.ttl === 'number' ? lastAdd.details.ttl : null,
        extended: readPrevious(lastAdd?.details.previous) !== null,
        restored: false,
        allowWins: live && facts.list === 'block' && active.some((e) => e.list === 'allow' && e.kind === facts.kind && e.value === facts.value),
      };
    }
    const id = query.undone ?? query.removed;
    if (!id) return null;
    const change = (await auth.audit.list({ target: id, limit: 10 })).find((a) => a.action === 'reputation_remove' || a.action === 'reputation_restore');
    const facts = change ? entryFromAudit(change) : null;
    if (!change || !facts) return null;
    return {
      action: query.undone ? 'undone' : 'removed', entry: facts, active: false, returnTo,
      ttlSeconds: null, extended: false, restored: change.action === 'reputation_restore', allowWins: false,
    };
  }

  async function sendPage(
    reply: FastifyReply,
    me: AdminPrincipal,
    status: number,
    extra: { query?: z.infer<typeof pageQuery>; error?: { code: string; message: string; field?: string }; form?: MitigationFormValues } = {},
  ) {
    const at = now();
    const active = (await reputation.list()).sort((a, b) => b.createdAt - a.createdAt);
    const page = renderMitigationsPage({
      user: me.user, csrf: me.csrf ?? '', now: at, active, ended: await ended(at),
      notice: extra.query ? await notice(extra.query, active) : null,
      error: extra.error ?? null,
      form: extra.form,
    });
    return applyPageHeaders(reply).code(status).send(page);
  }

  /**
   * A refused form post: JSON callers get the API error; a signed-out browser goes to sign-in and
   * comes back to the page it started from; anyone else sees this page with the reason.
   */
  async function refuse(request: FastifyRequest, reply: FastifyReply, err: unknown, form?: MitigationFormValues) {
    if (!(err instanceof TollgateError) || wantsJson(request)) throw err;
    const me = await auth.principal(request);
    if (!me || err.code === 'unauthorized') {
      const next = safeAdminNext(bodyField(request, 'returnTo')) ?? MITIGATIONS_PATH;
      return reply.code(303).redirect(`/admin/sign-in?next=${encodeURIComponent(next)}`);
    }
    const message = err.code === 'forbidden' ? 'Blocking and allowing need the admin role.' : err.message;
    return sendPage(reply, me, err.status, { error: { code: err.code, message, field: err.steering.field }, form });
  }

  app.get(MITIGATIONS_PATH, async (request, reply) => {
    let me: AdminPrincipal;
    try {
      me = await auth.requireRole(request, 'viewer');
    } catch (err) {
      if (err instanceof TollgateError && err.code === 'unauthorized' && !wantsJson(request)) return signInRedirect(request, reply);
      throw err;
    }
    return sendPage(reply, me, 200, { query: pageQuery.safeParse(request.query ?? {}).data ?? {} });
  });

  app.post(MITIGATIONS_PATH, async (request, reply) => {
    const form: MitigationFormValues = {
      kind: bodyField(request, 'kind'), value: bodyField(request, 'value'), list: bodyField(request, 'list'),
      ttl: bodyField(request, 'ttl'), note: bodyField(request, 'note'),
    };
    try {
      // Who first (401/403 before anything about the input), then the input.
      const me = await auth.requireRole(request, 'admin');
      const body = parseBody(addForm, request.body);
      const value = validateEntry(body.kind, body.value);
      const ttlSeconds = parseTtl(body.ttl, 'ttl');
      if (ttlSeconds > MAX_MITIGATION_TTL_SECONDS) {
        throw new TollgateError('invalid_request', 'ttl is longer than 30 days; use the admin API or the CLI for longer entries', { field: 'ttl' });
      }
      // An add of an already listed value updates that entry: remember it, so Undo can put it back.
      const existing = (await reputation.list()).find((e) => e.kind === body.kind && e.value === value && e.list === body.list);
      const note = `from the dashboard by ${me.user.username}${body.note ? `: ${body.note}` : ''}`;
      const entry = await reputation.add({ kind: body.kind, value, list: body.list, ttlSeconds, note, createdBy: `dashboard:${me.actor}` });
      const previous = existing ? { expiresAt: existing.expiresAt, note: existing.note, createdBy: existing.createdBy } : undefined;
      await auth.audit.record(reputationAudit(me.actor, 'reputation_add', entry, 'dashboard', { ttlSeconds, previous }));
      if (wantsJson(request)) return reply.header('Cache-Control', 'no-store').code(201).send(entryJson(entry, now()));
      const returnTo = safeAdminNext(body.returnTo);
      return reply.code(303).redirect(`${MITIGATIONS_PATH}?done=${encodeURIComponent(entry.id)}${returnTo ? `&returnTo=${encodeURIComponent(returnTo)}` : ''}`);
    } catch (err) {
      return refuse(request, reply, err, form);
    }
  });

  app.post(`${MITIGATIONS_PATH}/:id/undo`, async (request, reply) => {
    try {
      const me = await auth.requireRole(request, 'admin');
      const { id } = parseBody(idParams, request.params);
      const body = parseBody(actionForm, request.body);
      const entry = await findEntry(id);
      if (!entry) throw new TollgateError('not_found', 'There is no such entry any more: it was already removed.', { field: 'id' });
      const lastAdd = (await auth.audit.list({ target: id, action: 'reputation_add', limit: 1 }))[0];
      const previous = readPrevious(lastAdd?.details.previous);
      if (previous) {
        // The add updated an entry that was already there: undo puts that entry back as it was.
        const restored = { ...entry, ...previous };
        await d.restore(restored);
        reputation.invalidate();
        await auth.audit.record(reputationAudit(me.actor, 'reputation_restore', restored, 'dashboard', { undo: true }));
      } else {
        if (!(await reputation.remove(id))) throw new TollgateError('not_found', 'There is no such entry any more: it was already removed.', { field: 'id' });
        await auth.audit.record(reputationAudit(me.actor, 'reputation_remove', entry, 'dashboard', { undo: true }));
      }
      if (wantsJson(request)) return reply.header('Cache-Control', 'no-store').code(204).send();
      // Back where the action started; from this page itself, to the page saying what was undone.
      const returnTo = safeAdminNext(body.returnTo);
      const here = !returnTo || returnTo.split('?')[0] === MITIGATIONS_PATH;
      return reply.code(303).redirect(here ? `${MITIGATIONS_PATH}?undone=${encodeURIComponent(id)}` : returnTo);
    } catch (err) {
      return refuse(request, reply, err);
    }
  });

  app.post(`${MITIGATIONS_PATH}/:id/remove`, async (request, reply) => {
    try {
      const me = await auth.requireRole(request, 'admin');
      const { id } = parseBody(idParams, request.params);
      parseBody(actionForm, request.body);
      const entry = await findEntry(id);
      if (!entry || !(await reputation.remove(id))) throw new TollgateError('not_found', 'There is no such entry any more: it was already removed.', { field: 'id' });
      await auth.audit.record(reputationAudit(me.actor, 'reputation_remove', entry, 'dashboard'));
      if (wantsJson(request)) return reply.header('Cache-Control', 'no-store').code(204).send();
      return reply.code(303).redirect(`${MITIGATIONS_PATH}?removed=${encodeURIComponent(id)}`);
    } catch (err) {
      return refuse(request, reply, err);
    }
  });
}
