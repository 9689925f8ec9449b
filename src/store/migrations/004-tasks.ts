/** The task inbox and the household registry, both projections of case events. */
export const sql = `
CREATE TABLE tasks (
  task_id          text PRIMARY KEY,
  case_id          text NOT NULL,      -- the subject: a case, or a disbursement (subject_type)
  subject_type     text NOT NULL DEFAULT 'case' CHECK (subject_type IN ('case', 'disbursement')),
  kind             text NOT NULL CHECK (kind IN ('decision', 'objections')),
  stage            text NOT NULL,
  roles            text[] NOT NULL,
  county           text NOT NULL,
  town             text NOT NULL,
  village          text NOT NULL,
  household_hash   text NOT NULL,
  stage_entered_at text NOT NULL,    -- identifies the round: a returned case enters a stage again
  created_at       timestamptz NOT NULL,
  due_at           timestamptz,
  holder           text,
  claimed_at       timestamptz,
  status           text NOT NULL CHECK (status IN ('open', 'done')),
  closed_at        timestamptz
);
-- One open task per case at a time; the inbox reads open tasks by place, oldest first.
CREATE UNIQUE INDEX tasks_one_open_per_case ON tasks (case_id) WHERE status = 'open';
-- Queries name the column of the caller's level (county, town or village) with equality.
CREATE INDEX tasks_open_village_idx ON tasks (village, created_at, task_id) WHERE status = 'open';
CREATE INDEX tasks_open_town_idx ON tasks (town, created_at, task_id) WHERE status = 'open';
CREATE INDEX tasks_open_county_idx ON tasks (county, created_at, task_id) WHERE status = 'open';

-- Supervision: open cases by due time, most overdue first; the summary reads index-only.
CREATE INDEX cases_open_due_county_idx ON cases (county, stage_due_at, case_id) WHERE status = 'open';
CREATE INDEX cases_open_due_town_idx ON cases (town, stage_due_at, case_id) WHERE status = 'open';
CREATE INDEX cases_open_due_village_idx ON cases (village, stage_due_at, case_id) WHERE status = 'open';
CREATE INDEX cases_open_summary_idx ON cases (county, stage, town, village) INCLUDE (stage_due_at, stage_entered_at) WHERE status = 'open';

CREATE TABLE households (
  household_id      text PRIMARY KEY,
  village           text NOT NULL,
  members           jsonb NOT NULL,
  member_id_hashes  text[] NOT NULL,
  status            text NOT NULL CHECK (status IN ('applying', 'enrolled', 'rejected', 'exited')),
  current_case_id   text NOT NULL,
  updated_at        timestamptz NOT NULL
);
CREATE INDEX households_members_idx ON households USING gin (member_id_hashes);
CREATE INDEX households_village_idx ON households (village, status);
`;
