/**
 * The supervision summary without a scan (issue #11): the open cases per village and stage kept
 * as running totals by triggers on `cases`, in the writer's own transaction, so every writer (the
 * projector, a bulk seed, a hand-written fix) keeps them right.
 *
 * - open_case_groups: per (village, stage) the open count, the sum of stage_entered_at epochs
 *   (the mean age at any `now` is exact from it) and how many have a due time.
 * - open_case_due_days: per (village, stage, UTC day of stage_due_at) how many are due that day.
 *   Overdue at `now` = with a due time − due after today (these buckets) − due later today (an
 *   index range on `cases`, within one day). Future buckets are few (stage limits are days),
 *   past ones would grow with stuck cases: hence "minus the future" rather than "plus the past".
 * - The oldest case per group is an index probe at read time (cases_open_*_entered_idx): a
 *   running minimum cannot be kept when its case leaves without rereading `cases`.
 *
 * Lost counts: every change is an upsert (INSERT … ON CONFLICT DO UPDATE adds to the row under
 * its lock). Deadlocks: a case leaving one group for another touches the two group rows in key
 * order, and a day bucket only under its group's row lock. Cases-row updates that move nothing
 * (holder, state, household) do not fire the function (WHEN clause).
 * cases_open_summary_idx served only the scan this replaces: dropped.
 */
export const sql = `
LOCK TABLE cases IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE open_case_groups (
  village      text NOT NULL,
  stage        text NOT NULL,
  town         text NOT NULL,
  county       text NOT NULL,
  open         integer NOT NULL,
  entered_sum  numeric NOT NULL,  -- sum of extract(epoch FROM stage_entered_at), exact to the microsecond
  with_due     integer NOT NULL,  -- open cases whose stage_due_at is not NULL
  PRIMARY KEY (village, stage, town, county)
);
CREATE INDEX open_case_groups_town_idx ON open_case_groups (town);
CREATE INDEX open_case_groups_county_idx ON open_case_groups (county);

CREATE TABLE open_case_due_days (
  village  text NOT NULL,
  stage    text NOT NULL,
  town     text NOT NULL,
  county   text NOT NULL,
  due_day  date NOT NULL,         -- (stage_due_at AT TIME ZONE 'UTC')::date
  due      integer NOT NULL,
  PRIMARY KEY (village, stage, town, county, due_day)
);
CREATE INDEX open_case_due_days_town_idx ON open_case_due_days (town, due_day);
CREATE INDEX open_case_due_days_county_idx ON open_case_due_days (county, due_day);

-- The oldest open case of a (town or village, stage): one index probe per group.
-- (The other levels are included so that a probe holds a case to its scope and place index-only.)
CREATE INDEX cases_open_town_entered_idx ON cases (town, stage, stage_entered_at) INCLUDE (county, village) WHERE status = 'open';
CREATE INDEX cases_open_village_entered_idx ON cases (village, stage, stage_entered_at) INCLUDE (county, town) WHERE status = 'open';
DROP INDEX cases_open_summary_idx;

-- Adds (delta = 1) or removes (delta = -1) one open case from its group and its due day.
CREATE FUNCTION open_case_summary_add(p_county text, p_town text, p_village text, p_stage text,
                                      p_entered timestamptz, p_due timestamptz, delta integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  day date := (p_due AT TIME ZONE 'UTC')::date;
  remaining integer;
BEGIN
  INSERT INTO open_case_groups AS g (village, stage, town, county, open, entered_sum, with_due)
  VALUES (p_village, p_stage, p_town, p_county, delta, delta * extract(epoch FROM p_entered),
          CASE WHEN p_due IS NULL THEN 0 ELSE delta END)
  ON CONFLICT (village, stage, town, county) DO UPDATE
    SET open = g.open + EXCLUDED.open, entered_sum = g.entered_sum + EXCLUDED.entered_sum,
        with_due = g.with_due + EXCLUDED.with_due;
  IF p_due IS NULL THEN RETURN; END IF;
  INSERT INTO open_case_due_days AS d (village, stage, town, county, due_day, due)
  VALUES (p_village, p_stage, p_town, p_county, day, delta)
  ON CONFLICT (village, stage, town, county, due_day) DO UPDATE SET due = d.due + EXCLUDED.due
  RETURNING due INTO remaining;
  -- Past days would otherwise pile up as zero rows; the group row's lock is held, so no one adds meanwhile.
  IF remaining = 0 THEN
    DELETE FROM open_case_due_days
     WHERE village = p_village AND stage = p_stage AND town = p_town AND county = p_county AND due_day = day AND due = 0;
  END IF;
END $$;

CREATE FUNCTION open_case_summary_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_open boolean := TG_OP <> 'INSERT' AND OLD.status = 'open';
  is_open boolean := TG_OP <> 'DELETE' AND NEW.status = 'open';
BEGIN
  -- Two group rows in key order, whichever way the case moves: no deadlock between two moves.
  IF was_open AND is_open AND (NEW.village, NEW.stage, NEW.town, NEW.county) < (OLD.village, OLD.stage, OLD.town, OLD.county) THEN
    PERFORM open_case_summary_add(NEW.county, NEW.town, NEW.village, NEW.stage, NEW.stage_entered_at, NEW.stage_due_at, 1);
    PERFORM open_case_summary_add(OLD.county, OLD.town, OLD.village, OLD.stage, OLD.stage_entered_at, OLD.stage_due_at, -1);
  ELSE
    IF was_open THEN
      PERFORM open_case_summary_add(OLD.county, OLD.town, OLD.village, OLD.stage, OLD.stage_entered_at, OLD.stage_due_at, -1);
    END IF;
    IF is_open THEN
      PERFORM open_case_summary_add(NEW.county, NEW.town, NEW.village, NEW.stage, NEW.stage_entered_at, NEW.stage_due_at, 1);
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER cases_open_summary_insert AFTER INSERT ON cases
  FOR EACH ROW WHEN (NEW.status = 'open') EXECUTE FUNCTION open_case_summary_track();
CREATE TRIGGER cases_open_summary_update AFTER UPDATE ON cases
  FOR EACH ROW WHEN ((OLD.status, OLD.county, OLD.town, OLD.village, OLD.stage, OLD.stage_entered_at, OLD.stage_due_at)
                     IS DISTINCT FROM (NEW.status, NEW.county, NEW.town, NEW.village, NEW.stage, NEW.stage_entered_at, NEW.stage_due_at))
  EXECUTE FUNCTION open_case_summary_track();
CREATE TRIGGER cases_open_summary_delete AFTER DELETE ON cases
  FOR EACH ROW WHEN (OLD.status = 'open') EXECUTE FUNCTION open_case_summary_track();

CREATE FUNCTION open_case_summary_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE open_case_groups, open_case_due_days;
  RETURN NULL;
END $$;
CREATE TRIGGER cases_open_summary_truncate AFTER TRUNCATE ON cases
  FOR EACH STATEMENT EXECUTE FUNCTION open_case_summary_truncate();

-- Backfill: writers wait on the lock above, so nothing slips between this and the triggers.
INSERT INTO open_case_groups (village, stage, town, county, open, entered_sum, with_due)
SELECT village, stage, town, county, count(*), sum(extract(epoch FROM stage_entered_at)), count(stage_due_at)
  FROM cases WHERE status = 'open' GROUP BY village, stage, town, county;
INSERT INTO open_case_due_days (village, stage, town, county, due_day, due)
SELECT village, stage, town, county, (stage_due_at AT TIME ZONE 'UTC')::date, count(*)
  FROM cases WHERE status = 'open' AND stage_due_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
`;
