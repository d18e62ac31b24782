// One legitimate user's verification, step by step in virtual time, reacting to Tollgate like a
// real client: waits out a retryAfter, solves a CAPTCHA, tries the offered alternative once after
// a block, resends when no code arrives (TrueCheck's 37 % / 8 %), mistypes codes and numbers.
import type { Channel } from '../../core/events/event.ts';
import type { SimContext } from '../engine/context.ts';
import { readSendAnswer, simulatedCaptchaToken } from '../engine/responses.ts';
import type { Rng } from '../random.ts';
import { sendCost } from '../world/countries.ts';
import { randomMobile } from '../world/phone-numbers.ts';
import type { LegitUser } from './identity.ts';

export interface JourneyBehaviour {
  completion: number;
  entryMedianSeconds: number;
  entrySigma: number;
  wrongFirst: number;
  retryCorrect: number;
  typoRate: number;
  typoNotice: number;
  resend: [number, number];
  voiceAnswer: number;
  captchaSolveRate: number;
  /** Probability a code sent now reaches the phone (loss, outages). */
  deliveryRate(channel: Channel, t: number): number;
}

export interface JourneyOutcome {
  key: string;
  country: string;
  measured: boolean;
  verified: boolean;
  blocked: boolean;
  challenged: boolean;
  lostAtChallenge: boolean;
  /** Ended because of a block, never verified. */
  hardBlocked: boolean;
  end: 'verified' | 'abandoned' | 'no-code' | 'blocked' | 'challenge' | 'rejected' | 'error' | 'open';
  cost: number;
  sends: number;
}

const MAX_WAIT_SECONDS = 120;
const MAX_RETRIES = 2;

export class LegitJourney {
  readonly outcome: JourneyOutcome;
  private sessionId = '';
  private failures = 0;
  private retries = 0;
  private triedAlternative = false;
  private readonly willComplete: boolean;
  private readonly wrongFirst: boolean;

  constructor(
    private readonly ctx: SimContext,
    private readonly rng: Rng,
    private readonly index: number,
    key: string,
    measured: boolean,
    private readonly user: LegitUser,
    /** Sign-in: the number is on file (phoneIndex 0); sign-up: the user types it. */
    private readonly signIn: boolean,
    private readonly ip: string,
    private readonly b: JourneyBehaviour,
    private readonly onVerified: (user: LegitUser) => void,
  ) {
    this.outcome = { key, country: user.country, measured, verified: false, blocked: false, challenged: false, lostAtChallenge: false, hardBlocked: false, end: 'open', cost: 0, sends: 0 };
    this.willComplete = rng.chance(b.completion);
    this.wrongFirst = rng.chance(b.wrongFirst);
  }

  private get client() {
    return { ip: this.ip, userAgent: this.user.userAgent };
  }

  async start(channel: Channel): Promise<void> {
    const res = await this.ctx.api.createSession(this.user.userId, this.signIn ? [this.user.number] : [], this.client);
    if (res.status !== 201) return this.finish('error');
    this.sessionId = res.body.id;
    if (!this.signIn && this.rng.chance(this.b.typoRate)) {
      // A wrong but valid number: a stranger may get the code; the user notices, or gives up.
      return this.send(channel, randomMobile(this.user.country, this.rng));
    }
    return this.send(channel);
  }

  private async send(channel: Channel, typoNumber?: string, captcha?: string): Promise<void> {
    const target = typoNumber ?? this.user.number;
    const body = typoNumber || !this.signIn ? { phoneNumber: target, channel } : { phoneIndex: 0, channel };
    const res = await this.ctx.api.send(this.sessionId, captcha ? { ...body, captcha } : body, this.client);
    const answer = readSendAnswer(res);
    const now = this.ctx.now();
    const again = (delayMs: number, ch = channel, token?: string) => this.ctx.at(now + delayMs, () => this.send(ch, typoNumber, token));
    if (answer.status !== 'sent') this.ctx.refusals.push({ t: now, sessionId: this.sessionId, code: answer.code, actor: 'legit', index: this.index });
    switch (answer.status) {
      case 'sent': {
        this.outcome.sends++;
        this.outcome.cost += sendCost(this.ctx.world.countries, this.user.country, channel);
        if (typoNumber) {
          if (this.rng.chance(this.b.typoNotice)) this.ctx.at(now + this.rng.range(60, 180) * 1000, () => this.send(channel));
          else this.finish('no-code');
          return;
        }
        if (this.rng.chance(this.b.deliveryRate(channel, now) * (channel === 'voice' ? this.b.voiceAnswer : 1))) {
          const code = await this.ctx.readCode(target, this.sessionId);
          if (!code || !this.willComplete) return this.finish('abandoned');
          const delay = this.rng.lognormal(this.b.entryMedianSeconds, this.b.entrySigma) * 1000;
          this.ctx.at(now + delay, () => this.verify(code, this.wrongFirst));
          return;
        }
        // No code arrives. Only users who meant to finish bother to ask again.
        this.failures++;
        const p = this.b.resend[Math.min(this.failures, 2) - 1]!;
        if (!this.willComplete || this.failures > 2 || !this.rng.chance(p)) return this.finish('no-code');
        return again(45_000 + this.rng.range(0, 20_000), this.failures >= 2 ? 'voice' : channel);
      }
      case 'challenged':
        this.outcome.challenged = true;
        if (captcha || !this.rng.chance(this.b.captchaSolveRate)) {
          this.outcome.lostAtChallenge = true;
          return this.finish('challenge');
        }
        return again(this.rng.range(5, 20) * 1000, channel, simulatedCaptchaToken(this.sessionId));
      case 'throttled':
      case 'blocked':
        if (answer.status === 'blocked') this.outcome.blocked = true;
        if (answer.retryAfter !== null && answer.retryAfter <= MAX_WAIT_SECONDS && this.retries < MAX_RETRIES) {
          this.retries++;
          return again(answer.retryAfter * 1000 + this.rng.range(0, 5000));
        }
        if (!this.tryAlternative(answer.alternatives, now, typoNumber)) this.finish(answer.status === 'blocked' ? 'blocked' : 'no-code');
        return;
      case 'failed':
        if (!this.tryAlternative(answer.alternatives, now, typoNumber)) this.finish('no-code');
        return;
      case 'rejected':
        return this.finish('rejected');
      default:
        return this.finish('error');
    }
  }

  /** Offers the alternative channel once; false when there is none left to try. */
  private tryAlternative(alternatives: string[], now: number, typoNumber: string | undefined): boolean {
    const alt = alternatives.find((a): a is Channel => a === 'sms' || a === 'voice');
    if (!alt || this.triedAlternative) return false;
    this.triedAlternative = true;
    this.ctx.at(now + this.rng.range(3, 10) * 1000, () => this.send(alt, typoNumber));
    return true;
  }

  private async verify(code: string, mistype: boolean): Promise<void> {
    const typed = mistype ? corrupt(code, this.rng) : code;
    const res = await this.ctx.api.verify(this.sessionId, typed, this.client);
    const now = this.ctx.now();
    if (res.status === 200) {
      this.outcome.verified = true;
      if (!this.signIn) this.onVerified(this.user);
      return this.finish('verified');
    }
    const error = res.body?.error ?? {};
    if (error.code === 'invalid_code' && mistype && this.rng.chance(this.b.retryCorrect)) {
      this.ctx.at(now + this.rng.lognormal(8, 0.5) * 1000, () => this.verify(code, false));
      return;
    }
    if (error.code === 'code_expired' && (error.sendsLeft ?? 0) > 0) return this.send('sms');
    this.finish('abandoned');
  }

  private finish(end: JourneyOutcome['end']): void {
    this.outcome.end = end;
    this.outcome.hardBlocked = end === 'blocked' && !this.outcome.verified;
  }
}

/** The code with one digit changed: always wrong, without looking at the server's randomness. */
function corrupt(code: string, rng: Rng): string {
  const i = rng.int(code.length);
  const d = (Number(code[i]) + 1 + rng.int(9)) % 10;
  return code.slice(0, i) + String(d) + code.slice(i + 1);
}
