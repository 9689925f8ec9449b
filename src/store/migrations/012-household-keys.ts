/**
 * Household ids no longer derive from the head's ID number (issue #8: with a known key, the
 * id plus the masked ID number gave the full number back). New households get a random id;
 * this table finds the id of a household that applies again, by the keyed hash of its head's
 * ID number. Existing households keep their ids (they are referenced by cases and payouts)
 * and are registered here from the registry.
 */

/** Registers every household of the registry by its head (idempotent). */
export const backfillSql = `
INSERT INTO household_keys (head_id_hash, household_id)
SELECT DISTINCT ON (m->>'idHash') m->>'idHash', h.household_id
FROM households h CROSS JOIN LATERAL jsonb_array_elements(h.members) AS m
WHERE m->>'relation' = 'head' AND m->>'idHash' IS NOT NULL
ORDER BY m->>'idHash', h.updated_at DESC
ON CONFLICT DO NOTHING;
`;

export const sql = `
CREATE TABLE household_keys (
  head_id_hash  text PRIMARY KEY,       -- HMAC(ID_HASH_KEY, head's ID number)
  household_id  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
${backfillSql}`;
