// Disposable (throw-away) email domains. An email code costs almost nothing to send, so the risk
// is not toll fraud but fake sign-ups: a throw-away inbox proves nobody owns anything. A small
// built-in list catches the well-known services; operators add their own and exempt any that
// they accept. Pure.
import { domainToASCII } from 'node:url';

/** Well-known throw-away inbox services. Deliberately short: operators extend it in configuration. */
export const builtInDisposableDomains: readonly string[] = [
  '10minutemail.com',
  '20minutemail.com',
  'discard.email',
  'dispostable.com',
  'emailondeck.com',
  'fakeinbox.com',
  'getairmail.com',
  'getnada.com',
  'guerrillamail.biz',
  'guerrillamail.com',
  'guerrillamail.de',
  'guerrillamail.info',
  'guerrillamail.net',
  'guerrillamail.org',
  'guerrillamailblock.com',
  'grr.la',
  'maildrop.cc',
  'mailinator.com',
  'mailnesia.com',
  'mintemail.com',
  'mohmal.com',
  'moakt.com',
  'mytemp.email',
  'nada.email',
  'sharklasers.com',
  'spamgourmet.com',
  'temp-mail.io',
  'temp-mail.org',
  'tempail.com',
  'tempmail.com',
  'tempmail.net',
  'tempmailo.com',
  'tempr.email',
  'throwawaymail.com',
  'trashmail.com',
  'trashmail.de',
  'trashmail.net',
  'yopmail.com',
  'yopmail.fr',
  'yopmail.net',
];

export interface DisposableDomainOptions {
  /** Extra domains to refuse (subdomains included). */
  block?: readonly string[];
  /** Domains to accept even though a listed parent or the built-in list would refuse them. */
  allow?: readonly string[];
  /** false: only `block` counts (an operator who keeps a complete list elsewhere). Default true. */
  useBuiltIn?: boolean;
}

/** `*.Example.COM.`, ` example.com`, `bücher.de` → `example.com`, `xn--bcher-kva.de`; '' if invalid. */
function normaliseDomainEntry(entry: string): string {
  const bare = entry.trim().replace(/^\*?\./, '').replace(/\.$/, '');
  return bare ? domainToASCII(bare) : '';
}

function toSet(entries: readonly string[]): Set<string> {
  return new Set(entries.map(normaliseDomainEntry).filter((d) => d.length > 0));
}

/**
 * Builds the check: `(domain) => true` when mail to `domain` should be refused as disposable.
 * Every parent of the domain counts too (`x.mailinator.com` is mailinator). When both lists
 * name a suffix of the domain, the most specific entry decides; on a tie, `allow` wins, because
 * an operator's exception is the more deliberate statement.
 */
export function disposableDomainCheck(options: DisposableDomainOptions = {}): (domain: string) => boolean {
  const block = toSet([...(options.useBuiltIn === false ? [] : builtInDisposableDomains), ...(options.block ?? [])]);
  const allow = toSet(options.allow ?? []);
  return (domain: string) => {
    const normalised = normaliseDomainEntry(domain);
    if (!normalised) return false;
    const labels = normalised.split('.');
    for (let i = 0; i < labels.length - 1; i++) {
      const suffix = labels.slice(i).join('.');
      if (allow.has(suffix)) return false;
      if (block.has(suffix)) return true;
    }
    return false;
  };
}

/** The built-in list alone. */
export const isDisposableDomain: (domain: string) => boolean = disposableDomainCheck();
