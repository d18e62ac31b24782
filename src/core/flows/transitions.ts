// The phone-factor session's state machine as pure functions: each takes a session and the facts
// (time, rules, outcome of a check) and returns the next session or throws a TollgateError that
// says what the user may do next (attemptsLeft, sendsLeft, retryAfter).
import { TollgateError } from '../errors.ts';
import type { Channel, CodeChannel } from '../events/event.ts';
import type { CodeRules } from '../codes/one-time-code.ts';
import { type PhoneFactorSession, terminalStatuses } from './session.ts';
import type { AuthenticationMode } from '../policy/profile.ts';

export function isTerminal(session: PhoneFactorSession): boolean {
  return terminalStatuses.includes(session.status);
}

/** A session past its expiry becomes `expired` (returned as a new object; unchanged otherwise). */
export function expireIfDue(session: PhoneFactorSession, now: number): PhoneFactorSession {
  if (isTerminal(session) || now < session.expiresAt) return session;
  return { ...session, status: 'expired', failureReason: 'session_expired', updatedAt: now, code: null };
}

/** Refuses any step on a finished session, with the reason that finished it. */
export function assertOpen(session: PhoneFactorSession): void {
  if (session.status === 'expired') throw new TollgateError('session_expired');
  if (session.status === 'verified') throw new TollgateError('session_completed');
  if (session.status === 'failed') {
    throw new TollgateError('session_failed', undefined, { reason: session.failureReason ?? 'session_failed' });
  }
}

export function channelsFor(mode: AuthenticationMode): Channel[] {
  if (mode === 'sms') return ['sms'];
  if (mode === 'phone') return ['voice'];
  return ['sms', 'voice'];
}

export function assertChannelAllowed(mode: AuthenticationMode, channel: Channel): void {
  const allowed = channelsFor(mode);
  if (!allowed.includes(channel)) {
    throw new TollgateError('channel_not_allowed', `This profile verifies by ${allowed.join(' or ')} only.`, {
      alternatives: allowed,
    });
  }
}

export function sendsLeft(session: PhoneFactorSession, rules: CodeRules): number {
  return Math.max(0, rules.maxSends - session.sendCount);
}

export function attemptsLeft(session: PhoneFactorSession, rules: CodeRules): number {
  if (!session.code || session.code.spent) return 0;
  return Math.max(0, rules.maxWrongAttempts - session.code.wrongAttempts);
}

/** Epoch ms from which the next send is allowed. */
export function resendAvailableAt(session: PhoneFactorSession, rules: CodeRules): number {
  return session.lastSendAt === null ? session.createdAt : session.lastSendAt + rules.resendCooldownMs;
}

/** Checks the send budget and cooldown; throws with retryAfter when the user must wait. */
export function assertMaySend(session: PhoneFactorSession, rules: CodeRules, now: number): void {
  if (sendsLeft(session, rules) === 0) {
    throw new TollgateError('too_many_sends', undefined, { sendsLeft: 0, attemptsLeft: attemptsLeft(session, rules) });
  }
  const at = resendAvailableAt(session, rules);
  if (session.lastSendAt !== null && now < at) {
    throw new TollgateError('resend_cooldown', undefined, {
      retryAfter: Math.ceil((at - now) / 1000),
      sendsLeft: sendsLeft(session, rules),
    });
  }
}

/** Records the number the user picked or typed (status → number_selected). */
export function selectNumber(
  session: PhoneFactorSession,
  phoneNumber: string,
  newPhoneNumberEntered: boolean,
  now: number,
): PhoneFactorSession {
  const changed = session.selectedNumber !== phoneNumber;
  return {
    ...session,
    selectedNumber: phoneNumber,
    newPhoneNumberEntered,
    status: session.status === 'code_sent' && !changed ? 'code_sent' : 'number_selected',
    code: changed ? null : session.code,
    updatedAt: now,
  };
}

/** Records the email address the user typed (status → number_selected, the "destination chosen" state). */
export function selectEmail(session: PhoneFactorSession, email: string, now: number): PhoneFactorSession {
  const changed = session.selectedEmail !== email || session.code?.channel !== 'email';
  return {
    ...session,
    selectedEmail: email,
    status: session.status === 'code_sent' && !changed ? 'code_sent' : 'number_selected',
    code: changed ? null : session.code,
    updatedAt: now,
  };
}

/** A new code goes out: any earlier code is replaced (only the newest code is valid). */
export function recordCodeIssued(
  session: PhoneFactorSession,
  codeHash: string,
  channel: CodeChannel,
  rules: CodeRules,
  now: number,
): PhoneFactorSession {
  const email = channel === 'email' ? (session.selectedEmail ?? null) : null;
  if (channel === 'email' ? !email : !session.selectedNumber) throw new TollgateError(channel === 'email' ? 'invalid_email_address' : 'phone_number_required');
  return {
    ...session,
    status: 'code_sent',
    sendCount: session.sendCount + 1,
    lastSendAt: now,
    updatedAt: now,
    code: {
      hash: codeHash,
      channel,
      phoneNumber: channel === 'email' ? null : session.selectedNumber,
      ...(email ? { email } : {}),
      sentAt: now,
      expiresAt: now + rules.ttlMs,
      wrongAttempts: 0,
      spent: false,
    },
  };
}

/** The provider refused the message: the code never reached anyone, so it is withdrawn. */
export function recordSendFailed(session: PhoneFactorSession, now: number): PhoneFactorSession {
  return { ...session, status: 'number_selected', code: null, updatedAt: now };
}

export type CodeCheck =
  | { result: 'verified'; session: PhoneFactorSession }
  | { result: 'rejected'; session: PhoneFactorSession; error: TollgateError };

/**
 * Applies the outcome of comparing a submitted code. The caller computes `matches` (constant-time)
 * only when `assertCodeCheckable` passed.
 */
export function applyCodeCheck(
  session: PhoneFactorSession,
  matches: boolean,
  rules: CodeRules,
  now: number,
): CodeCheck {
  const code = session.code;
  if (!code) throw new TollgateError('no_code_sent');
  if (matches) {
    return {
      result: 'verified',
      session: {
        ...session,
        status: 'verified',
        verifiedAt: now,
        updatedAt: now,
        code: { ...code, spent: true },
      },
    };
  }
  const wrongAttempts = code.wrongAttempts + 1;
  const spent = wrongAttempts >= rules.maxWrongAttempts;
  let next: PhoneFactorSession = { ...session, updatedAt: now, code: { ...code, wrongAttempts, spent } };
  const left = Math.max(0, rules.maxWrongAttempts - wrongAttempts);
  const sends = sendsLeft(next, rules);
  if (!spent) {
    return { result: 'rejected', session: next, error: new TollgateError('invalid_code', undefined, { attemptsLeft: left, sendsLeft: sends }) };
  }
  if (sends === 0) {
    next = { ...next, status: 'failed', failureReason: 'too_many_attempts' };
    return { result: 'rejected', session: next, error: new TollgateError('too_many_attempts', undefined, { attemptsLeft: 0, sendsLeft: 0 }) };
  }
  const retryAfter = Math.max(0, Math.ceil((resendAvailableAt(next, rules) - now) / 1000));
  return {
    result: 'rejected',
    session: next,
    error: new TollgateError('too_many_attempts', 'Too many wrong codes. Request a new code.', {
      attemptsLeft: 0,
      sendsLeft: sends,
      retryAfter,
    }),
  };
}

/** Throws when there is no live code to compare against (none sent, spent, or expired). */
export function assertCodeCheckable(session: PhoneFactorSession, rules: CodeRules, now: number): void {
  const code = session.code;
  if (!code || session.status !== 'code_sent') throw new TollgateError('no_code_sent', undefined, { sendsLeft: sendsLeft(session, rules) });
  if (code.spent) {
    throw new TollgateError('too_many_attempts', 'This code can no longer be used. Request a new code.', {
      attemptsLeft: 0,
      sendsLeft: sendsLeft(session, rules),
    });
  }
  if (now >= code.expiresAt) {
    throw new TollgateError('code_expired', undefined, {
      sendsLeft: sendsLeft(session, rules),
      retryAfter: Math.max(0, Math.ceil((resendAvailableAt(session, rules) - now) / 1000)),
    });
  }
}

export function markFailed(session: PhoneFactorSession, reason: string, now: number): PhoneFactorSession {
  return { ...session, status: 'failed', failureReason: reason, code: null, updatedAt: now };
}
