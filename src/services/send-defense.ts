// The decision before every send: builds the SendContext (number type, prefixes, IP intelligence,
// trust), asks the defense engine (built-in rules + reputation + pumping detector), and counts the
// send once it went out. The service turns the decision into an answer for the client.
import type { Channel, TollgateEvent } from '../core/events/event.ts';
import { TollgateError } from '../core/errors.ts';
import { type DefenseReason, type SendContext, type SendDecision, actionRank } from '../core/defense/decision.ts';
import type { DefenseEngine, DefenseRule } from '../core/defense/engine.ts';
import { buildPhoneKeys } from '../core/defense/phone-keys.ts';
import { isTrusted, reputationReasons } from '../core/defense/reputation.ts';
import type { ParsedPhoneNumber } from '../core/phone/phone-number.ts';
import { estimateCost, type PriceTable } from '../core/pricing/price-table.ts';
import type { ClientInfo, PhoneFactorSession } from '../core/flows/session.ts';
import type { Geo, Store } from '../ports.ts';
import type { ReputationService } from './reputation-service.ts';

export interface SendDefenseDeps {
  engine: DefenseEngine;
  geo: Geo;
  store: Store;
  reputation: ReputationService;
  prices: PriceTable;
  hashUserId(userId: string): string;
}

/** The reputation lists as a rule (order 35: after the static gates, before spend and velocity). */
export function reputationRule(reputation: ReputationService): DefenseRule {
  return {
    id: 'reputation',
    code: 'bad_reputation',
    order: 35,
    async evaluate(ctx) {
      return reputationReasons(ctx, await reputation.lists());
    },
  };
}

export class SendDefense {
  constructor(private readonly d: SendDefenseDeps) {}

  async context(session: PhoneFactorSession, parsed: ParsedPhoneNumber, channel: Channel, client: ClientInfo, captchaPassed: boolean, now: number): Promise<SendContext> {
    const keys = buildPhoneKeys(parsed.e164);
    const ctx: SendContext = {
      now,
      appId: session.appId,
      policyId: session.policyId,
      profileId: session.profileId,
      sessionId: session.id,
      userIdHash: this.d.hashUserId(session.userId),
      phone: { e164: parsed.e164, region: parsed.region, countryCallingCode: parsed.countryCallingCode, type: parsed.type, prefix3: keys.prefix3, prefix4: keys.prefix4 },
      channel,
      ip: client.ip,
      ipInfo: client.ip ? this.d.geo.lookup(client.ip) : null,
      userAgent: client.userAgent,
      captchaPassed,
      knownGood: false,
      estimatedCost: estimateCost(this.d.prices, parsed.region, channel),
      sessionSendCount: session.sendCount,
    };
    ctx.knownGood = await this.d.store.phoneVerifiedBefore(parsed.e164);
    // Allow-listed numbers are trusted like numbers that verified before.
    if (!ctx.knownGood) ctx.knownGood = isTrusted(ctx, await this.d.reputation.lists());
    return ctx;
  }

  decide(ctx: SendContext): Promise<SendDecision> {
    return this.d.engine.decide(ctx);
  }

  /** Counts a send that went out. Counter trouble must not fail the user (the code is already sent). */
  async commit(ctx: SendContext): Promise<unknown> {
    try {
      await this.d.engine.commitSend(ctx);
      return null;
    } catch (err) {
      return err;
    }
  }
}

/** What the event records of a decision: every reason, shadow ones included. */
export function decisionDetails(decision: SendDecision): Record<string, unknown> {
  return {
    action: decision.action,
    reasons: decision.reasons.map((r) => ({ code: r.code, rule: r.rule, action: r.action, shadow: r.shadow, ...(r.retryAfter !== undefined ? { retryAfter: r.retryAfter } : {}), ...(r.details ? { details: r.details } : {}) })),
  };
}

/** The strongest enforced reason of a refused decision: it names the error the client sees. */
export function leadingReason(decision: SendDecision): DefenseReason | undefined {
  let best: DefenseReason | undefined;
  for (const r of decision.reasons) {
    if (r.shadow || r.action === 'allow') continue;
    if (!best || actionRank[r.action] > actionRank[best.action]) best = r;
  }
  return best;
}

/** The client-facing error of a block. */
export function blockError(decision: SendDecision, allowedChannels: Channel[]): TollgateError {
  const lead = leadingReason(decision);
  const alternatives = decision.alternatives.filter((a) => a !== 'voice' && a !== 'sms' ? true : allowedChannels.includes(a as Channel));
  return new TollgateError(lead?.code ?? 'forbidden', lead?.message, {
    ...(decision.retryAfter !== undefined ? { retryAfter: decision.retryAfter } : {}),
    alternatives,
    rule: lead?.rule,
  });
}

/** Feeds recorded events to the pumping detector. */
export type EventObserver = (event: TollgateEvent) => void;
