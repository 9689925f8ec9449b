/**
 * What GET /metrics counts at every scrape (issue #12), read from indexes alone rather than by
 * scanning the tables' rows (a case row carries its household and state: hundreds of bytes each).
 * - cases by stage and status: an index-only scan of (stage, status), a few MB for 100k cases.
 * - open tasks by kind and step, and how many are past due: the open tasks' (kind, step, due_at).
 * Each costs one more index entry when a case changes stage or a task opens.
 */
export const sql = `
CREATE INDEX cases_stage_status_idx ON cases (stage, status);
CREATE INDEX tasks_open_step_due_idx ON tasks (subject_kind, step, due_at) WHERE status = 'open';
`;
