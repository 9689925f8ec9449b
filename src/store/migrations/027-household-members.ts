/**
 * One person, one household: each person (by the keyed hash of their ID number, never the
 * number) is a member of at most one applying or enrolled household in the deployment. The
 * row is claimed when an application is accepted, before its case starts, so two applications
 * naming the same person at once cannot both be accepted (the primary key decides); a row whose
 * household has since been rejected or has exited is free to be claimed again. A member moved
 * between households (marriage, a divided household) is moved here by the transfer's events.
 * Households already registered are entered here, the most recently updated first, so that a
 * person listed in two open households before this rule keeps one, and shows in the other.
 */
export const sql = `
CREATE TABLE household_members (
  id_hash       text PRIMARY KEY,        -- HMAC(ID_HASH_KEY, the person's ID number)
  household_id  text NOT NULL,
  case_id       text NOT NULL,           -- the application that claimed the person
  claimed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX household_members_household_idx ON household_members (household_id);

INSERT INTO household_members (id_hash, household_id, case_id, claimed_at)
SELECT DISTINCT ON (m.id_hash) m.id_hash, h.household_id, h.current_case_id, h.updated_at
FROM households h CROSS JOIN LATERAL unnest(h.member_id_hashes) AS m(id_hash)
WHERE h.status IN ('applying', 'enrolled')
ORDER BY m.id_hash, h.updated_at DESC
ON CONFLICT DO NOTHING;
`;
