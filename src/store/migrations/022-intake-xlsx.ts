/**
 * Bulk intake from .xlsx workbooks (issue #12): a batch's format may be 'xlsx' beside 'csv' and
 * 'json' (its rows' `line` is then the sheet's row number, header = 1).
 */
export const sql = `
ALTER TABLE intake_batches DROP CONSTRAINT intake_batches_format_check;
ALTER TABLE intake_batches ADD CONSTRAINT intake_batches_format_check CHECK (format IN ('csv', 'json', 'xlsx'));
`;
