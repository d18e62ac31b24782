// Writes one event per step. Builds the full record (hashed user id, parsed user agent, phone region,
// cost) so callers only state what happened.
import { createHmac, randomUUID } from 'node:crypto';
import type { CodeChannel, EventType, Outcome, TollgateEvent } from '../core/events/event.ts';
import type { FactorMethod } from '../core/policy/profile.ts';
import { type ReasonCode, reasonDescriptions } from '../core/events/reason-codes.ts';
import type { PhoneFactorSession } from '../core/flows/session.ts';
import { parsePhoneNumber } from '../core/phone/phone-number.ts';
import { parseUserAgent } from '../core/events/user-agent.ts';
import type { ClientInfo } from '../core/flows/session.ts';
import type { Clock, Store } from '../ports.ts';

export interface EventFacts {
  type: EventType;
  outcome: Outcome;
  reason: ReasonCode;
  session?: PhoneFactorSession | null;
  appId?: string | null;
  policyId?: string | null;
  profileId?: string | null;
  userId?: string | null;
  /** Already hashed (steps that only know the hash, e.g. confirming an authenticator enrollment). */
  userIdHash?: string | null;
  phoneNumber?: string | null;
  channel?: CodeChannel | null;
  /** email / totp: the step is not about a phone number, so the session's number is not filled in. */
  method?: FactorMethod;
  client?: ClientInfo | null;
  cost?: number;
  correlationId?: string | null;
  details?: Record<string, unknown>;
}

export class EventRecorder {
  private readonly listeners: ((event: TollgateEvent) => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly userIdKey: Uint8Array,
    private readonly currency: string,
    private readonly onError: (err: unknown, event: TollgateEvent) => void = () => {},
    /** The client IP's country (offline geo), written as `details.ipCountry` on every event with an IP. */
    private readonly ipCountry: (ip: string) => string | null = () => null,
  ) {}

  /** Detectors (pumping, rollups) follow the stream in-process. A listener that throws is reported, never fatal. */
  subscribe(listener: (event: TollgateEvent) => void): void {
    this.listeners.push(listener);
  }

  hashUserId(userId: string): string {
    return createHmac('sha256', this.userIdKey).update(userId).digest('hex').slice(0, 32);
  }

  build(f: EventFacts): TollgateEvent {
    const s = f.session ?? null;
    const phone = f.method === 'email' || f.method === 'totp' ? (f.phoneNumber ?? null) : (f.phoneNumber ?? s?.selectedNumber ?? null);
    const parsed = phone ? parsePhoneNumber(phone) : null;
    const client = f.client ?? s?.client ?? null;
    const ua = parseUserAgent(client?.userAgent);
    const userId = f.userId ?? s?.userId ?? null;
    return {
      id: randomUUID(),
      time: this.clock.now(),
      type: f.type,
      outcome: f.outcome,
      reason: f.reason,
      reasonDescription: reasonDescriptions[f.reason],
      appId: f.appId ?? s?.appId ?? null,
      policyId: f.policyId ?? s?.policyId ?? null,
      profileId: f.profileId ?? s?.profileId ?? null,
      sessionId: s?.id ?? null,
      userIdHash: userId ? this.hashUserId(userId) : (f.userIdHash ?? null),
      phoneNumber: parsed?.e164 ?? null,
      countryCallingCode: parsed?.countryCallingCode ?? null,
      phoneRegion: parsed?.region ?? null,
      channel: f.channel ?? null,
      ip: client?.ip ?? null,
      userAgent: client?.userAgent ? client.userAgent.slice(0, 512) : null,
      ...ua,
      cost: f.cost ?? 0,
      currency: this.currency,
      correlationId: f.correlationId ?? s?.correlationId ?? null,
      details: withIpCountry(f.details ?? {}, client?.ip ?? null, this.ipCountry),
    };
  }

  /** Records the event. A store failure is retried once, then reported (never thrown at the user). */
  async record(f: EventFacts): Promise<TollgateEvent> {
    const event = this.build(f);
    try {
      await this.store.appendEvent(event);
    } catch {
      try {
        await this.store.appendEvent(event);
      } catch (err) {
        this.onError(err, event);
      }
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.onError(err, event);
      }
    }
    return event;
  }
}

/**
 * Every event with an IP says where it came from, so the workbook's IP-region panels see failures
 * too (not only sends, where the defense had looked the IP up already).
 */
function withIpCountry(details: Record<string, unknown>, ip: string | null, lookup: (ip: string) => string | null): Record<string, unknown> {
  if (!ip || details.ipCountry !== undefined) return details;
  const country = lookup(ip);
  return country ? { ...details, ipCountry: country } : details;
}
