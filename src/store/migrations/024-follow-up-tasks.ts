/**
 * Issue #13: a task may be a follow-up (the town looks into a household that lost contact with
 * its helper; a level above looks into an escalated step), not only a decision or objections to
 * resolve. And a jurisdiction sets how long after a step's time limit each escalation comes.
 */
export const sql = `
ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('decision', 'objections', 'follow_up'));
ALTER TABLE jurisdiction_settings ADD COLUMN escalate_after text;
`;
