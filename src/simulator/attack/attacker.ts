// Executes an attack plan against Tollgate in run (b), reacting like the attacker would: skips its
// schedule while a retryAfter runs, solves CAPTCHAs when it pays a farm (or does the proof of
// work), hops to the next country after minutes of blocks, and — mimicry — reads pumped codes
// through the colluding carrier and completes a share of verifications.
import type { SimContext } from '../engine/context.ts';
import { readSendAnswer, type SendStatus, simulatedCaptchaToken } from '../engine/responses.ts';
import type { Rng } from '../random.ts';
import type { AttackSpec } from '../scenario/schema.ts';
import { type AttackPlan, costOf } from './plan.ts';

export interface AttemptRecord {
  /** Planned time. */
  t: number;
  /** Cost in the unimpeded schedule (run c). */
  intendedCost: number;
  outcome: SendStatus | 'skipped' | 'abandoned' | 'pending';
  sentAt: number | null;
  cost: number;
  billedMinutes: number;
  test: boolean;
}

export class Attacker {
  readonly records: AttemptRecord[];
  captchaSolves = 0;
  captchaCost = 0;
  verified = 0;
  private backoffUntil = 0;
  private blockedSince: number | null = null;
  private hopIndex = 0;
  private hopAfterMs: number;
  private exhausted = false;
  private readonly completion: number;

  constructor(
    private readonly id: string,
    private readonly spec: AttackSpec,
    private readonly plan: AttackPlan,
    private readonly ctx: SimContext,
    private readonly rng: Rng,
  ) {
    this.records = plan.sends.map((s) => ({ t: s.t, intendedCost: s.cost, outcome: 'pending', sentAt: null, cost: 0, billedMinutes: 0, test: !!s.test }));
    const c = spec.completion;
    this.completion = Array.isArray(c) ? rng.range(c[0], c[1]) : c;
    this.hopAfterMs = this.drawHopDelay();
  }

  schedule(): void {
    this.plan.sends.forEach((s, i) => this.ctx.at(s.t, () => this.attempt(i)));
  }

  private drawHopDelay(): number {
    const [lo, hi] = this.spec.hop?.afterMinutes ?? [5, 15];
    return this.rng.range(lo, hi) * 60_000;
  }

  private async attempt(i: number): Promise<void> {
    const rec = this.records[i]!;
    const s = this.plan.sends[i]!;
    const now = this.ctx.now();
    if (this.exhausted) return void (rec.outcome = 'abandoned');
    if (this.spec.backoff && now < this.backoffUntil) {
      // Told to wait is being blocked too: a hopper counts that time towards moving on.
      if (this.plan.hopNumbers) this.noteBlocked(now);
      if (this.exhausted) return void (rec.outcome = 'abandoned');
      if (now < this.backoffUntil) return void (rec.outcome = 'skipped');
    }
    let number = s.number;
    let region = s.region;
    if (this.hopIndex > 0 && this.plan.hopNumbers) {
      number = this.plan.hopNumbers(this.hopIndex).next();
      region = this.plan.hopCountries![this.hopIndex]!;
    }
    const client = { ip: s.ip, userAgent: s.userAgent };
    const created = await this.ctx.api.createSession(`bot-${this.id}-${i}`, [], client);
    if (created.status !== 201) return void (rec.outcome = 'error');
    const cost = s.test ? s.cost : costOf(this.ctx.world, region, s.channel, s.billedMinutes);
    await this.send(i, created.body.id as string, number, cost, client);
  }

  private async send(i: number, sessionId: string, number: string, cost: number, client: { ip: string; userAgent: string }, captcha?: string): Promise<void> {
    const rec = this.records[i]!;
    const s = this.plan.sends[i]!;
    const res = await this.ctx.api.send(sessionId, { phoneNumber: number, channel: s.channel, ...(captcha ? { captcha } : {}) }, client);
    const answer = readSendAnswer(res);
    const now = this.ctx.now();
    rec.outcome = answer.status;
    if (answer.status !== 'sent') this.ctx.refusals.push({ t: now, sessionId, code: answer.code, actor: 'attack', index: i });
    if (answer.status === 'sent') {
      rec.sentAt = now;
      rec.cost = cost;
      rec.billedMinutes = s.billedMinutes;
      this.blockedSince = null;
      if (this.completion > 0 && this.rng.chance(this.completion)) {
        const code = await this.ctx.readCode(number, sessionId);
        const delay = this.rng.lognormal(this.spec.codeEntry.medianSeconds, this.spec.codeEntry.sigma) * 1000;
        if (code) this.ctx.at(now + delay, () => this.verify(sessionId, code, this.rng.chance(this.spec.codeEntry.wrongFirst), client));
      }
      return;
    }
    if (answer.status === 'challenged' && this.spec.captcha && !captcha) {
      const pow = answer.captcha?.provider === 'altcha';
      const [lo, hi] = pow ? this.spec.captcha.powSeconds : this.spec.captcha.solveSeconds;
      if (!pow) this.captchaCost += this.spec.captcha.costPerSolve;
      if (pow || this.rng.chance(this.spec.captcha.solveRate)) {
        this.captchaSolves++;
        this.ctx.at(now + this.rng.range(lo, hi) * 1000, () => this.send(i, sessionId, number, cost, client, simulatedCaptchaToken(sessionId)));
        return;
      }
    }
    if (answer.retryAfter !== null) this.backoffUntil = Math.max(this.backoffUntil, now + answer.retryAfter * 1000);
    if (answer.status === 'blocked' || answer.status === 'challenged' || answer.status === 'throttled') this.noteBlocked(now);
  }

  /** Region hopping: after hopAfter of nothing but refusals, move to the next country. */
  private noteBlocked(now: number): void {
    if (!this.plan.hopNumbers) return;
    this.blockedSince ??= now;
    if (now - this.blockedSince < this.hopAfterMs) return;
    this.hopIndex++;
    this.blockedSince = null;
    this.backoffUntil = 0;
    this.hopAfterMs = this.drawHopDelay();
    if (this.hopIndex >= this.plan.hopCountries!.length) this.exhausted = true;
  }

  private async verify(sessionId: string, code: string, mistype: boolean, client: { ip: string; userAgent: string }): Promise<void> {
    const typed = mistype ? code.slice(0, -1) + String((Number(code.at(-1)) + 1) % 10) : code;
    const res = await this.ctx.api.verify(sessionId, typed, client);
    if (res.status === 200) this.verified++;
    else if (mistype && res.body?.error?.code === 'invalid_code') {
      this.ctx.at(this.ctx.now() + this.rng.lognormal(8, 0.5) * 1000, () => this.verify(sessionId, code, false, client));
    }
  }
}
