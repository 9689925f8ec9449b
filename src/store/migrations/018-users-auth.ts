/**
 * Log-in (issue #12): users may have a password (an argon2id hash, never the password) and may be
 * deactivated; log-in sessions are kept as hashes of their tokens. A user made in the console has
 * no API token, so `token_hash` may be empty. The lock-out counters live on the user's row, which
 * a log-in locks (SELECT … FOR UPDATE), so concurrent failures are counted one after another; what
 * happened is also recorded as events on the user's stream.
 */
export const sql = `
ALTER TABLE users ALTER COLUMN token_hash DROP NOT NULL;
ALTER TABLE users
  ADD COLUMN password_hash     text,
  ADD COLUMN active            boolean NOT NULL DEFAULT true,
  ADD COLUMN failed_logins     integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  ADD COLUMN first_failure_at  timestamptz,
  ADD COLUMN locked_until      timestamptz;

CREATE INDEX users_jurisdiction ON users (jurisdiction text_pattern_ops, user_id);
CREATE INDEX users_administrators ON users (role) WHERE role = 'administrator';
CREATE INDEX jurisdictions_code_prefix ON jurisdictions (code text_pattern_ops);

CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,              -- sha256 of the session token; the token itself is never stored
  user_id     text NOT NULL REFERENCES users(user_id),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;
`;
