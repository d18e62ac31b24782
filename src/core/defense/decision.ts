// The decision taken before every send (allow / challenge / block), with every reason and the rule
// or detector that produced it. Rules in shadow (record-only) mode report but do not enforce.
import type { NumberType } from 'libphonenumber-js/max';
import type { Channel } from '../events/event.ts';

export type DefenseAction = 'allow' | 'challenge' | 'block';

export const actionRank: Record<DefenseAction, number> = { allow: 0, challenge: 1, block: 2 };

/** Stable reason codes of defense decisions (also event reasons and API error codes). */
export const DefenseReasonCode = {
  NUMBER_TYPE_BLOCKED: 'number_type_blocked',
  COUNTRY_NOT_ALLOWED: 'country_not_allowed',
  CHANNEL_DISABLED: 'channel_disabled',
  BAD_REPUTATION: 'bad_reputation',
  IP_REPUTATION: 'ip_reputation',
  VELOCITY_EXCEEDED: 'velocity_exceeded',
  PUMPING_SUSPECTED: 'pumping_suspected',
  SPEND_CAP_REACHED: 'spend_cap_reached',
  LOCATION_NOT_ALLOWED: 'location_not_allowed',
  CAPTCHA_REQUIRED: 'captcha_required',
  CAPTCHA_FAILED: 'captcha_failed',
} as const;
export type DefenseReasonCode = (typeof DefenseReasonCode)[keyof typeof DefenseReasonCode];

export interface DefenseReason {
  code: DefenseReasonCode;
  /** Rule or detector id, e.g. `number-type`, `velocity.ip24`, `pumping.prefix`, `spend.country-day`. */
  rule: string;
  action: DefenseAction;
  /** Record-only: reported in the event, not enforced. */
  shadow: boolean;
  message: string;
  /** Seconds until the rule would let the send through. */
  retryAfter?: number;
  details?: Record<string, unknown>;
}

export interface SendDecision {
  /** The enforced outcome: the strongest action among non-shadow reasons (allow when none). */
  action: DefenseAction;
  reasons: DefenseReason[];
  retryAfter?: number;
  /** What the client may offer instead (another channel, email, totp). */
  alternatives: string[];
}

export interface IpInfo {
  country: string | null;
  asn: number | null;
  asOrganization: string | null;
  /** Hosting / datacenter network (challenge, never block on this alone). */
  hosting: boolean;
}

/** Everything a rule may look at. Built by the service; rules never do I/O except through ports. */
export interface SendContext {
  now: number;
  appId: string;
  policyId: string;
  profileId: string;
  sessionId: string;
  userIdHash: string;
  phone: {
    e164: string;
    region: string | null;
    countryCallingCode: string;
    type: NumberType | undefined;
    /** E.164 without its last 3 / 4 digits: the number blocks pumpers lease. */
    prefix3: string;
    prefix4: string;
  };
  channel: Channel;
  ip: string | null;
  ipInfo: IpInfo | null;
  userAgent: string | null;
  /** A valid CAPTCHA solution came with this send. */
  captchaPassed: boolean;
  /** This number has completed a verification before (trusted). */
  knownGood: boolean;
  /** Estimated cost of this send, from the price table. */
  estimatedCost: number;
  /** Sends already made in this session. */
  sessionSendCount: number;
}

export function combine(reasons: DefenseReason[], fallbackAlternatives: string[] = []): SendDecision {
  let action: DefenseAction = 'allow';
  let retryAfter: number | undefined;
  for (const r of reasons) {
    if (r.shadow) continue;
    if (actionRank[r.action] > actionRank[action]) action = r.action;
    if (r.action === 'block' && r.retryAfter !== undefined) retryAfter = Math.max(retryAfter ?? 0, r.retryAfter);
  }
  return { action, reasons, retryAfter: action === 'block' ? retryAfter : undefined, alternatives: action === 'allow' ? [] : fallbackAlternatives };
}
