// Row shapes of the SQLite tables and their mapping to and from the port's objects (snake_case
// columns, JSON text for the session body and event details).
import type { Channel, EventType, Outcome, TollgateEvent } from '../../core/events/event.ts';
import type { ReasonCode } from '../../core/events/reason-codes.ts';
import type { PhoneFactorSession } from '../../core/flows/session.ts';
import type { OutboxMessage, ReputationEntry, ReputationKind, SigningKeyRecord } from '../../ports.ts';

export interface SessionRow {
  version: number;
  body: string;
}

export function sessionFromRow(row: SessionRow): PhoneFactorSession {
  const session = JSON.parse(row.body) as PhoneFactorSession;
  // The column is the source of truth for the version (the body is written with it, but be sure).
  session.version = row.version;
  return session;
}

/** Named parameters for the sessions table (without version, which each statement sets). */
export function sessionParams(session: PhoneFactorSession) {
  return {
    id: session.id,
    app_id: session.appId,
    kind: session.kind,
    status: session.status,
    selected_number: session.selectedNumber,
    expires_at: session.expiresAt,
    created_at: session.createdAt,
    updated_at: session.updatedAt,
    body: JSON.stringify(session),
  };
}

export interface EventRow {
  id: string;
  time: number;
  type: string;
  outcome: string;
  reason: string;
  reason_description: string;
  app_id: string | null;
  policy_id: string | null;
  profile_id: string | null;
  session_id: string | null;
  user_id_hash: string | null;
  phone_number: string | null;
  country_calling_code: string | null;
  phone_region: string | null;
  channel: string | null;
  ip: string | null;
  user_agent: string | null;
  browser: string | null;
  browser_version: string | null;
  os: string | null;
  os_version: string | null;
  device_type: string | null;
  cost: number;
  currency: string;
  correlation_id: string | null;
  details: string;
}

export const eventColumns = [
  'id', 'time', 'type', 'outcome', 'reason', 'reason_description', 'app_id', 'policy_id', 'profile_id',
  'session_id', 'user_id_hash', 'phone_number', 'country_calling_code', 'phone_region', 'channel', 'ip',
  'user_agent', 'browser', 'browser_version', 'os', 'os_version', 'device_type', 'cost', 'currency',
  'correlation_id', 'details',
] as const satisfies readonly (keyof EventRow)[];

export function eventToRow(e: TollgateEvent): EventRow {
  return {
    id: e.id,
    time: e.time,
    type: e.type,
    outcome: e.outcome,
    reason: e.reason,
    reason_description: e.reasonDescription,
    app_id: e.appId,
    policy_id: e.policyId,
    profile_id: e.profileId,
    session_id: e.sessionId,
    user_id_hash: e.userIdHash,
    phone_number: e.phoneNumber,
    country_calling_code: e.countryCallingCode,
    phone_region: e.phoneRegion,
    channel: e.channel,
    ip: e.ip,
    user_agent: e.userAgent,
    browser: e.browser,
    browser_version: e.browserVersion,
    os: e.os,
    os_version: e.osVersion,
    device_type: e.deviceType,
    cost: e.cost,
    currency: e.currency,
    correlation_id: e.correlationId,
    details: JSON.stringify(e.details ?? {}),
  };
}

export function eventFromRow(r: EventRow): TollgateEvent {
  return {
    id: r.id,
    time: r.time,
    type: r.type as EventType,
    outcome: r.outcome as Outcome,
    reason: r.reason as ReasonCode,
    reasonDescription: r.reason_description,
    appId: r.app_id,
    policyId: r.policy_id,
    profileId: r.profile_id,
    sessionId: r.session_id,
    userIdHash: r.user_id_hash,
    phoneNumber: r.phone_number,
    countryCallingCode: r.country_calling_code,
    phoneRegion: r.phone_region,
    channel: r.channel as Channel | null,
    ip: r.ip,
    userAgent: r.user_agent,
    browser: r.browser,
    browserVersion: r.browser_version,
    os: r.os,
    osVersion: r.os_version,
    deviceType: r.device_type,
    cost: r.cost,
    currency: r.currency,
    correlationId: r.correlation_id,
    details: JSON.parse(r.details) as Record<string, unknown>,
  };
}

export interface OutboxRow {
  id: string;
  time: number;
  channel: string;
  to_number: string;
  body: string;
  code: string | null;
  session_id: string | null;
  locale: string;
}

export function outboxToRow(m: OutboxMessage): OutboxRow {
  return {
    id: m.id,
    time: m.time,
    channel: m.channel,
    to_number: m.to,
    body: m.body,
    code: m.code,
    session_id: m.sessionId,
    locale: m.locale,
  };
}

export function outboxFromRow(r: OutboxRow): OutboxMessage {
  return {
    id: r.id,
    time: r.time,
    channel: r.channel as Channel,
    to: r.to_number,
    body: r.body,
    code: r.code,
    sessionId: r.session_id,
    locale: r.locale,
  };
}

export interface SigningKeyRow {
  kid: string;
  private_jwk: string;
  public_jwk: string;
  created_at: number;
  rotated_at: number | null;
  retired_at: number | null;
}

export function signingKeyToRow(k: SigningKeyRecord): SigningKeyRow {
  return {
    kid: k.kid,
    private_jwk: k.privateJwk,
    public_jwk: k.publicJwk,
    created_at: k.createdAt,
    rotated_at: k.rotatedAt,
    retired_at: k.retiredAt,
  };
}

export function signingKeyFromRow(r: SigningKeyRow): SigningKeyRecord {
  return {
    kid: r.kid,
    privateJwk: r.private_jwk,
    publicJwk: r.public_jwk,
    createdAt: r.created_at,
    rotatedAt: r.rotated_at,
    retiredAt: r.retired_at,
  };
}

export interface ReputationRow {
  id: string;
  kind: string;
  value: string;
  list: string;
  created_at: number;
  expires_at: number | null;
  note: string;
  created_by: string;
}

export function reputationToRow(e: ReputationEntry): ReputationRow {
  return {
    id: e.id,
    kind: e.kind,
    value: e.value,
    list: e.list,
    created_at: e.createdAt,
    expires_at: e.expiresAt,
    note: e.note,
    created_by: e.createdBy,
  };
}

export function reputationFromRow(r: ReputationRow): ReputationEntry {
  return {
    id: r.id,
    kind: r.kind as ReputationKind,
    value: r.value,
    list: r.list as ReputationEntry['list'],
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    note: r.note,
    createdBy: r.created_by,
  };
}
