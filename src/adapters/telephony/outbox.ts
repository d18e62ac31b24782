// Development telephony: nothing leaves the machine; each message lands in the store's outbox,
// code included, so the dev pages, scripts and end-to-end tests can read what "was sent".
import type { Clock, OutboundMessage, SendResult, Store, Telephony } from '../../ports.ts';
import { TelephonyError } from '../../ports.ts';

export interface OutboxTelephonyOptions {
  /** Numbers for which the send fails as if the carrier refused them (to rehearse error paths). */
  failFor?: (to: string) => boolean;
}

export class OutboxTelephony implements Telephony {
  readonly name = 'outbox';

  constructor(
    private readonly store: Pick<Store, 'appendOutbox'>,
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly options: OutboxTelephonyOptions = {},
  ) {}

  async send(message: OutboundMessage): Promise<SendResult> {
    if (this.options.failFor?.(message.to)) {
      throw new TelephonyError('outbox: number refused (simulated failure)', this.name, 'simulated', true);
    }
    const id = this.newId();
    await this.store.appendOutbox({
      id,
      time: this.clock.now(),
      channel: message.channel,
      to: message.to,
      body: message.channel === 'voice' ? message.speech : message.text,
      code: message.code,
      sessionId: message.sessionId,
      locale: message.locale,
    });
    return { providerMessageId: id, status: 'delivered', provider: this.name };
  }
}

/**
 * Turns configured patterns into a `failFor` predicate: an entry is an exact E.164 number, or a
 * prefix ending in `*` (`+1555*`). Kept as data so it can live in YAML configuration.
 */
export function failForPatterns(patterns: readonly string[]): (to: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.endsWith('*')));
  const prefixes = patterns.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1));
  return (to) => exact.has(to) || prefixes.some((prefix) => to.startsWith(prefix));
}
