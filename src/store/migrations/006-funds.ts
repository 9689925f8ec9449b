/**
 * Special funds with their own double-entry books ("three specialized and closed"), and the
 * disbursement read model. Balances are checked by the database itself: concurrent
 * reservations that together exceed a fund fail on the CHECK, whatever the code does.
 */
export const sql = `
CREATE TABLE funds (
  fund_id       text PRIMARY KEY,
  name          text NOT NULL,
  jurisdiction  text NOT NULL REFERENCES jurisdictions(code),
  account       text NOT NULL UNIQUE,       -- the fund's special bank account
  currency      text NOT NULL CHECK (currency = 'CNY'),
  created_at    timestamptz NOT NULL
);

CREATE TABLE fund_balances (
  fund_id     text PRIMARY KEY REFERENCES funds(fund_id),
  deposited   bigint NOT NULL DEFAULT 0 CHECK (deposited >= 0),
  available   bigint NOT NULL DEFAULT 0 CONSTRAINT fund_available_not_negative CHECK (available >= 0),
  reserved    bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  paid        bigint NOT NULL DEFAULT 0 CHECK (paid >= 0),
  -- available = deposits - reserved - paid, always
  CONSTRAINT fund_balance_identity CHECK (available + reserved + paid = deposited)
);

CREATE TABLE fund_sources (
  fund_id    text NOT NULL REFERENCES funds(fund_id),
  source     text NOT NULL,
  amount     bigint NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (fund_id, source)
);

CREATE TABLE ledger_entries (
  entry_id      bigserial PRIMARY KEY,
  fund_id       text NOT NULL REFERENCES funds(fund_id),
  event_id      uuid NOT NULL UNIQUE,      -- the fund event it books; one entry per event
  kind          text NOT NULL,
  reference     text NOT NULL,
  booked_at     timestamptz NOT NULL
);
CREATE INDEX ledger_entries_fund_idx ON ledger_entries (fund_id, entry_id);

CREATE TABLE ledger_lines (
  entry_id   bigint NOT NULL REFERENCES ledger_entries(entry_id),
  line_no    smallint NOT NULL,
  account    text NOT NULL,
  debit      bigint NOT NULL DEFAULT 0 CHECK (debit >= 0),
  credit     bigint NOT NULL DEFAULT 0 CHECK (credit >= 0),
  CHECK ((debit = 0) <> (credit = 0)),
  PRIMARY KEY (entry_id, line_no)
);

-- Every entry balances (debits = credits), checked at commit so an entry's lines can be written one by one.
CREATE FUNCTION ledger_entry_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d bigint; c bigint;
BEGIN
  SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0) INTO d, c FROM ledger_lines WHERE entry_id = NEW.entry_id;
  IF d <> c OR d = 0 THEN RAISE EXCEPTION 'ledger entry % does not balance (debits %, credits %)', NEW.entry_id, d, c; END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_lines_balance AFTER INSERT ON ledger_lines
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balances();

-- Books are immutable: corrections are reversing entries.
CREATE FUNCTION ledger_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'ledger entries are immutable; book a reversing entry'; END $$;
CREATE TRIGGER ledger_entries_immutable BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_is_immutable();
CREATE TRIGGER ledger_lines_immutable BEFORE UPDATE OR DELETE ON ledger_lines FOR EACH ROW EXECUTE FUNCTION ledger_is_immutable();

CREATE TABLE suppliers (
  supplier_id   text PRIMARY KEY,
  name          text NOT NULL,
  jurisdiction  text NOT NULL REFERENCES jurisdictions(code),
  account       text NOT NULL
);

CREATE TABLE disbursements (
  disbursement_id  text PRIMARY KEY,
  fund_id          text NOT NULL REFERENCES funds(fund_id),
  payee_type       text NOT NULL,
  payee_id         text NOT NULL,
  village          text NOT NULL,
  town             text NOT NULL,
  county           text NOT NULL,
  purpose          text NOT NULL,
  amount_fen       bigint NOT NULL CHECK (amount_fen > 0),
  status           text NOT NULL,
  state            jsonb NOT NULL,
  requested_at     timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  paid_at          timestamptz
);
CREATE INDEX disbursements_fund_idx ON disbursements (fund_id, status, paid_at);
`;
