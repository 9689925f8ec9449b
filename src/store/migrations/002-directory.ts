/** Jurisdictions (county > town > village) and users with one role and one jurisdiction. */
export const sql = `
CREATE TABLE jurisdictions (
  code         text PRIMARY KEY,
  name         text NOT NULL,
  level        text NOT NULL CHECK (level IN ('county', 'town', 'village')),
  parent_code  text REFERENCES jurisdictions(code)
);

CREATE TABLE users (
  user_id       text PRIMARY KEY,
  name          text NOT NULL,
  role          text NOT NULL,
  jurisdiction  text NOT NULL REFERENCES jurisdictions(code),
  token_hash    text NOT NULL UNIQUE,   -- sha256 of the bearer token; the token itself is never stored
  id_hash       text,                   -- keyed hash of the user's ID number: no deciding on one's own household
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- The API's Idempotency-Key contract: the first response is kept and replayed.
CREATE TABLE idempotency_keys (
  user_id        text NOT NULL,
  key            text NOT NULL,
  method         text NOT NULL,
  path           text NOT NULL,
  request_hash   text NOT NULL,
  status         integer,
  response       jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
`;
