/**
 * A case's projection in one statement (issue #11). The case projector folded each step with
 * the domain's evolve() and then wrote the read side in seven or more round trips inside the
 * append's transaction (case row, open task, household, its key, holder, objections); a
 * decision waited for every one of them. These functions do the same writes, in the same order
 * and with the same statements, in the database; everything they write is computed in JS
 * (src/store/projections/cases.ts, tasks.ts): SQL here only stores, it decides no rule.
 *
 * `sync_open_task(kind, id, want, at)`: at most one open task per subject. The same step as
 * before (same kind, step and round) keeps its task and holder and takes the household hash
 * sent; anything else closes it at `at`, and opens `want` (a WantedTask as JSON), if any.
 *
 * `project_case(p)`: p = {"case": the row's columns, "task": the WantedTask or null,
 * "household": {"householdId","village","members","memberIdHashes","status","headIdHash"},
 * "objections": [{"objectionId","stage","status"}], "at": the last event's time}. `cases` is
 * written as before (INSERT ... ON CONFLICT DO UPDATE, then UPDATE of its holder), so triggers
 * on it see the same statements.
 */
export const sql = `
CREATE FUNCTION sync_open_task(p_kind text, p_id text, p_want jsonb, p_at timestamptz) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  want jsonb := NULLIF(p_want, 'null'::jsonb);
  open_task record;
  has_open boolean;
BEGIN
  SELECT task_id, kind, step, round INTO open_task FROM tasks WHERE subject_kind = p_kind AND subject_id = p_id AND status = 'open';
  has_open := FOUND;
  IF has_open AND want IS NOT NULL AND open_task.kind = want->>'kind' AND open_task.step = want->>'step' AND open_task.round = want->>'round' THEN
    UPDATE tasks SET household_hash = want->>'householdHash' WHERE task_id = open_task.task_id;
    RETURN;
  END IF;
  IF has_open THEN
    UPDATE tasks SET status = 'done', closed_at = p_at WHERE task_id = open_task.task_id;
  END IF;
  IF want IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO tasks (task_id, subject_kind, subject_id, kind, step, round, roles, jurisdiction, household_hash, created_at, due_at, escalate_at, status)
  VALUES (want->>'taskId', p_kind, p_id, want->>'kind', want->>'step', want->>'round', ARRAY(SELECT jsonb_array_elements_text(want->'roles')),
          want->>'jurisdiction', want->>'householdHash', p_at, (want->>'dueAt')::timestamptz, (want->>'escalateAt')::timestamptz, 'open');
END $$;

CREATE FUNCTION project_case(p jsonb) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  c jsonb := p->'case';
  h jsonb := p->'household';
  v_at timestamptz := (p->>'at')::timestamptz;
  case_id_ text := p->'case'->>'caseId';
  o jsonb;
BEGIN
  INSERT INTO cases (case_id, household_id, applicant_id, county, town, village, stage, status, household, state,
    household_hash, reason, opened_at, stage_entered_at, stage_due_at, holder, version, updated_at)
  VALUES (case_id_, c->>'householdId', c->>'applicantId', c->>'county', c->>'town', c->>'village', c->>'stage', c->>'status',
    c->'household', c->'state', c->>'householdHash', c->>'reason', v_at, (c->>'stageEnteredAt')::timestamptz,
    (c->>'stageDueAt')::timestamptz, NULL, (c->>'version')::integer, v_at)
  ON CONFLICT (case_id) DO UPDATE SET
    stage = EXCLUDED.stage, status = EXCLUDED.status, household = EXCLUDED.household, state = EXCLUDED.state,
    household_hash = EXCLUDED.household_hash, reason = EXCLUDED.reason,
    stage_entered_at = EXCLUDED.stage_entered_at, stage_due_at = EXCLUDED.stage_due_at,
    version = EXCLUDED.version, updated_at = EXCLUDED.updated_at;

  PERFORM sync_open_task('case', case_id_, p->'task', v_at);

  INSERT INTO households (household_id, village, members, member_id_hashes, status, current_case_id, updated_at)
  VALUES (h->>'householdId', h->>'village', h->'members', ARRAY(SELECT jsonb_array_elements_text(h->'memberIdHashes')), h->>'status', case_id_, v_at)
  ON CONFLICT (household_id) DO UPDATE SET village = EXCLUDED.village, members = EXCLUDED.members,
    member_id_hashes = EXCLUDED.member_id_hashes, status = EXCLUDED.status, current_case_id = EXCLUDED.current_case_id, updated_at = EXCLUDED.updated_at;
  INSERT INTO household_keys (head_id_hash, household_id) VALUES (h->>'headIdHash', h->>'householdId') ON CONFLICT (head_id_hash) DO NOTHING;

  -- Who holds the case is who holds its open task (none once the step is taken).
  UPDATE cases SET holder = (SELECT holder FROM tasks WHERE subject_kind = 'case' AND subject_id = case_id_ AND status = 'open')
  WHERE case_id = case_id_;

  FOR o IN SELECT * FROM jsonb_array_elements(p->'objections') LOOP
    INSERT INTO objections (objection_id, case_id, stage, status) VALUES (o->>'objectionId', case_id_, o->>'stage', o->>'status')
    ON CONFLICT (objection_id) DO UPDATE SET status = EXCLUDED.status;
  END LOOP;
END $$;
`;
