/**
 * Reference lists for the comparison step (比对): other departments' records a county official
 * imports. Entries hold only the keyed hash of each ID number (ID_HASH_KEY), never the number
 * nor a name; the comparison joins them to applicant households by that hash.
 */
export const sql = `
CREATE TABLE reference_lists (
  list_id        text PRIMARY KEY,
  county         text NOT NULL CHECK (county ~ '^[0-9]{6}$'),
  source         text NOT NULL CHECK (source IN ('public_employees', 'vehicles', 'urban_property', 'business_registrations', 'deaths')),
  list_date      date NOT NULL,
  format         text NOT NULL CHECK (format IN ('csv', 'xlsx', 'json')),
  content_hash   text NOT NULL,
  entries        integer NOT NULL,
  imported_by    text NOT NULL,
  imported_at    timestamptz NOT NULL DEFAULT now(),
  -- Filled when the comparison of open cases against the list has run.
  cases_compared integer,
  hits           integer,
  compared_at    timestamptz
);
CREATE INDEX reference_lists_county_idx ON reference_lists (county, imported_at DESC, list_id);

CREATE TABLE reference_list_entries (
  list_id  text NOT NULL REFERENCES reference_lists(list_id),
  id_hash  text NOT NULL,
  line     integer NOT NULL,
  PRIMARY KEY (list_id, id_hash)
);
CREATE INDEX reference_list_entries_hash_idx ON reference_list_entries (id_hash);
`;
