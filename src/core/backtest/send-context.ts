// A recorded send attempt turned back into the engine's input, as SendDefense.context builds it
// live: the parsed number and its blocks, the channel, the client IP and what geo says of it,
// trust, the estimated cost. Time is the event's own: the replay runs on virtual time.
import type { IpInfo, SendContext } from '../defense/decision.ts';
import { buildPhoneKeys } from '../defense/phone-keys.ts';
import type { ParsedPhoneNumber } from '../phone/phone-number.ts';
import type { Attempt } from './attempt.ts';

export interface ContextFacts {
  parsed: ParsedPhoneNumber;
  ipInfo: IpInfo | null;
  /** Verified before this attempt (the allow list is applied by the caller, as live). */
  knownGood: boolean;
  estimatedCost: number;
  /** Sends already made in the attempt's session. */
  sessionSendCount: number;
}

export function sendContextOf(attempt: Attempt, facts: ContextFacts): SendContext {
  const e = attempt.event;
  const keys = buildPhoneKeys(facts.parsed.e164);
  return {
    now: e.time,
    appId: e.appId ?? '',
    policyId: e.policyId ?? '',
    profileId: e.profileId ?? '',
    sessionId: e.sessionId ?? '',
    userIdHash: e.userIdHash ?? '',
    phone: {
      e164: facts.parsed.e164,
      region: facts.parsed.region,
      countryCallingCode: facts.parsed.countryCallingCode,
      type: facts.parsed.type,
      prefix3: keys.prefix3,
      prefix4: keys.prefix4,
    },
    channel: attempt.channel,
    ip: e.ip,
    ipInfo: facts.ipInfo,
    userAgent: e.userAgent,
    captchaPassed: attempt.captchaPassed,
    knownGood: facts.knownGood,
    estimatedCost: facts.estimatedCost,
    sessionSendCount: facts.sessionSendCount,
  };
}
