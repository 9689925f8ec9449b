/**
 * Revolving loans (issue #10): read models of the three loan streams (schemes, batches, loans)
 * and of repayments, and the pool's books on the fund itself (one ledger, no second one).
 *
 * The pool's books: a loan's payout is a disbursement (purpose `loan_principal`) that also
 * counts as `lent`; what comes back in cash or by bank transfer is `recovered_cash` and goes
 * back into `available`; a calf handed over is `in_kind` (no cash); a write-off is
 * `written_off`. What is still owed, `receivable`, is what was lent less all three. So the
 * cash identity becomes available + reserved + paid = deposited + recovered_cash, and with it
 *   cash (available + reserved) + receivable + in_kind + written_off + (paid − lent) = deposited
 * holds at every moment, checked by Postgres on every row. Existing funds get zeros.
 */
export const sql = `
ALTER TABLE fund_balances
  ADD COLUMN lent           bigint NOT NULL DEFAULT 0 CHECK (lent >= 0),
  ADD COLUMN recovered_cash bigint NOT NULL DEFAULT 0 CHECK (recovered_cash >= 0),
  ADD COLUMN in_kind        bigint NOT NULL DEFAULT 0 CHECK (in_kind >= 0),
  ADD COLUMN written_off    bigint NOT NULL DEFAULT 0 CHECK (written_off >= 0),
  ADD COLUMN receivable     bigint NOT NULL DEFAULT 0,
  ADD CONSTRAINT fund_receivable_identity CHECK (receivable = lent - recovered_cash - in_kind - written_off AND receivable >= 0),
  ADD CONSTRAINT fund_lent_within_paid CHECK (lent <= paid);
ALTER TABLE fund_balances DROP CONSTRAINT fund_balance_identity;
-- Cash recoveries come back into available; in-kind repayments and write-offs touch no cash.
ALTER TABLE fund_balances ADD CONSTRAINT fund_balance_identity CHECK (available + reserved + paid = deposited + recovered_cash);

CREATE TABLE loan_schemes (
  scheme_id           text PRIMARY KEY,
  name                text NOT NULL,
  fund_id             text NOT NULL REFERENCES funds(fund_id),
  county              text NOT NULL,
  terms               jsonb NOT NULL,
  terms_version       int NOT NULL CHECK (terms_version >= 1),
  eligible_villages   text[] NOT NULL,
  write_off_bar_years int NOT NULL CHECK (write_off_bar_years >= 0),
  -- Batches that paid at least one loan, and loans paid (one per household per cycle).
  cycles              int NOT NULL DEFAULT 0 CHECK (cycles >= 0),
  households_served   int NOT NULL DEFAULT 0 CHECK (households_served >= 0),
  created_by          text NOT NULL,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);
CREATE INDEX loan_schemes_county_idx ON loan_schemes (county, created_at, scheme_id);
CREATE UNIQUE INDEX loan_schemes_fund_idx ON loan_schemes (fund_id);

CREATE TABLE loan_batches (
  batch_id          text PRIMARY KEY,
  scheme_id         text NOT NULL REFERENCES loan_schemes(scheme_id),
  cycle             int NOT NULL CHECK (cycle >= 1),
  terms_version     int NOT NULL,
  status            text NOT NULL CHECK (status IN ('publicity', 'signing', 'paying', 'completed')),
  households        int NOT NULL CHECK (households >= 0),
  -- The pool's cash the batch claims while it runs (count × amount); released once settled.
  claim_fen         bigint NOT NULL DEFAULT 0 CHECK (claim_fen >= 0),
  settled_at        timestamptz,
  publicity_ends_at timestamptz,
  loans_paid        int NOT NULL DEFAULT 0 CHECK (loans_paid >= 0),
  paid_fen          bigint NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
  state             jsonb,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL
);
CREATE INDEX loan_batches_scheme_idx ON loan_batches (scheme_id, cycle);

CREATE TABLE loan_batch_households (
  batch_id      text NOT NULL REFERENCES loan_batches(batch_id),
  household_id  text NOT NULL,
  village       text NOT NULL,
  town          text NOT NULL,
  county        text NOT NULL,
  status        text NOT NULL CHECK (status IN ('proposed', 'removed', 'signed', 'unsigned', 'issued', 'paid', 'failed')),
  loan_id       text,
  PRIMARY KEY (batch_id, household_id)
);
CREATE INDEX loan_batch_households_household_idx ON loan_batch_households (household_id);

CREATE TABLE loans (
  loan_id             text PRIMARY KEY,
  scheme_id           text NOT NULL,
  batch_id            text NOT NULL,
  fund_id             text NOT NULL,
  household_id        text NOT NULL,
  village             text NOT NULL,
  town                text NOT NULL,
  county              text NOT NULL,
  terms_version       int NOT NULL,
  principal_fen       bigint NOT NULL CHECK (principal_fen > 0),
  -- Repaid so far, reversals deducted (cash, bank and confirmed in kind); in_kind_fen is part of it.
  repaid_fen          bigint NOT NULL DEFAULT 0 CHECK (repaid_fen >= 0),
  in_kind_fen         bigint NOT NULL DEFAULT 0 CHECK (in_kind_fen >= 0 AND in_kind_fen <= repaid_fen),
  written_off_fen     bigint NOT NULL DEFAULT 0 CHECK (written_off_fen >= 0),
  outstanding_fen     bigint NOT NULL CHECK (outstanding_fen >= 0),
  status              text NOT NULL CHECK (status IN ('pending', 'active', 'repaid', 'written_off', 'cancelled')),
  -- A cancelled loan (its payout failed) owes nothing and was never repaid.
  CONSTRAINT loan_books CHECK (repaid_fen + written_off_fen + outstanding_fen = CASE WHEN status = 'cancelled' THEN 0 ELSE principal_fen END),
  paid_on             date,
  -- The due day of the first instalment not covered by what was repaid or written off; NULL when none is (or the loan is closed).
  earliest_unpaid_due date,
  grace_days          int NOT NULL CHECK (grace_days >= 0),
  schedule            jsonb NOT NULL,
  -- The schedule as two sorted arrays: what has fallen due by a day is due_cumulative[width_bucket(day, due_dates)],
  -- a scalar per row (the scheme summary sums it over 100,000 loans without unnesting any schedule).
  due_dates           date[] NOT NULL DEFAULT '{}',
  due_cumulative      bigint[] NOT NULL DEFAULT '{}',
  CHECK (cardinality(due_dates) = cardinality(due_cumulative)),
  closed_on           date,
  opened_at           timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);
CREATE INDEX loans_scheme_idx ON loans (scheme_id, loan_id);
CREATE INDEX loans_county_idx ON loans (county, loan_id);
CREATE INDEX loans_town_idx ON loans (town, loan_id);
CREATE INDEX loans_village_idx ON loans (village, loan_id);
CREATE INDEX loans_status_idx ON loans (status, loan_id);
CREATE INDEX loans_household_idx ON loans (household_id, scheme_id);
-- Delinquency: only loans with something unpaid; the overdue list and the buckets read a range of due days.
CREATE INDEX loans_unpaid_scheme_idx ON loans (scheme_id, earliest_unpaid_due) INCLUDE (grace_days, outstanding_fen, village)
  WHERE earliest_unpaid_due IS NOT NULL;
CREATE INDEX loans_unpaid_county_idx ON loans (county, earliest_unpaid_due) INCLUDE (grace_days, outstanding_fen, village)
  WHERE earliest_unpaid_due IS NOT NULL;
CREATE INDEX loans_unpaid_town_idx ON loans (town, earliest_unpaid_due) INCLUDE (grace_days, outstanding_fen, village)
  WHERE earliest_unpaid_due IS NOT NULL;
CREATE INDEX loans_unpaid_village_idx ON loans (village, earliest_unpaid_due) INCLUDE (grace_days, outstanding_fen)
  WHERE earliest_unpaid_due IS NOT NULL;

-- Each loan's whole fold (repayments, hardships, valuations, reminders) beside its row, not in it: a loan's
-- state grows to kilobytes, and the summaries scan the narrow loans rows of a whole scheme.
CREATE TABLE loan_states (
  loan_id  text PRIMARY KEY REFERENCES loans(loan_id),
  state    jsonb NOT NULL
);

-- Every household a scheme has paid a loan to (households served, without counting distinct over the loans).
CREATE TABLE loan_scheme_households (
  scheme_id      text NOT NULL,
  household_id   text NOT NULL,
  first_paid_on  date NOT NULL,
  PRIMARY KEY (scheme_id, household_id)
);

CREATE TABLE loan_repayments (
  repayment_id     text PRIMARY KEY,
  loan_id          text NOT NULL REFERENCES loans(loan_id),
  scheme_id        text NOT NULL,
  household_id     text NOT NULL,
  village          text NOT NULL,
  town             text NOT NULL,
  county           text NOT NULL,
  amount_fen       bigint NOT NULL CHECK (amount_fen > 0),
  method           text NOT NULL CHECK (method IN ('cash', 'bank_transfer', 'in_kind')),
  reference        text NOT NULL,
  received_on      date NOT NULL,
  recorded_by      text NOT NULL,
  recorded_at      timestamptz NOT NULL,
  -- In kind: what was handed over, who valued it and who confirmed it.
  in_kind          jsonb,
  -- A mistaken repayment is undone by a correcting entry; the row stays.
  reversed_at      timestamptz,
  reversed_by      text,
  reversal_reason  text,
  CHECK ((reversed_at IS NULL) = (reversal_reason IS NULL))
);
CREATE INDEX loan_repayments_loan_idx ON loan_repayments (loan_id, recorded_at);
CREATE INDEX loan_repayments_scheme_idx ON loan_repayments (scheme_id, received_on, repayment_id);
-- The CSV export of a town or a village, in its order (a scheme is one county's: the scheme index serves the county).
CREATE INDEX loan_repayments_town_idx ON loan_repayments (town, scheme_id, received_on, repayment_id);
CREATE INDEX loan_repayments_village_idx ON loan_repayments (village, scheme_id, received_on, repayment_id);

-- Task subjects are names; a loan batch's kind has a hyphen, as its stream type does.
ALTER TABLE tasks DROP CONSTRAINT tasks_subject_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_subject_kind_check CHECK (subject_kind ~ '^[a-z][a-z_-]*$');
`;
