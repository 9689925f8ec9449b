/**
 * Every task reaches someone who may act, and not the one person separation of duties bars.
 *
 * `tasks.barred`: the users who may not act on a task though their role and place fit (the valuer
 * of a calf may not confirm it, whoever reported a hardship may not decide it). The inbox leaves
 * the task out for them, a claim by them is refused, and a supervisor cannot give it to them.
 *
 * `sync_open_task` also refreshes an open task's roles and barred users when the same step is
 * wanted again, so a step whose roles widen reaches the new roles at its next event. Open in-kind
 * confirmations made before took only the village's officials; the town may confirm them too.
 */
export const sql = `
ALTER TABLE tasks ADD COLUMN barred text[] NOT NULL DEFAULT '{}';

CREATE OR REPLACE FUNCTION sync_open_task(p_kind text, p_id text, p_want jsonb, p_at timestamptz) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  want jsonb := NULLIF(p_want, 'null'::jsonb);
  open_task record;
  has_open boolean;
BEGIN
  SELECT task_id, kind, step, round INTO open_task FROM tasks WHERE subject_kind = p_kind AND subject_id = p_id AND status = 'open';
  has_open := FOUND;
  IF has_open AND want IS NOT NULL AND open_task.kind = want->>'kind' AND open_task.step = want->>'step' AND open_task.round = want->>'round' THEN
    UPDATE tasks SET household_hash = want->>'householdHash',
                     roles = ARRAY(SELECT jsonb_array_elements_text(want->'roles')),
                     barred = ARRAY(SELECT jsonb_array_elements_text(COALESCE(want->'barred', '[]'::jsonb)))
     WHERE task_id = open_task.task_id;
    RETURN;
  END IF;
  IF has_open THEN
    UPDATE tasks SET status = 'done', closed_at = p_at WHERE task_id = open_task.task_id;
  END IF;
  IF want IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO tasks (task_id, subject_kind, subject_id, kind, step, round, roles, barred, jurisdiction, household_hash, created_at, due_at, escalate_at, status)
  VALUES (want->>'taskId', p_kind, p_id, want->>'kind', want->>'step', want->>'round', ARRAY(SELECT jsonb_array_elements_text(want->'roles')),
          ARRAY(SELECT jsonb_array_elements_text(COALESCE(want->'barred', '[]'::jsonb))),
          want->>'jurisdiction', want->>'householdHash', p_at, (want->>'dueAt')::timestamptz, (want->>'escalateAt')::timestamptz, 'open');
END $$;

UPDATE tasks SET roles = ARRAY['village_official', 'town_official']
 WHERE status = 'open' AND subject_kind = 'loan' AND step = 'in_kind_confirmation';
`;
