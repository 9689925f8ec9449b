/**
 * Issue #13: a task may be a follow-up (the town looks into a household that lost contact with
 * its helper), not only a decision or objections to resolve.
 */
export const sql = `
ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('decision', 'objections', 'follow_up'));
`;
