// The Mailer port now lives in src/ports.ts with the other ports; this module re-exports it so the
// adapters (and their tests) keep one short import path next to them.
export { MailError, type MailErrorKind, type Mailer, type MailSendResult, type OutboundMail } from '../../ports.ts';
