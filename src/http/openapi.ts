// The OpenAPI 3.1 description served at /openapi.json. Request bodies come from the same zod
// schemas the routes validate with, so the two cannot drift. The admin API is in openapi-admin.ts.
import { z } from 'zod';
import { reasonDescriptions } from '../core/events/reason-codes.ts';
import { adminPaths, adminSecuritySchemes, adminTags } from './openapi-admin.ts';
import { createSessionBody, sendBody, totpConfirmBody, totpEnrollmentBody, totpSessionBody, verificationBody, verificationCheckBody, verifyBody } from './schemas.ts';

const json = (schema: z.ZodType) => ({ 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } });
const errorRef = { $ref: '#/components/schemas/Error' };
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: 'Error', content: { 'application/json': { schema: errorRef } } }]));
const bearer = [{ appKey: [] }];
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Session id (an unguessable capability).' }];

export function openApiDocument(publicUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tollgate API',
      version: '0.1.0',
      description: 'Phone-factor sessions (enroll or verify a phone number by SMS or voice code, or verify by an email code or an authenticator app), authenticator-app enrollment, a Twilio-Verify-style code check pair, and signed results; and the admin API (`/v1/admin/…`: access tokens, reputation lists, workbook panels, alerts) for automation with admin API tokens. See docs/api.md, docs/factors.md and docs/admin.md.',
    },
    servers: [{ url: publicUrl }],
    tags: adminTags,
    components: {
      securitySchemes: { appKey: { type: 'http', scheme: 'bearer', description: 'The app API key.' }, ...adminSecuritySchemes },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', enum: Object.keys(reasonDescriptions) },
                message: { type: 'string' },
                attemptsLeft: { type: 'integer' },
                sendsLeft: { type: 'integer' },
                retryAfter: { type: 'integer', description: 'Seconds before retrying.' },
                alternatives: { type: 'array', items: { type: 'string' } },
                field: { type: 'string' },
              },
            },
          },
        },
      },
    },
    paths: {
      '/v1/phone-factor/sessions': {
        post: {
          summary: 'Start a phone-factor session',
          security: bearer,
          requestBody: { required: true, content: json(createSessionBody) },
          responses: { '201': { description: 'Created: `{id, url, status, expiresAt}`; send the user to `url` or drive it headless.' }, ...errors(400, 401, 422) },
        },
      },
      '/v1/phone-factor/sessions/{id}': {
        get: { summary: 'Session status (with mapped claims and the signed result once verified)', security: bearer, parameters: idParam, responses: { '200': { description: '`{status, claims?, result?}`' }, ...errors(401, 404) } },
      },
      '/v1/phone-factor/sessions/{id}/send': {
        post: { summary: 'Send a code to a registered (phoneIndex) or entered (phoneNumber) number, or by email (channel email)', parameters: idParam, requestBody: { required: true, content: json(sendBody) }, responses: { '200': { description: '`{status:"code_sent", channel, to (masked number or address), expiresAt, attemptsLeft, sendsLeft, retryAfter}`' }, ...errors(400, 403, 404, 409, 410, 422, 428, 429, 502) } },
      },
      '/v1/phone-factor/sessions/{id}/totp': {
        post: { summary: 'Verify with the authenticator app (code) or a recovery code', parameters: idParam, requestBody: { required: true, content: json(totpSessionBody) }, responses: { '200': { description: '`{status:"verified", result:<JWT>, redirectTo}`' }, ...errors(400, 404, 409, 410, 422, 429) } },
      },
      '/v1/factors/totp/enrollments': {
        post: { summary: "Start enrolling a user's authenticator app", security: bearer, requestBody: { required: true, content: json(totpEnrollmentBody) }, responses: { '201': { description: '`{enrollmentId, uri (otpauth://), qrSvgDataUrl, secret (base32)}`, Cache-Control: no-store' }, ...errors(400, 401, 404) } },
      },
      '/v1/factors/totp/enrollments/{enrollmentId}/confirm': {
        post: {
          summary: 'Confirm an enrollment with the first code from the app',
          security: bearer,
          parameters: [{ name: 'enrollmentId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: json(totpConfirmBody) },
          responses: { '200': { description: '`{status:"active", recoveryCodes:[…]}` (shown once)' }, ...errors(400, 401, 404, 422, 429) },
        },
      },
      '/v1/factors/totp': {
        delete: {
          summary: "Remove a user's authenticator app (secret and recovery codes wiped)",
          security: bearer,
          parameters: [{ name: 'userId', in: 'query', required: true, schema: { type: 'string' }, description: 'The UserId claim.' }],
          responses: { '200': { description: '`{status:"disabled"}`' }, ...errors(400, 401, 404) },
        },
      },
      '/v1/phone-factor/sessions/{id}/verify': {
        post: { summary: 'Check the code', parameters: idParam, requestBody: { required: true, content: json(verifyBody) }, responses: { '200': { description: '`{status:"verified", result:<JWT>, redirectTo}`' }, ...errors(400, 404, 409, 410, 422, 429) } },
      },
      '/v1/phone-factor/sessions/{id}/cancel': {
        post: { summary: 'The user gives up', parameters: idParam, responses: { '200': { description: '`{status:"failed", reason:"user_cancelled", redirectTo}`' }, ...errors(404, 409, 410) } },
      },
      '/v1/verifications': {
        post: { summary: 'Start (or resend) a verification for a number', security: bearer, requestBody: { required: true, content: json(verificationBody) }, responses: { '201': { description: '`{sid, to, channel, status:"pending", expiresAt, sendsLeft, attemptsLeft}`' }, ...errors(400, 401, 403, 422, 429, 502) } },
      },
      '/v1/verification-checks': {
        post: { summary: 'Check a code for a number', security: bearer, requestBody: { required: true, content: json(verificationCheckBody) }, responses: { '200': { description: '`{sid, to, status:"approved", valid:true, result}`' }, ...errors(400, 401, 404, 410, 422, 429) } },
      },
      '/.well-known/jwks.json': { get: { summary: 'Public keys of result tokens (ES256)', responses: { '200': { description: 'JWKS' } } } },
      '/healthz': { get: { summary: 'Liveness and storage check', responses: { '200': { description: '`{status:"ok"}`' } } } },
      ...adminPaths,
    },
  };
}
