// The admin API's part of /openapi.json (merged by openapi.ts): every /v1/admin JSON route, and the
// JSON answers of the dashboard's block/allow actions under /admin/mitigations. Request bodies, query
// and path parameters come from the routes' own zod schemas, so the document cannot drift from them.
import { z } from 'zod';
import { newAlertRuleSchema } from '../core/alerts/rule.ts';
import { timeRangePresets, workbookChannels } from '../core/workbook/filters.ts';
import { panels } from '../core/workbook/panels.ts';
import { MITIGATIONS_PATH } from '../pages/admin/mitigations-page.ts';
import { ADMIN_SESSION_COOKIE } from '../services/admin-auth.ts';
import { idParams as alertIdParams, historyQuery } from './routes/admin-alerts.ts';
import { tokenBody } from './routes/admin-auth.ts';
import { actionForm, addForm, idParams as mitigationIdParams } from './routes/admin-mitigations.ts';
import { addBody, idParams as reputationIdParams, listQuery } from './routes/admin-reputation.ts';
import { dashboardPanelIds, panelMeta, SUSPENSIONS } from './routes/admin-workbook-panels.ts';
import { apiQuery, CUSTOM_RANGE } from './routes/admin-workbook-query.ts';

type JsonSchema = { properties?: Record<string, unknown>; required?: string[] } & Record<string, unknown>;

const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
const json = (schema: z.ZodType) => ({ 'application/json': { schema: schemaOf(schema) } });

/** An object schema's fields as OpenAPI parameters (query or path), with optional descriptions. */
function params(where: 'query' | 'path', schema: z.ZodType, descriptions: Record<string, string> = {}) {
  const s = schemaOf(schema);
  return Object.entries(s.properties ?? {}).map(([name, property]) => ({
    name, in: where, required: where === 'path' || (s.required ?? []).includes(name), schema: property,
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
  }));
}

const errorRef = { $ref: '#/components/schemas/Error' };
const errorText: Record<number, string> = {
  400: '`invalid_request`, with `field` naming the parameter or body field at fault (unknown fields are refused).',
  401: '`unauthorized`: no valid admin API token or session (`WWW-Authenticate: Bearer`).',
  403: '`csrf_failed` (a cookie session without its CSRF token on a write) or `forbidden` (needs the admin role).',
  404: '`not_found`.',
};
/** Error responses: a status (the usual text) or [status, text]. */
function errors(...codes: (number | [number, string])[]) {
  return Object.fromEntries(codes.map((c) => {
    const [status, text] = typeof c === 'number' ? [c, errorText[c] ?? 'Error'] : c;
    return [String(status), { description: text, content: { 'application/json': { schema: errorRef } } }];
  }));
}

/** Either credential: an admin API token, or the signed-in session (with the CSRF header on writes). */
const admin = [{ adminToken: [] }, { adminSession: [] }];
/** Dashboard actions: meant for the signed-in session; a token is accepted too. */
const dashboard = [{ adminSession: [] }, { adminToken: [] }];
const noStore = ' `Cache-Control: no-store`.';

const ENTRY = '`{id, kind, value, list, createdAt, expiresAt (null: until removed), active, note, createdBy}`';
const TOKEN = '`{id, name, role, userId, createdAt, expiresAt, lastUsedAt}` (ISO 8601 times)';
const RULE_VIEW = '`{id, source ("default"|"config"|"app"), overridden, summary, lastFiredAt, firing, updatedAt, updatedBy, rule, declared}`; for viewers webhook URLs are cut to their origin';

export const adminSecuritySchemes = {
  adminToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'tg_<16 hex id>_<secret>',
    description: 'An admin API token, `Authorization: Bearer tg_…` (made with `tollgate admin token <user>` or `POST /v1/admin/tokens`); '
      + 'its role (viewer or admin) is never more than its user\'s, and it needs no CSRF token. For browser use the same routes take the '
      + `signed-in session instead (scheme adminSession: the \`${ADMIN_SESSION_COOKIE}\` cookie), and then every POST, PUT and DELETE must carry `
      + `the session's CSRF token in the \`X-CSRF-Token\` header (from \`GET /v1/admin/me\` or the page's \`<meta name="csrf">\`), else \`403 csrf_failed\`. See docs/admin.md.`,
  },
  adminSession: {
    type: 'apiKey',
    in: 'cookie',
    name: ADMIN_SESSION_COOKIE,
    description: 'The admin dashboard\'s session cookie, set by signing in at /admin/sign-in (HttpOnly, SameSite=Strict). Every POST, PUT and DELETE '
      + 'also needs the session\'s CSRF token in the `X-CSRF-Token` header (the dashboard\'s forms send a `csrf` field), else `403 csrf_failed`.',
  },
};

export const adminTags = [
  { name: 'Admin: access', description: 'Who is calling; admin API tokens (docs/admin.md).' },
  { name: 'Admin: reputation', description: 'Block and allow lists (docs/reputation.md).' },
  { name: 'Admin: workbook', description: 'The dashboard\'s panels as JSON or CSV (docs/workbook.md).' },
  { name: 'Admin: alerts', description: 'Alert rules, history and evaluation (docs/alerts.md).' },
  { name: 'Admin: dashboard actions', description: 'The dashboard\'s one-click block/allow (cookie-session endpoints answering JSON with `Accept: application/json`).' },
];

const panelList = dashboardPanelIds.map((id) => {
  const needs = id === SUSPENSIONS ? ' — current state, no time range' : panels[id].requires === 'phoneNumber' ? ' — needs `phone` or `phoneRef`' : panels[id].requires === 'ip' ? ' — needs `ip`' : '';
  return `- \`${id}\`: ${panelMeta(id).title}${needs}`;
}).join('\n');

const workbookQuery = params('query', apiQuery, {
  range: `A preset, not together with from/to: ${Object.keys(timeRangePresets).map((p) => `\`${p}\``).join(', ')} (default \`30d\`); or \`${CUSTOM_RANGE}\` (or no range) with from/to.`,
  from: 'Start of a custom range (inclusive; required with `to`): ISO 8601 (UTC without an offset) or epoch milliseconds.',
  to: 'End of a custom range (exclusive): ISO 8601 (UTC without an offset) or epoch milliseconds; default now.',
  policy: 'Only this policy (profile) id.',
  app: 'Only this app id.',
  channel: `Only this channel: ${workbookChannels.map((c) => `\`${c}\``).join(', ')}.`,
  phone: 'Drill-down subject: a phone number in international form (`+447700900123`).',
  phoneRef: 'Drill-down subject: the opaque `phoneRef` of a row (viewers see masked numbers).',
  ip: 'Drill-down subject: an IPv4 or IPv6 address.',
  limit: 'Rows, 1–10000 (default 100; time charts: the top 10 series).',
  format: '`json` (default) or `csv`; the `.csv` suffix on the panel does the same.',
});

export const adminPaths = {
  '/v1/admin/me': {
    get: {
      tags: ['Admin: access'], summary: 'Who is calling (user, role, and the CSRF token of a session)', security: admin,
      responses: { '200': { description: `\`{username, role ("viewer"|"admin"), via ("session"|"token"), canSeeFullNumbers, expiresAt, csrf?}\`; \`csrf\` (sessions only) goes in the \`X-CSRF-Token\` header of writes.${noStore}` }, ...errors(401) },
    },
  },
  '/v1/admin/tokens': {
    get: {
      tags: ['Admin: access'], summary: 'List the admin API tokens (admin role; no secrets)', security: admin,
      responses: { '200': { description: `\`{tokens: [${TOKEN} plus username]}\`.${noStore}` }, ...errors(401, [403, '`forbidden`: needs the admin role.']) },
    },
    post: {
      tags: ['Admin: access'], summary: 'Create an admin API token for the signed-in user (admin role, session only)',
      description: 'Only a signed-in user can create tokens (with the `X-CSRF-Token` header): a request made with a token is `403 forbidden`, so a leaked token cannot mint successors. The token\'s role cannot exceed the user\'s.',
      security: [{ adminSession: [] }],
      requestBody: { required: true, content: json(tokenBody) },
      responses: { '201': { description: `\`{token, ...}\`: the token (\`tg_…\`, shown once) and ${TOKEN}.${noStore}` }, ...errors(400, 401, [403, '`csrf_failed`, or `forbidden` (needs the admin role; called with a token; a role above the user\'s).']) },
    },
  },
  '/v1/admin/tokens/{id}': {
    delete: {
      tags: ['Admin: access'], summary: 'Revoke an admin API token (admin role)', security: admin,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{16}$' }, description: 'The token id (the 16 hex digits after `tg_`).' }],
      responses: { '204': { description: 'Revoked at once.' }, ...errors(401, 403, [404, '`not_found`: no such token.']) },
    },
  },
  '/v1/admin/reputation': {
    get: {
      tags: ['Admin: reputation'], summary: 'List the block and allow entries (viewer role)', security: admin,
      parameters: params('query', listQuery, { includeExpired: 'Also list expired entries (`true`/`1`).' }),
      responses: { '200': { description: `\`{entries: [${ENTRY}]}\`, oldest first.` }, ...errors(400, 401) },
    },
    post: {
      tags: ['Admin: reputation'], summary: 'Add (or update) a block or allow entry (admin role)',
      description: '`value` is checked and normalised per `kind`; `ttl` is a duration (`15m`, `1h`, `7d`) or seconds, omitted for an entry kept until removed. Recorded in the audit trail.',
      security: admin,
      requestBody: { required: true, content: json(addBody) },
      responses: { '201': { description: `The entry: ${ENTRY}.` }, ...errors(400, 401, 403) },
    },
  },
  '/v1/admin/reputation/{id}': {
    delete: {
      tags: ['Admin: reputation'], summary: 'Remove a block or allow entry (admin role)', security: admin,
      parameters: params('path', reputationIdParams, { id: 'The entry id.' }),
      responses: { '204': { description: 'Removed (and recorded in the audit trail).' }, ...errors(400, 401, 403, [404, '`not_found`: no entry has this id.']) },
    },
  },
  '/v1/admin/workbook/panels': {
    get: {
      tags: ['Admin: workbook'], summary: 'List the dashboard panels (viewer role)', security: admin,
      responses: { '200': { description: `\`{panels: [{id, title, tab, columns, timeColumns}]}\`.${noStore}` }, ...errors(401) },
    },
  },
  '/v1/admin/workbook/panels/{panel}': {
    get: {
      tags: ['Admin: workbook'], summary: 'A panel\'s rows as JSON, or as CSV with `.csv` or `format=csv` (viewer role)',
      description: `Viewers get masked numbers (JSON rows add \`phoneRef\` to drill in); admins get full numbers. The panels:\n\n${panelList}`,
      security: admin,
      parameters: [
        {
          name: 'panel', in: 'path', required: true,
          description: 'A panel id, optionally with `.csv` (or `.json`) appended to pick the format.',
          schema: { type: 'string', enum: [...dashboardPanelIds, ...dashboardPanelIds.map((id) => `${id}.csv`)] },
        },
        ...workbookQuery,
      ],
      responses: {
        '200': {
          description: `JSON: \`{panel, title, tab, filters: {range?, from, to, policy?, app?, channel?, ip?}, fullNumbers, columns, rows}\`. CSV: RFC 4180 with a header line of the columns, times in ISO 8601, \`Content-Disposition: attachment; filename="tollgate-{panel}-{from}-{to}.csv"\`.${noStore}`,
          content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'string' } } },
        },
        ...errors(400, 401, [404, '`not_found`: no such panel.']),
      },
    },
  },
  '/v1/admin/alerts/rules': {
    get: {
      tags: ['Admin: alerts'], summary: 'List the alert rules (viewer role)', security: admin,
      responses: { '200': { description: `\`{rules: [rule view]}\`, ordered by id; a rule view is ${RULE_VIEW}.${noStore}` }, ...errors(401) },
    },
    post: {
      tags: ['Admin: alerts'], summary: 'Create an alert rule (admin role)',
      description: '`id` may be left out (one is made from the name); an id in use is `400` with `field: "id"`. A `csrf` field is accepted (and dropped) for cookie sessions. Rules: docs/alerts.md.',
      security: admin,
      requestBody: { required: true, content: json(newAlertRuleSchema) },
      responses: { '201': { description: `The rule view: ${RULE_VIEW}.${noStore}` }, ...errors(400, 401, 403) },
    },
  },
  '/v1/admin/alerts/rules/{id}': {
    get: {
      tags: ['Admin: alerts'], summary: 'One alert rule (viewer role)', security: admin,
      parameters: params('path', alertIdParams, { id: 'The rule id.' }),
      responses: { '200': { description: `The rule view: ${RULE_VIEW}.${noStore}` }, ...errors(401, [404, '`not_found`: no alert rule has this id.']) },
    },
    put: {
      tags: ['Admin: alerts'], summary: 'Replace an alert rule (admin role)',
      description: 'The whole rule; the id may be repeated, not changed. For a default or configured rule this stores the app\'s version as its override.',
      security: admin,
      parameters: params('path', alertIdParams, { id: 'The rule id.' }),
      requestBody: { required: true, content: json(newAlertRuleSchema) },
      responses: { '200': { description: `The rule view: ${RULE_VIEW}.${noStore}` }, ...errors(400, 401, 403, [404, '`not_found`: no alert rule has this id.']) },
    },
    delete: {
      tags: ['Admin: alerts'], summary: 'Delete an app rule, or reset an overridden declared rule (admin role)', security: admin,
      parameters: params('path', alertIdParams, { id: 'The rule id.' }),
      responses: {
        '200': { description: `\`{result: "deleted"}\`, or \`{result: "reset", rule: rule view}\` for an overridden default or configured rule.${noStore}` },
        ...errors([400, '`invalid_request` (`field: "id"`): a declared rule without override cannot be deleted (disable it).'], 401, 403, [404, '`not_found`: no alert rule has this id.']),
      },
    },
  },
  '/v1/admin/alerts/history': {
    get: {
      tags: ['Admin: alerts'], summary: 'Alert notifications, newest first (viewer role)', security: admin,
      parameters: params('query', historyQuery, {
        limit: 'Entries, 1–1000 (default 100).',
        ruleId: 'Only this rule\'s notifications.',
        before: 'Entries older than this (paging): ISO 8601 or epoch milliseconds.',
      }),
      responses: { '200': { description: `\`{entries: [{id, time, ruleId, ruleName, kind ("fired"|"resolved"), metric, groupBy, group, value, threshold, comparison, volume, actions: [{type, target, ok, detail}]}]}\`; phone numbers masked for viewers.${noStore}` }, ...errors(400, 401) },
    },
  },
  '/v1/admin/alerts/evaluate': {
    post: {
      tags: ['Admin: alerts'], summary: 'Evaluate every enabled rule now and run the actions (admin role)', security: admin,
      responses: { '200': { description: `\`{evaluatedAt, firings: [{historyId, kind, ruleId, ruleName, groupBy, group, value, threshold, volume, actions}]}\`: this run's notifications only.${noStore}` }, ...errors(401, 403) },
    },
  },
  [MITIGATIONS_PATH]: {
    post: {
      tags: ['Admin: dashboard actions'], summary: 'Block or allow a value for a while, from the dashboard (admin role, cookie session)',
      description: 'The dashboard\'s one-click block/allow: meant for the signed-in session (CSRF token as `X-CSRF-Token` or the `csrf` field); an admin API token is accepted too. Send `Accept: application/json` for the JSON answers below; otherwise the route answers a browser form with a `303` redirect or a page. `ttl` is required, at most 30 days; an already listed value has its entry updated. For scripted, lasting changes use `POST /v1/admin/reputation`.',
      security: dashboard,
      requestBody: { required: true, content: { ...json(addForm), 'application/x-www-form-urlencoded': { schema: schemaOf(addForm) } } },
      responses: { '201': { description: `The entry (as \`POST /v1/admin/reputation\`): ${ENTRY}.${noStore}` }, '303': { description: 'Without `Accept: application/json`: back to the page.' }, ...errors(400, 401, 403) },
    },
  },
  [`${MITIGATIONS_PATH}/{id}/undo`]: {
    post: {
      tags: ['Admin: dashboard actions'], summary: 'Undo the latest dashboard add of an entry (admin role, cookie session)',
      description: 'Removes the entry, or, when the add had updated an entry already listed, puts that entry back as it was. `Accept: application/json` for the `204`; otherwise a `303` redirect.',
      security: dashboard,
      parameters: params('path', mitigationIdParams, { id: 'The entry id.' }),
      requestBody: { required: false, content: { ...json(actionForm), 'application/x-www-form-urlencoded': { schema: schemaOf(actionForm) } } },
      responses: { '204': { description: 'Undone (recorded in the audit trail).' }, '303': { description: 'Without `Accept: application/json`: back where the action started.' }, ...errors(400, 401, 403, [404, '`not_found`: the entry was already removed.']) },
    },
  },
  [`${MITIGATIONS_PATH}/{id}/remove`]: {
    post: {
      tags: ['Admin: dashboard actions'], summary: 'Remove an entry from the dashboard (admin role, cookie session)',
      description: '`Accept: application/json` for the `204`; otherwise a `303` redirect to the page.',
      security: dashboard,
      parameters: params('path', mitigationIdParams, { id: 'The entry id.' }),
      requestBody: { required: false, content: { ...json(actionForm), 'application/x-www-form-urlencoded': { schema: schemaOf(actionForm) } } },
      responses: { '204': { description: 'Removed (recorded in the audit trail).' }, '303': { description: 'Without `Accept: application/json`: back to the page.' }, ...errors(400, 401, 403, [404, '`not_found`: the entry was already removed.']) },
    },
  },
};
