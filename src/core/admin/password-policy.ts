// What a new admin password must satisfy. Length is what matters most (NIST SP 800-63B): at least
// 12 characters, no composition rules, but not the username and not a well-known password.
import { MAX_PASSWORD_LENGTH } from './password.ts';

export const MIN_PASSWORD_LENGTH = 12;

/**
 * Passwords of 12+ characters that top the breach lists, plus the product's own name. Shorter
 * common passwords are already refused by the length rule. Compared lower-cased.
 */
const commonPasswords = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789123', '1q2w3e4r5t6y', '1qaz2wsx3edc',
  'qwertyuiop12', 'qwerty123456', 'qwertyuiop123', 'qwertyuiopasdf', 'asdfghjkl123', 'zaq12wsxcde3',
  'password1234', 'password12345', 'password123!', 'passw0rd1234', 'passwordpassword', 'password1234!',
  'iloveyou1234', 'letmein12345', 'welcome12345', 'welcome@1234', 'changeme1234', 'changemenow!',
  'administrator', 'administrator1', 'admin1234567', 'adminadmin12', 'adminpassword', 'superadmin123',
  'trustno1trustno1', 'monkey123456', 'football1234', 'baseball1234', 'sunshine1234', 'princess1234',
  'abcdefghijkl', 'abc123abc123', 'abcd12345678', 'aa123456789a', 'p@ssw0rd1234', 'p@ssword1234',
  'correcthorsebatterystaple', 'tollgate1234', 'tollgateadmin', 'tollgate-admin', 'tollgatetollgate',
]);

export type PasswordProblem = 'too_short' | 'too_long' | 'same_as_username' | 'too_common';

export const passwordProblemMessages: Record<PasswordProblem, string> = {
  too_short: `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`,
  too_long: `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`,
  same_as_username: 'The password must not be the username.',
  too_common: 'This password is too common; choose another one (a few unrelated words work well).',
};

/** The first rule the password breaks, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  const length = [...password].length; // code points, so emoji and accents count once
  if (length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (password.length > MAX_PASSWORD_LENGTH) return 'too_long';
  const lower = password.toLowerCase();
  if (lower.trim() === username.trim().toLowerCase()) return 'same_as_username';
  // One character repeated ("aaaaaaaaaaaa") is as weak as any entry on the list.
  if (commonPasswords.has(lower) || new Set(lower).size <= 2) return 'too_common';
  return null;
}
