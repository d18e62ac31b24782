// Who the end user is (IP, user agent). Taken from the connection (X-Forwarded-For only through a
// configured trusted proxy, which Fastify's trustProxy applies), or from the `client` field when an
// authenticated app relays its user's details.
import type { FastifyRequest } from 'fastify';
import type { ClientInfo } from '../core/flows/session.ts';

export function clientInfoFrom(request: FastifyRequest, relayed?: { ip?: string | null; userAgent?: string | null } | null): ClientInfo {
  const header = request.headers['user-agent'];
  return {
    ip: relayed?.ip ?? request.ip ?? null,
    userAgent: relayed?.userAgent ?? (typeof header === 'string' ? header.slice(0, 1024) : null),
  };
}
