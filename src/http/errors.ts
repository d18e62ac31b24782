// Maps every failure to `{error:{code, message, ...steering}}` with a 4xx/5xx status. Nothing else
// (no stack, no framework text) reaches the client.
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ZodError } from 'zod';
import { TollgateError } from '../core/errors.ts';

export function fromZod(err: ZodError): TollgateError {
  const issue = err.issues[0];
  const field = issue?.path.join('.') || undefined;
  return new TollgateError('invalid_request', issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'Invalid request body.', { field });
}

export function parseBody<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError } }, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw fromZod(r.error);
  return r.data;
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | TollgateError, request, reply) => {
    let e: TollgateError;
    if (err instanceof TollgateError) e = err;
    else if (err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') e = new TollgateError('payload_too_large');
    else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') e = new TollgateError('invalid_request', 'Unsupported Content-Type; send application/json.');
    else if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') e = new TollgateError('invalid_request', 'The JSON body is empty.');
    else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) e = new TollgateError('invalid_request', 'The request body could not be parsed.');
    else {
      request.log.error({ err }, 'unhandled error');
      e = new TollgateError('internal_error');
    }
    if (e.steering.retryAfter !== undefined) reply.header('Retry-After', String(e.steering.retryAfter));
    if (e.code === 'unauthorized') reply.header('WWW-Authenticate', 'Bearer');
    reply.code(e.status).type('application/json; charset=utf-8').send(e.toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(new TollgateError('not_found', `No route ${request.method} ${request.url.split('?')[0]}`).toJSON());
  });
}
