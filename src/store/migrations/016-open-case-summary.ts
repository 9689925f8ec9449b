/**
 * The supervision summary without a scan (issue #11): the open cases per village and stage kept
 * as running totals by triggers on `cases`, in the writer's own transaction, so every writer (the
 * projector, a bulk seed, a hand-written fix) keeps them right.
 *
 * - open_case_groups: per (village, stage) the open count, the sum of stage_entered_at epochs
 *   (the mean age at any `now` is exact from it) and how many have a due time.
 * - open_case_due_days: per (village, stage, UTC day of stage_due_at) how many are due that day
 *   (open_case_town_due_days: the same per town, for summaries by town).
 *   Overdue at `now` = with a due time − due after today (these buckets) − due later today (an
 *   index-only range of cases_open_due_*_idx, within one day, which now cover stage and places). Future buckets are few (stage limits are days),
 *   past ones would grow with stuck cases: hence "minus the future" rather than "plus the past".
 * - The oldest case per group is an index probe at read time (cases_open_*_entered_idx): a
 *   running minimum cannot be kept when its case leaves without rereading `cases`.
 *
 * Statement triggers with transition tables: a bulk write (the benchmark's seed of 100k cases in
 * one INSERT) adds its changes per group in one upsert, where row triggers would update the same
 * few rows 100k times in one transaction, each update walking a longer chain of row versions.
 * Lost counts: every change is an upsert (INSERT … ON CONFLICT DO UPDATE adds to the row under
 * its lock). Deadlocks: see applyChanges. A transaction writing several cases in several
 * statements (none does: one case stream per transaction) could still meet another in a deadlock,
 * which PostgreSQL breaks by failing one of them.
 * cases_open_summary_idx served only the scan this replaces: dropped.
 */
/** The columns of a case that the totals depend on. */
const TRACKED = (t: string) => ['status', 'county', 'town', 'village', 'stage', 'stage_entered_at', 'stage_due_at'].map((c) => `${t}.${c}`).join(', ');

/**
 * The body of a statement trigger: `changes` selects (village, stage, town, county, entered,
 * due, n = +1 joins / -1 leaves) per open case the statement changed. One upsert per table, in
 * key order, tables in a fixed order (groups, village days, town days): two statements moving
 * cases both ways between two groups take their locks in the same order. Every touched group row
 * is locked even when its sums net to zero (a due day moved). Emptied day buckets are deleted,
 * only those this statement updated (so locked already): past days would pile up as zero rows.
 */
function applyChanges(changes: string): string {
  const day = `(due AT TIME ZONE 'UTC')::date`;
  return `
  IF NOT EXISTS (${changes}) THEN RETURN NULL; END IF;
  WITH d AS (${changes})
  INSERT INTO open_case_groups AS g (village, stage, town, county, open, entered_sum, with_due)
  SELECT village, stage, town, county, sum(n), sum(n * extract(epoch FROM entered)), coalesce(sum(n) FILTER (WHERE due IS NOT NULL), 0)
    FROM d GROUP BY village, stage, town, county ORDER BY village, stage, town, county
  ON CONFLICT (village, stage, town, county) DO UPDATE
    SET open = g.open + EXCLUDED.open, entered_sum = g.entered_sum + EXCLUDED.entered_sum, with_due = g.with_due + EXCLUDED.with_due;
  WITH d AS (${changes}), upserted AS (
    INSERT INTO open_case_due_days AS b (village, stage, town, county, due_day, due)
    SELECT village, stage, town, county, ${day}, sum(n)
      FROM d WHERE due IS NOT NULL GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (village, stage, town, county, due_day) DO UPDATE SET due = b.due + EXCLUDED.due
    RETURNING due)
  SELECT count(*) FILTER (WHERE due = 0) INTO emptied FROM upserted;
  IF emptied > 0 THEN
    WITH d AS (${changes})
    DELETE FROM open_case_due_days b
     USING (SELECT village, stage, town, county, ${day} AS due_day FROM d WHERE due IS NOT NULL GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0) k
     WHERE b.due = 0 AND (b.village, b.stage, b.town, b.county, b.due_day) = (k.village, k.stage, k.town, k.county, k.due_day);
  END IF;
  WITH d AS (${changes}), upserted AS (
    INSERT INTO open_case_town_due_days AS b (town, due_day, stage, county, due)
    SELECT town, ${day}, stage, county, sum(n)
      FROM d WHERE due IS NOT NULL GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (town, due_day, stage, county) DO UPDATE SET due = b.due + EXCLUDED.due
    RETURNING due)
  SELECT count(*) FILTER (WHERE due = 0) INTO emptied FROM upserted;
  IF emptied > 0 THEN
    WITH d AS (${changes})
    DELETE FROM open_case_town_due_days b
     USING (SELECT town, ${day} AS due_day, stage, county FROM d WHERE due IS NOT NULL GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0) k
     WHERE b.due = 0 AND (b.town, b.due_day, b.stage, b.county) = (k.town, k.due_day, k.stage, k.county);
  END IF;
  RETURN NULL;`;
}

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

-- The same per town: a county's summary by town sums a tenth of the rows.
CREATE TABLE open_case_town_due_days (
  town     text NOT NULL,
  due_day  date NOT NULL,
  stage    text NOT NULL,
  county   text NOT NULL,
  due      integer NOT NULL,
  PRIMARY KEY (town, due_day, stage, county)
);
CREATE INDEX open_case_town_due_days_county_idx ON open_case_town_due_days (county, due_day);

-- Due later today, index-only: the stalled lists' indexes (004), now covering stage and places.
DROP INDEX cases_open_due_county_idx, cases_open_due_town_idx, cases_open_due_village_idx;
CREATE INDEX cases_open_due_county_idx ON cases (county, stage_due_at, case_id) INCLUDE (stage, town, village) WHERE status = 'open';
CREATE INDEX cases_open_due_town_idx ON cases (town, stage_due_at, case_id) INCLUDE (stage, village) WHERE status = 'open';
CREATE INDEX cases_open_due_village_idx ON cases (village, stage_due_at, case_id) INCLUDE (stage, town) WHERE status = 'open';

-- The oldest open case of a (town or village, stage): one index probe per group.
-- (The other levels are included so that a probe holds a case to its scope and place index-only.)
CREATE INDEX cases_open_town_entered_idx ON cases (town, stage, stage_entered_at) INCLUDE (county, village) WHERE status = 'open';
CREATE INDEX cases_open_village_entered_idx ON cases (village, stage, stage_entered_at) INCLUDE (county, town) WHERE status = 'open';
DROP INDEX cases_open_summary_idx;

CREATE FUNCTION open_case_summary_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE emptied integer;
BEGIN
${applyChanges(`SELECT village, stage, town, county, stage_entered_at AS entered, stage_due_at AS due, 1 AS n
                  FROM new_rows WHERE status = 'open'`)}
END $$;

CREATE FUNCTION open_case_summary_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE emptied integer;
BEGIN
${applyChanges(`SELECT village, stage, town, county, stage_entered_at AS entered, stage_due_at AS due, -1 AS n
                  FROM old_rows WHERE status = 'open'`)}
END $$;

-- An updated case leaves its old group and joins its new one, unless nothing the totals hold
-- changed (the holder, the state, the household: most updates), which costs one join.
CREATE FUNCTION open_case_summary_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE emptied integer;
BEGIN
${applyChanges(`SELECT o.village, o.stage, o.town, o.county, o.stage_entered_at AS entered, o.stage_due_at AS due, -1 AS n
                  FROM old_rows o LEFT JOIN new_rows n ON n.case_id = o.case_id
                 WHERE o.status = 'open' AND (n.case_id IS NULL OR (${TRACKED('o')}) IS DISTINCT FROM (${TRACKED('n')}))
                UNION ALL
                SELECT n.village, n.stage, n.town, n.county, n.stage_entered_at, n.stage_due_at, 1
                  FROM new_rows n LEFT JOIN old_rows o ON o.case_id = n.case_id
                 WHERE n.status = 'open' AND (o.case_id IS NULL OR (${TRACKED('o')}) IS DISTINCT FROM (${TRACKED('n')}))`)}
END $$;

CREATE TRIGGER cases_open_summary_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION open_case_summary_inserted();
CREATE TRIGGER cases_open_summary_update AFTER UPDATE ON cases REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION open_case_summary_updated();
CREATE TRIGGER cases_open_summary_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION open_case_summary_deleted();

CREATE FUNCTION open_case_summary_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE open_case_groups, open_case_due_days, open_case_town_due_days;
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
INSERT INTO open_case_town_due_days (town, due_day, stage, county, due)
SELECT town, (stage_due_at AT TIME ZONE 'UTC')::date, stage, county, count(*)
  FROM cases WHERE status = 'open' AND stage_due_at IS NOT NULL GROUP BY 1, 2, 3, 4;
`;
