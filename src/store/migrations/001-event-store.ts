/**
 * The event store. Global order is (transaction_id, global_position): a reader only takes
 * events whose transaction id is below the oldest still-running transaction
 * (pg_snapshot_xmin), so an event that commits late is never skipped by a reader that has
 * already moved past its position number.
 */
export const sql = `
CREATE TABLE streams (
  stream_id    text PRIMARY KEY,
  stream_type  text NOT NULL,
  version      integer NOT NULL CHECK (version >= 0),
  last_hash    text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
  global_position  bigserial PRIMARY KEY,
  transaction_id   xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id        text NOT NULL REFERENCES streams(stream_id),
  version          integer NOT NULL CHECK (version >= 1),
  event_id         uuid NOT NULL UNIQUE,
  type             text NOT NULL,
  data             jsonb NOT NULL,
  metadata         jsonb NOT NULL,
  idempotency_key  text NOT NULL,
  fingerprint      text NOT NULL,
  prev_hash        text NOT NULL,
  hash             text NOT NULL,
  recorded_at      timestamptz NOT NULL,
  CONSTRAINT events_stream_version_key UNIQUE (stream_id, version),
  CONSTRAINT events_idempotency_key_key UNIQUE (idempotency_key)
);
CREATE INDEX events_global_order_idx ON events (transaction_id, global_position);

-- Events are facts: corrections are new events, never edits.
CREATE FUNCTION events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only';
END $$;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_are_immutable();
`;
