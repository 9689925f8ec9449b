/**
 * Daily reconciliation of each fund against its bank statement: the last outcome per fund and
 * day (a projection of the reconciliation streams), and fund-manager tasks for its findings.
 */
export const sql = `
ALTER TABLE tasks DROP CONSTRAINT tasks_subject_type_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_subject_type_check CHECK (subject_type IN ('case', 'disbursement', 'reconciliation'));

CREATE TABLE reconciliations (
  fund_id     text NOT NULL REFERENCES funds(fund_id),
  date        text NOT NULL CHECK (date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),   -- the UTC day reconciled
  at          timestamptz NOT NULL,                                          -- when this outcome was recorded
  matched     integer NOT NULL CHECK (matched >= 0),
  mismatches  integer NOT NULL CHECK (mismatches >= 0),                      -- findings still open
  PRIMARY KEY (fund_id, date)
);
CREATE INDEX reconciliations_latest_idx ON reconciliations (fund_id, at DESC);
`;
