// A stand-in CAPTCHA for the simulator and tests (test and development mode only; refused in
// production): the token `solved:<sessionId>` (or `solved:<sessionId>:<n>` for a later challenge in
// the same session) passes once. It measures the defense's decisions
// without spending CPU on real proof of work for every simulated request.
import type { Captcha } from '../../ports.ts';

export class SimulatedCaptcha implements Captcha {
  readonly provider = 'altcha' as const;
  private readonly used = new Set<string>();

  async challenge(bind: { sessionId: string }): Promise<Record<string, unknown>> {
    return { provider: 'simulated', sessionId: bind.sessionId };
  }

  async verify(token: string, bind: { sessionId: string; ip: string | null }): Promise<{ ok: boolean; error?: string }> {
    const prefix = `solved:${bind.sessionId}`;
    if (token !== prefix && !(token.startsWith(`${prefix}:`) && /^\d{1,6}$/.test(token.slice(prefix.length + 1)))) {
      return { ok: false, error: 'captcha_invalid' };
    }
    if (this.used.has(token)) return { ok: false, error: 'captcha_replayed' };
    this.used.add(token);
    // Bounded: the simulator runs millions of sessions.
    if (this.used.size > 200_000) this.used.clear();
    return { ok: true };
  }
}
