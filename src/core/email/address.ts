// Email addresses for email one-time codes: parse and normalise what a user typed, name the
// domain (for the disposable check and reputation), and mask an address for display. Pure.
// Deliberately stricter than RFC 5322: a verification service only needs the plain
// `local@domain` form every mail system accepts, and every oddity refused here (display names,
// quoted local parts, comments, IP literals) is one that could smuggle text into a header.
import { domainToASCII } from 'node:url';

/** Longest address SMTP can carry in a forward path (RFC 5321 errata 1690). */
export const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
const MAX_LABEL_LENGTH = 63;

export type EmailProblem =
  | 'not_a_string'
  | 'empty'
  | 'too_long'
  | 'display_name'
  | 'missing_at'
  | 'invalid_local_part'
  | 'invalid_domain';

export interface EmailAddress {
  /** `local@domain`, domain lower-case ASCII (IDN as punycode). Use this to send and to compare. */
  address: string;
  /** As typed: some mail systems treat the local part case-sensitively, so it is kept. */
  local: string;
  /** Lower-case ASCII domain (`xn--…` labels for internationalised names). */
  domain: string;
}

export type EmailParse = ({ ok: true } & EmailAddress) | { ok: false; problem: EmailProblem };

// Local part: an RFC 5322 dot-atom in ASCII. Quoted strings and SMTPUTF8 (non-ASCII) local parts
// are refused: many relays still reject them, and a code that never arrives helps nobody.
const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const localPart = new RegExp(`^${atom}(?:\\.${atom})*$`);
const label = /^(?!-)[a-z0-9-]+(?<!-)$/;
// A top-level label is letters, or a punycode label; all-numeric ones would make `1.2.3.4` pass.
const topLabel = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

function asciiDomain(raw: string): string | null {
  if (raw.length === 0 || raw.startsWith('[')) return null; // no IP literals
  const domain = domainToASCII(raw.replace(/\.$/, '')); // '' when it is not a valid host name
  if (!domain || domain.length > 253) return null;
  const labels = domain.split('.');
  if (labels.length < 2) return null; // require a dot: `user@localhost` is never a real mailbox
  if (!labels.every((l) => l.length <= MAX_LABEL_LENGTH && label.test(l))) return null;
  return topLabel.test(labels[labels.length - 1]!) ? domain : null;
}

export function parseEmailAddress(input: unknown): EmailParse {
  if (typeof input !== 'string') return { ok: false, problem: 'not_a_string' };
  // Bound the work before any regex runs on attacker-sized input.
  if (input.length > MAX_EMAIL_LENGTH * 4) return { ok: false, problem: 'too_long' };
  const text = input.trim();
  if (text.length === 0) return { ok: false, problem: 'empty' };
  if (/[<>"()\s,;]/.test(text)) {
    // `Name <a@b.c>`, comments, lists and quoted strings: refuse rather than guess which part counts.
    return { ok: false, problem: /[<>"]/.test(text) ? 'display_name' : 'invalid_local_part' };
  }
  const at = text.lastIndexOf('@');
  if (at < 0) return { ok: false, problem: 'missing_at' };
  const local = text.slice(0, at);
  if (local.length === 0 || local.length > MAX_LOCAL_LENGTH || !localPart.test(local)) {
    return { ok: false, problem: 'invalid_local_part' };
  }
  const domain = asciiDomain(text.slice(at + 1));
  if (!domain) return { ok: false, problem: 'invalid_domain' };
  const address = `${local}@${domain}`;
  if (address.length > MAX_EMAIL_LENGTH) return { ok: false, problem: 'too_long' };
  return { ok: true, address, local, domain };
}

/** The normalised address, or null when it is not one Tollgate will send to. */
export function normaliseEmailAddress(input: unknown): string | null {
  const parsed = parseEmailAddress(input);
  return parsed.ok ? parsed.address : null;
}

/** Lower-case ASCII domain of an address (normalised first); null when the address is invalid. */
export function emailDomain(input: string): string | null {
  const parsed = parseEmailAddress(input);
  return parsed.ok ? parsed.domain : null;
}

/**
 * "j•••@example.com": enough for the user to recognise their address on a page or in a log,
 * too little to harvest it. Invalid input masks to "•••".
 */
export function maskEmail(input: string): string {
  const parsed = parseEmailAddress(input);
  if (!parsed.ok) return '•••';
  return `${Array.from(parsed.local)[0]}•••@${parsed.domain}`;
}
