/**
 * An append in one statement (issue #11): `append_events` does in the database what
 * EventStore.append did in six round trips, so that an append with no projector to run costs
 * one round trip and one commit. The guarantees are the same, in the same order:
 *   1. the stream row is created if missing and locked, so that whatever a twin of this append
 *      committed before us is visible to the next statement (a VOLATILE function takes a fresh
 *      snapshot per statement under READ COMMITTED);
 *   2. a retry is recognised by its idempotency keys: every key stored with the same content
 *      fingerprint returns the stored rows flagged `duplicate`; a key missing, an extra one or
 *      another fingerprint is refused (EV002, DETAIL the key);
 *   3. the stream type must match (EV003);
 *   4. the stream must be at `p_expected` (NULL: at any version; 0: no events yet), else EV001
 *      with DETAIL the actual version;
 *   5. each event is inserted with its hash chained to the one before, and the head moves on.
 *
 * The hash is computed here but over text the caller made: canonical JSON sorts keys and
 * `version` sorts last of the hashed fields, so the caller sends the canonical JSON of every
 * other field without its closing brace (`canonical`, see src/store/hash-chain.ts) and the
 * version, known only here (an append at any version), is written at its end. The stored
 * columns are parsed from that same text, so what is stored is what was hashed. SQLSTATE class
 * EV is ours (no Postgres class uses it); the caller maps each code to its error.
 *
 * `p_events`: a JSON array of {"key": idempotency key, "fingerprint": content fingerprint,
 * "canonical": the open canonical text}.
 */
export const sql = `
CREATE FUNCTION append_events(p_stream_id text, p_stream_type text, p_expected integer, p_events jsonb)
RETURNS TABLE (
  global_position bigint, transaction_id xid8, stream_id text, version integer, event_id uuid, type text, data jsonb,
  metadata jsonb, idempotency_key text, fingerprint text, prev_hash text, hash text, recorded_at timestamptz,
  duplicate boolean, stream_version integer
)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  head streams%ROWTYPE;
  keys text[] := ARRAY(SELECT e->>'key' FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, i) ORDER BY i);
  stored integer;
  stored_fingerprint text;
  e jsonb;
  fields jsonb;
  next_version integer;
  prev text;
  next_hash text;
BEGIN
  IF coalesce(cardinality(keys), 0) = 0 THEN
    RAISE EXCEPTION 'append_events: no events';
  END IF;

  -- A new stream's head is GENESIS_HASH (src/store/hash-chain.ts).
  INSERT INTO streams (stream_id, stream_type, version, last_hash) VALUES (p_stream_id, p_stream_type, 0, repeat('0', 64))
    ON CONFLICT (stream_id) DO NOTHING;
  SELECT * INTO head FROM streams WHERE streams.stream_id = p_stream_id FOR UPDATE;

  SELECT count(*) INTO stored FROM events WHERE events.idempotency_key = ANY (keys);
  IF stored > 0 THEN
    FOR e IN SELECT x.e FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, i) ORDER BY x.i LOOP
      SELECT events.fingerprint INTO stored_fingerprint FROM events WHERE events.idempotency_key = e->>'key';
      IF NOT FOUND OR stored <> cardinality(keys) OR stored_fingerprint <> e->>'fingerprint' THEN
        RAISE EXCEPTION 'idempotency key % was already used for different content', e->>'key'
          USING ERRCODE = 'EV002', DETAIL = e->>'key';
      END IF;
    END LOOP;
    RETURN QUERY
      SELECT ev.global_position, ev.transaction_id, ev.stream_id, ev.version, ev.event_id, ev.type, ev.data, ev.metadata,
             ev.idempotency_key, ev.fingerprint, ev.prev_hash, ev.hash, ev.recorded_at, true, head.version
      FROM unnest(keys) WITH ORDINALITY AS k(key, i) JOIN events ev ON ev.idempotency_key = k.key
      ORDER BY k.i;
    RETURN;
  END IF;

  IF head.stream_type <> p_stream_type THEN
    RAISE EXCEPTION 'stream % is a %, not a %', p_stream_id, head.stream_type, p_stream_type USING ERRCODE = 'EV003';
  END IF;
  IF p_expected IS NOT NULL AND head.version <> p_expected THEN
    RAISE EXCEPTION 'stream % is at version %, expected %', p_stream_id, head.version, p_expected
      USING ERRCODE = 'EV001', DETAIL = head.version::text;
  END IF;

  next_version := head.version;
  prev := head.last_hash;
  FOR e IN SELECT x.e FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, i) ORDER BY x.i LOOP
    next_version := next_version + 1;
    fields := ((e->>'canonical') || '}')::jsonb;
    IF fields->>'streamId' IS DISTINCT FROM p_stream_id THEN
      RAISE EXCEPTION 'append_events: an event of stream % in an append to %', fields->>'streamId', p_stream_id;
    END IF;
    next_hash := encode(sha256(convert_to(prev || E'\\n' || (e->>'canonical') || ',"version":' || next_version || '}', 'UTF8')), 'hex');
    INSERT INTO events (stream_id, version, event_id, type, data, metadata, idempotency_key, fingerprint, prev_hash, hash, recorded_at)
      VALUES (p_stream_id, next_version, (fields->>'eventId')::uuid, fields->>'type', fields->'data', fields->'metadata',
              e->>'key', e->>'fingerprint', prev, next_hash, (fields->>'recordedAt')::timestamptz);
    prev := next_hash;
  END LOOP;
  UPDATE streams SET version = next_version, last_hash = prev, updated_at = now() WHERE streams.stream_id = p_stream_id;

  RETURN QUERY
    SELECT ev.global_position, ev.transaction_id, ev.stream_id, ev.version, ev.event_id, ev.type, ev.data, ev.metadata,
           ev.idempotency_key, ev.fingerprint, ev.prev_hash, ev.hash, ev.recorded_at, false, next_version
    FROM events ev WHERE ev.stream_id = p_stream_id AND ev.version > head.version
    ORDER BY ev.version;
END $$;
`;
