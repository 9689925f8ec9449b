/** Read model of identification cases, written in the same transaction as their events. */
export const sql = `
CREATE TABLE cases (
  case_id           text PRIMARY KEY,
  household_id      text NOT NULL,
  applicant_id      text NOT NULL,
  county            text NOT NULL,
  town              text NOT NULL,
  village           text NOT NULL,
  stage             text NOT NULL,
  status            text NOT NULL,
  household         jsonb NOT NULL,
  state             jsonb NOT NULL,   -- the domain's CaseState, folded with the same evolve() the workflow uses
  household_hash    text NOT NULL,
  reason            text,
  opened_at         timestamptz NOT NULL,
  stage_entered_at  timestamptz NOT NULL,
  stage_due_at      timestamptz,
  holder            text,
  version           integer NOT NULL,
  updated_at        timestamptz NOT NULL
);
CREATE INDEX cases_village_idx ON cases (village, opened_at, case_id);
CREATE INDEX cases_town_idx ON cases (town, opened_at, case_id);
CREATE INDEX cases_county_idx ON cases (county, opened_at, case_id);
CREATE INDEX cases_stage_due_idx ON cases (stage, stage_due_at) WHERE status = 'open';
CREATE INDEX cases_applicant_idx ON cases (applicant_id);
CREATE INDEX cases_household_idx ON cases (household_id, opened_at);

CREATE TABLE objections (
  objection_id  text PRIMARY KEY,
  case_id       text NOT NULL REFERENCES cases(case_id),
  stage         text NOT NULL,
  status        text NOT NULL
);
CREATE INDEX objections_case_idx ON objections (case_id);
`;
