// `Authorization: Bearer <app API key>` for the server-to-server API.
import type { FastifyRequest } from 'fastify';
import { TollgateError } from '../core/errors.ts';
import type { AppRegistry, RegisteredApp } from '../services/apps.ts';

export function bearerToken(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S{1,512})$/i.exec(h.trim());
  return m ? m[1]! : null;
}

export function requireApp(request: FastifyRequest, apps: AppRegistry): RegisteredApp {
  const token = bearerToken(request);
  if (!token) throw new TollgateError('unauthorized', 'Send the app API key as `Authorization: Bearer <key>`.');
  const app = apps.authenticate(token);
  if (!app) throw new TollgateError('unauthorized', 'Unknown API key.');
  return app;
}

/** The calling app when a valid key is present; null when none is sent; 401 when a wrong one is. */
export function optionalApp(request: FastifyRequest, apps: AppRegistry): RegisteredApp | null {
  return bearerToken(request) ? requireApp(request, apps) : null;
}
