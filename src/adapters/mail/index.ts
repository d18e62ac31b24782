// Picks and builds the mailer from configuration (`mail.*`). The schema is embedded in the app's
// config schema; the SMTP password arrives here already resolved from TOLLGATE_SMTP_PASSWORD.
import { z } from 'zod';
import type { Clock, Mailer, Store } from '../../ports.ts';
import { OutboxMailer } from './outbox-mailer.ts';
import { SmtpMailer } from './smtp.ts';

export const mailOutboxConfigSchema = z
  .object({
    adapter: z.literal('outbox'),
    /** Addresses (or `@domain` suffixes) whose sends fail as "recipient refused", to rehearse errors. */
    failFor: z.array(z.string().min(1).max(254)).optional(),
  })
  .strict();

export const smtpConfigSchema = z
  .object({
    adapter: z.literal('smtp'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** true: TLS from the first byte (port 465); false: STARTTLS. */
    secure: z.boolean().default(false),
    /** Refuse to send if STARTTLS fails; turn off only for a loopback relay. */
    requireTLS: z.boolean().default(true),
    user: z.string().min(1).optional(),
    /** From TOLLGATE_SMTP_PASSWORD, not the file. */
    password: z.string().min(1).optional(),
    /** `"Example <no-reply@example.com>"`. */
    from: z.string().min(3).max(320).refine((v) => !/[\r\n]/.test(v), 'must be one line'),
    timeoutSeconds: z.number().int().min(1).max(120).default(15),
  })
  .strict()
  .refine((c) => (c.user === undefined) === (c.password === undefined), {
    message: 'give both mail.user and the password (TOLLGATE_SMTP_PASSWORD), or neither',
    path: ['user'],
  });

export const mailConfigSchema = z.discriminatedUnion('adapter', [mailOutboxConfigSchema, smtpConfigSchema]);
export type MailConfig = z.infer<typeof mailConfigSchema>;

export interface MailerDeps {
  store: Pick<Store, 'appendOutbox'>;
  clock: Clock;
  newId: () => string;
}

/** An address matches `a@b.c` exactly, or any address of a domain written `@b.c`. */
function failForCheck(patterns: string[] | undefined): ((to: string) => boolean) | undefined {
  if (!patterns?.length) return undefined;
  const list = patterns.map((p) => p.trim().toLowerCase());
  return (to) => {
    const t = to.toLowerCase();
    return list.some((p) => (p.startsWith('@') ? t.endsWith(p) : t === p));
  };
}

export function createMailer(config: MailConfig, deps: MailerDeps): Mailer {
  if (config.adapter === 'smtp') {
    return new SmtpMailer({
      host: config.host,
      port: config.port,
      secure: config.secure,
      requireTLS: config.requireTLS,
      ...(config.user && config.password ? { auth: { user: config.user, pass: config.password } } : {}),
      from: config.from,
      timeoutMs: config.timeoutSeconds * 1000,
    });
  }
  // Development: the mail lands in the same outbox table as SMS and calls, channel `email`, with the
  // text part as its body, so /dev/outbox, `tollgate outbox` and tests read every code in one place.
  return new OutboxMailer(
    (mail) => deps.store.appendOutbox({ id: mail.id, time: mail.time, channel: 'email', to: mail.to, body: mail.text, code: mail.code, sessionId: mail.sessionId, locale: mail.locale }),
    deps.clock,
    deps.newId,
    { failFor: failForCheck(config.failFor) },
  );
}
