/**
 * Recorded 403s as a read model (issue #8): the AccessDenied events of the daily
 * `audit-denials-YYYY-MM-DD` streams, projected in the append's transaction so that
 * GET /audit/denials pages by time and filters by user and jurisdiction on indexes, instead of
 * scanning `events` by type. Denials recorded before this migration are copied in.
 */
export const sql = `
CREATE TABLE access_denials (
  event_id      uuid PRIMARY KEY,
  at            timestamptz NOT NULL,
  stream_id     text NOT NULL,
  version       integer NOT NULL,
  user_id       text NOT NULL,
  role          text NOT NULL,
  jurisdiction  text NOT NULL,          -- the denied user's own jurisdiction: what scopes who may read it
  method        text NOT NULL,
  path          text NOT NULL,
  reason        text NOT NULL
);
CREATE INDEX access_denials_time_idx ON access_denials (at, event_id);
CREATE INDEX access_denials_user_idx ON access_denials (user_id, at, event_id);
-- Scoping is "the user's jurisdiction lies within the reader's": a prefix match on the code.
CREATE INDEX access_denials_jurisdiction_idx ON access_denials (jurisdiction text_pattern_ops, at);

INSERT INTO access_denials (event_id, at, stream_id, version, user_id, role, jurisdiction, method, path, reason)
SELECT event_id, recorded_at, stream_id, version, data->>'userId', data->>'role', data->>'jurisdiction',
       data->>'method', data->>'path', coalesce(data->>'reason', '')
FROM events WHERE type = 'AccessDenied';
`;
