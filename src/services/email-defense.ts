// The checks before an email code goes out, where the country allowlist and the phone defense are
// for phones: the address must parse, its domain must not be a disposable inbox service, and the
// address and its domain must be under their velocity limits. Counting (commit) happens only once
// the mail was handed over, so refused attempts never use up a budget.
import { createHash } from 'node:crypto';
import { parseEmailAddress } from '../core/email/address.ts';
import { disposableDomainCheck, type DisposableDomainOptions } from '../core/email/disposable.ts';
import { secondsUntilAtMost } from '../core/defense/rules/window-math.ts';
import { TollgateError } from '../core/errors.ts';
import type { Counters } from '../ports.ts';
import type { EmailVelocityLimit } from './factors-config.ts';

export interface EmailDefenseOptions {
  disposable: DisposableDomainOptions;
  velocity: { address: EmailVelocityLimit[]; domain: EmailVelocityLimit[] };
  /** null: velocity is not checked (defense switched off with TOLLGATE_DEFENSE=off). */
  counters: Counters | null;
}

export interface CheckedAddress {
  address: string;
  domain: string;
}

interface Scope {
  name: 'address' | 'domain';
  key: string;
  limits: EmailVelocityLimit[];
}

export class EmailDefense {
  private readonly isDisposable: (domain: string) => boolean;

  constructor(private readonly o: EmailDefenseOptions) {
    this.isDisposable = disposableDomainCheck(o.disposable);
  }

  /** The normalised address, or `invalid_email_address` / `email_domain_not_allowed`. */
  address(input: unknown): CheckedAddress {
    const parsed = parseEmailAddress(input);
    if (!parsed.ok) throw new TollgateError('invalid_email_address', undefined, { field: 'email' });
    if (this.isDisposable(parsed.domain)) throw new TollgateError('email_domain_not_allowed', undefined, { field: 'email', rule: 'email.disposable' });
    return { address: parsed.address, domain: parsed.domain };
  }

  /** Refuses with `velocity_exceeded` (and when to retry) when the address or its domain is over a limit. */
  async checkVelocity(to: CheckedAddress, now: number): Promise<void> {
    const counters = this.o.counters;
    if (!counters) return;
    for (const scope of this.scopes(to)) {
      for (const limit of scope.limits) {
        const windowMs = limit.windowSeconds * 1000;
        const count = await counters.count(scope.key, now, windowMs);
        if (count < limit.max) continue;
        const retryAfter = await secondsUntilAtMost(counters, scope.key, now, windowMs, limit.max - 1);
        throw new TollgateError('velocity_exceeded', `Too many email codes (${scope.name}): ${count} in ${limit.windowSeconds} s.`, {
          retryAfter,
          rule: `email.velocity.${scope.name}`,
        });
      }
    }
  }

  /** Counts a mail that was handed over. Counter trouble must not fail the user: it is returned, not thrown. */
  async commit(to: CheckedAddress, now: number): Promise<unknown> {
    const counters = this.o.counters;
    if (!counters) return null;
    try {
      for (const scope of this.scopes(to)) {
        const longest = Math.max(0, ...scope.limits.map((l) => l.windowSeconds));
        if (longest > 0) await counters.hit(scope.key, now, longest * 1000);
      }
      return null;
    } catch (err) {
      return err;
    }
  }

  // Keys hold a digest, not the address: counters may live in a shared store (Redis) one day, and
  // the local part is compared case-insensitively so `Jane@` and `jane@` share one budget.
  private scopes(to: CheckedAddress): Scope[] {
    const digest = createHash('sha256').update(to.address.toLowerCase()).digest('base64url').slice(0, 22);
    return [
      { name: 'address', key: `e:a:${digest}`, limits: this.o.velocity.address },
      { name: 'domain', key: `e:d:${to.domain}`, limits: this.o.velocity.domain },
    ];
  }
}
