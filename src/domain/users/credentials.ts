/**
 * What a username and a password must be (issue #12). A username is also the user's id (the demo
 * users log in with theirs), so it is kept to characters that are safe in ids, stream ids and
 * URLs. A password is checked for length only (NIST SP 800-63B: length, not composition rules);
 * the upper bound keeps hashing cheap for the server whatever a client sends.
 */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const USERNAME_RULE = '2 to 64 characters: lower-case letters, digits, dot, underscore or hyphen, starting with a letter or digit';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

// Control characters cannot be typed on a log-in form, and a NUL ends a C string in some hashers.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Why a new password is refused (in Chinese, then English), or undefined if it is acceptable. */
export function passwordFault(password: string): string | undefined {
  const chars = [...password].length;
  if (chars < PASSWORD_MIN_LENGTH) return `密码至少 ${PASSWORD_MIN_LENGTH} 个字符 (at least ${PASSWORD_MIN_LENGTH} characters)`;
  if (chars > PASSWORD_MAX_LENGTH) return `密码最多 ${PASSWORD_MAX_LENGTH} 个字符 (at most ${PASSWORD_MAX_LENGTH} characters)`;
  if (CONTROL.test(password)) return '密码不能包含控制字符 (no control characters)';
  return undefined;
}
