/**
 * Issue #13, "supervision that acts": the read side shared by pairing, help plans, annual
 * re-verification and the reports. Every table here is a projection of events (helper,
 * pairing, help-plan and review streams), written in the append's transaction; the reports
 * read only these tables and the household registry.
 *
 * - helpers: cadres who help households ("532": a county-level leader helps at least 5, a
 *   department-level leader at least 3, an ordinary cadre at least 2). A helper is a user with
 *   the role `helper`; `related_id_hashes` are keyed hashes of close relatives' ID numbers (no
 *   pairing with one's own or a related household).
 * - pairings: one active helper per enrolled household (full coverage); `last_visit_at`
 *   is kept here so the lost-contact list is one index range.
 * - visits: the visit log (kind and time; notes stay in the event, sealed).
 * - help_plans: each household's help plan, effective only with all three signatures.
 * - reviews: annual re-verification, one review per enrolled household and year.
 * - jurisdictions.population: registered population, for poverty incidence per village.
 */
export const sql = `
CREATE TABLE helpers (
  user_id            text PRIMARY KEY REFERENCES users(user_id),
  rank               text NOT NULL CHECK (rank IN ('county_leader', 'department_leader', 'cadre')),
  unit               text NOT NULL,
  jurisdiction       text NOT NULL REFERENCES jurisdictions(code),
  related_id_hashes  text[] NOT NULL DEFAULT '{}',
  active             boolean NOT NULL DEFAULT true,
  registered_at      timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL
);
CREATE INDEX helpers_jurisdiction_idx ON helpers (jurisdiction, rank) WHERE active;

CREATE TABLE pairings (
  pairing_id          text PRIMARY KEY,
  household_id        text NOT NULL,
  helper_id           text NOT NULL REFERENCES helpers(user_id),
  village             text NOT NULL CHECK (village ~ '^[0-9]{12}$'),
  town                text GENERATED ALWAYS AS (left(village, 9)) STORED,
  county              text GENERATED ALWAYS AS (left(village, 6)) STORED,
  status              text NOT NULL CHECK (status IN ('active', 'ended')),
  paired_at           timestamptz NOT NULL,
  paired_by           text NOT NULL,
  ended_at            timestamptz,
  last_visit_at       timestamptz,
  lost_contact_since  timestamptz
);
CREATE UNIQUE INDEX pairings_one_active_per_household ON pairings (household_id) WHERE status = 'active';
CREATE INDEX pairings_active_helper_idx ON pairings (helper_id) WHERE status = 'active';
CREATE INDEX pairings_active_village_idx ON pairings (village) WHERE status = 'active';
-- The lost-contact list: active pairings by place, least recently visited first.
CREATE INDEX pairings_contact_county_idx ON pairings (county, (coalesce(last_visit_at, paired_at)), pairing_id) WHERE status = 'active';
CREATE INDEX pairings_contact_town_idx ON pairings (town, (coalesce(last_visit_at, paired_at)), pairing_id) WHERE status = 'active';

CREATE TABLE visits (
  visit_id      text PRIMARY KEY,
  household_id  text NOT NULL,
  helper_id     text NOT NULL,
  village       text NOT NULL CHECK (village ~ '^[0-9]{12}$'),
  kind          text NOT NULL CHECK (kind IN ('routine', 'festival', 'wedding', 'funeral', 'hospitalisation', 'dispute')),
  visited_at    timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL
);
CREATE INDEX visits_household_idx ON visits (household_id, visited_at);
CREATE INDEX visits_village_idx ON visits (village, visited_at);

CREATE TABLE help_plans (
  household_id  text PRIMARY KEY,
  village       text NOT NULL CHECK (village ~ '^[0-9]{12}$'),
  plan_hash     text NOT NULL,
  version       integer NOT NULL,
  status        text NOT NULL CHECK (status IN ('draft', 'effective')),
  money_needed  bigint NOT NULL CHECK (money_needed >= 0),
  signed_by     text[] NOT NULL DEFAULT '{}',
  effective_at  timestamptz,
  updated_at    timestamptz NOT NULL
);
CREATE INDEX help_plans_village_idx ON help_plans (village, status);

CREATE TABLE reviews (
  review_id     text PRIMARY KEY,
  household_id  text NOT NULL,
  village       text NOT NULL CHECK (village ~ '^[0-9]{12}$'),
  year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
  status        text NOT NULL CHECK (status IN ('open', 'confirmed', 'exit_proposed')),
  opened_at     timestamptz NOT NULL,
  closed_at     timestamptz,
  closed_by     text,
  UNIQUE (household_id, year)
);
CREATE INDEX reviews_village_idx ON reviews (village, year, status);

ALTER TABLE jurisdictions ADD COLUMN population integer CHECK (population >= 0);
`;
