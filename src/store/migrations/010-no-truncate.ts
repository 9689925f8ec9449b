/**
 * TRUNCATE skips row triggers, so the append-only rule of 001 (UPDATE and DELETE refused on
 * `events`) did not cover it: one statement could empty the store. Refuse it on `events` and on
 * `streams` (whose heads the verifier checks the events against). A superuser can still drop
 * these triggers; the signed checkpoints outside the database (src/store/anchor) catch that.
 */
export const sql = `
CREATE FUNCTION store_is_not_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only: TRUNCATE % refused', TG_TABLE_NAME;
END $$;
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION store_is_not_truncated();
CREATE TRIGGER streams_no_truncate BEFORE TRUNCATE ON streams
  FOR EACH STATEMENT EXECUTE FUNCTION store_is_not_truncated();
`;
