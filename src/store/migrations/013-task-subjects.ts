/**
 * Tasks for any subject (issue #9 item 2). The inbox was shaped for cases: `case_id` also held
 * disbursement ids and reconciliation findings, and `stage_entered_at` held a disbursement's
 * round. Loans, pairings and reviews will add kinds of their own, so a task now names:
 *   - its subject: `subject_kind` ('case', 'disbursement', 'reconciliation', …) and `subject_id`;
 *   - its `step` and its `round` (the same step entered again is a new task);
 *   - who may act: `roles`, and `jurisdiction`, the most specific place it sits in (a village,
 *     or a fund's county, town or village); the per-level columns the inbox's indexes use are
 *     derived from it, so they can never disagree with it;
 *   - who holds it, when it is due and when it escalates.
 * Renamed in place (no row is copied or lost): case_id → subject_id, subject_type →
 * subject_kind, stage → step, stage_entered_at → round. Every existing task's jurisdiction is
 * its `village` column, which each producer filled with its most specific code.
 */
export const sql = `
ALTER TABLE tasks RENAME COLUMN case_id TO subject_id;
ALTER TABLE tasks RENAME COLUMN subject_type TO subject_kind;
ALTER TABLE tasks RENAME COLUMN stage TO step;
ALTER TABLE tasks RENAME COLUMN stage_entered_at TO round;

-- A new kind of subject is a new process, not a schema change: the kind only has to be a name.
ALTER TABLE tasks DROP CONSTRAINT tasks_subject_type_check;
ALTER TABLE tasks ALTER COLUMN subject_kind DROP DEFAULT;
ALTER TABLE tasks ADD CONSTRAINT tasks_subject_kind_check CHECK (subject_kind ~ '^[a-z][a-z_]*$');
ALTER TABLE tasks ADD CONSTRAINT tasks_roles_check CHECK (cardinality(roles) > 0);

ALTER TABLE tasks ADD COLUMN jurisdiction text;
UPDATE tasks SET jurisdiction = village;
ALTER TABLE tasks ALTER COLUMN jurisdiction SET NOT NULL;
ALTER TABLE tasks ADD CONSTRAINT tasks_jurisdiction_check CHECK (jurisdiction ~ '^[0-9]{6}([0-9]{3}){0,2}$');

-- The inbox filters with equality on the caller's level: a task sits in its jurisdiction's
-- column and, below that level, repeats its own code (so a county fund's task shows to the
-- county and never to one of its towns).
ALTER TABLE tasks DROP COLUMN county, DROP COLUMN town, DROP COLUMN village;
ALTER TABLE tasks
  ADD COLUMN county  text GENERATED ALWAYS AS (left(jurisdiction, 6)) STORED,
  ADD COLUMN town    text GENERATED ALWAYS AS (left(jurisdiction, 9)) STORED,
  ADD COLUMN village text GENERATED ALWAYS AS (jurisdiction) STORED;
CREATE INDEX tasks_open_village_idx ON tasks (village, created_at, task_id) WHERE status = 'open';
CREATE INDEX tasks_open_town_idx ON tasks (town, created_at, task_id) WHERE status = 'open';
CREATE INDEX tasks_open_county_idx ON tasks (county, created_at, task_id) WHERE status = 'open';

-- When the task goes up to someone above (a supervisor); none of today's steps escalates by itself.
ALTER TABLE tasks ADD COLUMN escalate_at timestamptz;

-- One open task per subject at a time.
DROP INDEX tasks_one_open_per_case;
CREATE UNIQUE INDEX tasks_one_open_per_subject ON tasks (subject_kind, subject_id) WHERE status = 'open';
`;
