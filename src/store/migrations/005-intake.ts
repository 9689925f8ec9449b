/**
 * Bulk intake: a file of applications uploaded at once. Every row is validated when the
 * file arrives; valid rows wait as 'pending' (with the validated input, needed to resume
 * after a restart) until their case has started, then keep only the case id.
 */
export const sql = `
CREATE TABLE intake_batches (
  batch_id      text PRIMARY KEY,            -- batch- + sha256(user, village, format, content): a re-upload finds it
  user_id       text NOT NULL REFERENCES users(user_id),
  village       text NOT NULL,
  format        text NOT NULL CHECK (format IN ('csv', 'json')),
  content_hash  text NOT NULL,
  total         integer NOT NULL CHECK (total >= 0),
  status        text NOT NULL CHECK (status IN ('processing', 'done')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
CREATE INDEX intake_batches_processing_idx ON intake_batches (created_at) WHERE status = 'processing';

CREATE TABLE intake_rows (
  batch_id   text NOT NULL REFERENCES intake_batches(batch_id),
  line       integer NOT NULL CHECK (line >= 1),  -- CSV: the file's line (header = 1); JSON: the 1-based row index
  status     text NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
  case_id    text,
  errors     jsonb,                              -- [{ path, message }] of a rejected row
  household  jsonb,                              -- the validated input while pending; cleared once the row is settled
  PRIMARY KEY (batch_id, line),
  CHECK (status <> 'accepted' OR case_id IS NOT NULL),
  CHECK (status <> 'rejected' OR errors IS NOT NULL),
  CHECK (status <> 'pending' OR household IS NOT NULL)
);
CREATE INDEX intake_rows_pending_idx ON intake_rows (batch_id, line) WHERE status = 'pending';
`;
