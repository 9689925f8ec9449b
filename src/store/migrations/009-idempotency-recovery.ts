/**
 * Idempotency keys that recover and expire (issue #7). A request in progress records which
 * API process runs it (`owner`: that process holds a Postgres advisory lock on the id for its
 * whole life) and since when (`started_at`), so a retry can tell a request still running from
 * one whose process died. Rows left in progress before this migration have no owner: a retry
 * takes them over. Keys expire a configured time after `created_at` (the first use).
 */
export const sql = `
ALTER TABLE idempotency_keys
  ADD COLUMN owner integer,
  ADD COLUMN started_at timestamptz NOT NULL DEFAULT now();
UPDATE idempotency_keys SET started_at = created_at;
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
`;
