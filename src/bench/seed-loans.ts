import type { Pool, PoolClient } from 'pg';

/**
 * A revolving scheme at scale, written set-based straight into the read models of migration 014
 * (no events: the projections' per-event path would take an hour at this size). Every column is
 * filled as the projections would fill it, and the pool's books satisfy the CHECKs.
 *
 * One county, 10 towns, 100 villages; 5 cycles of equal batches, paid from 1 April of 2021…2025
 * over 120 days. Each loan is 110,000 fen: half six months after its payout, the rest twelve
 * months after (grace 10 days). `today` is 2026-06-30, so by then:
 *   cycles 1–3  95% repaid, 2% written off (the animal died), 3% still owing (90+ days late)
 *   cycle 4     88% repaid, 1% written off, 11% still owing (90+)
 *   cycle 5     12% repaid early; 8% behind on the first half (90+); 2% deferred a year (illness,
 *               current); 78% paid the first half, some a part of the second, whose due day
 *               (1 April … 29 July 2026) spreads them over current, 1–30, 31–60 and 61–90.
 * 5% of first halves were paid in kind (a calf); 2% of cash ones were entered twice and reversed.
 * A tenth of the households borrowed twice (cycles 1 and 5), so 90% of the loans' count are
 * households served.
 */
export const LOAN_BENCH = {
  // Ids of the API's shape, so the list endpoints can be called with them (api-lists.ts).
  schemeId: 'scheme-00000000-0000-4000-8000-00000000bec0',
  fundId: 'fund-00000000-0000-4000-8000-00000000bec0',
  county: '522701',
  /** A village of the 100, for village-scoped reads. */
  village: '522701105203',
  today: '2026-06-30',
  cycles: 5,
  principalFen: 110_000,
  graceDays: 10,
} as const;

const TERMS = {
  amountFen: LOAN_BENCH.principalFen,
  instalments: [
    { shareBp: 5000, due: { kind: 'months', months: 6 } },
    { shareBp: 5000, due: { kind: 'months', months: 12 } },
  ],
  graceDays: LOAN_BENCH.graceDays,
  inKindAllowed: true,
  agreement: { version: 1, text: '周转牛借款协议 / revolving cattle loan agreement (bench)', hash: 'b'.repeat(64) },
};

export async function seedLoans(pool: Pool, loans: number): Promise<void> {
  if (loans % (LOAN_BENCH.cycles * 10) !== 0) throw new Error(`BENCH_LOANS must be a multiple of ${LOAN_BENCH.cycles * 10}`);
  // One connection: the plan is a temporary table.
  const c = await pool.connect();
  try {
    await seedPlaces(c);
    await seedScheme(c);
    await planLoans(c, loans);
    await c.query(INSERT_LOANS, [LOAN_BENCH.schemeId, LOAN_BENCH.fundId, LOAN_BENCH.county, LOAN_BENCH.principalFen, LOAN_BENCH.graceDays]);
    await c.query(INSERT_REPAYMENTS);
    await c.query(INSERT_LOAN_STATES, [LOAN_BENCH.today, TERMS.agreement.hash]);
    await c.query(
      `INSERT INTO loan_scheme_households (scheme_id, household_id, first_paid_on)
       SELECT $1, household_id, min(paid_on) FROM loans WHERE scheme_id = $1 GROUP BY household_id`,
      [LOAN_BENCH.schemeId],
    );
    await c.query(INSERT_BATCHES, [LOAN_BENCH.schemeId, LOAN_BENCH.fundId, TERMS, LOAN_BENCH.principalFen, TERMS.agreement.hash]);
    await c.query(
      `INSERT INTO loan_batch_households (batch_id, household_id, village, town, county, status, loan_id)
       SELECT batch_id, household_id, village, town, county, 'paid', loan_id FROM loans WHERE scheme_id = $1`,
      [LOAN_BENCH.schemeId],
    );
    await c.query(`UPDATE loan_schemes SET cycles = $2, households_served = $3 WHERE scheme_id = $1`, [LOAN_BENCH.schemeId, LOAN_BENCH.cycles, loans]);
    await c.query(POOL_BOOKS, [LOAN_BENCH.fundId, LOAN_BENCH.schemeId, LOAN_BENCH.principalFen]);
    await c.query('DROP TABLE loan_plan');
  } finally {
    c.release();
  }
  // Autovacuum would have set the visibility map of tables this old: VACUUM, so index-only scans are what they would be.
  await pool.query('VACUUM (ANALYZE) loans, loan_states, loan_repayments, loan_scheme_households, loan_batches, loan_batch_households, fund_balances');
}

/** The county, 10 towns (…100…109) and 100 villages (…200…209 in each), codes as the cases benchmark uses. */
async function seedPlaces(c: PoolClient): Promise<void> {
  await c.query(
    `INSERT INTO jurisdictions (code, name, level, parent_code)
     SELECT $1::text, 'Bench county', 'county', NULL
     UNION ALL SELECT $1 || (100 + t), 'Town ' || t, 'town', $1 FROM generate_series(0, 9) t
     UNION ALL SELECT $1 || (100 + t) || (200 + v), 'Village ' || t || '-' || v, 'village', $1 || (100 + t)
       FROM generate_series(0, 9) t, generate_series(0, 9) v
     ON CONFLICT (code) DO NOTHING`,
    [LOAN_BENCH.county],
  );
}

async function seedScheme(c: PoolClient): Promise<void> {
  const { fundId, schemeId, county } = LOAN_BENCH;
  await c.query(
    `INSERT INTO funds (fund_id, name, jurisdiction, account, currency, created_at) VALUES ($1, 'Cattle pool (bench)', $2, $3, 'CNY', '2021-01-10')`,
    [fundId, county, `acct-${fundId}`],
  );
  await c.query(
    `INSERT INTO loan_schemes (scheme_id, name, fund_id, county, terms, terms_version, eligible_villages, write_off_bar_years, created_by, created_at, updated_at)
     SELECT $1, 'Cattle loans (bench)', $2, $3, $4, 1, array_agg(code ORDER BY code), 3, 'u-county-1', '2021-01-15', '2021-01-15'
     FROM jurisdictions WHERE level = 'village' AND parent_code LIKE $3 || '%'`,
    [schemeId, fundId, county, TERMS],
  );
}

/**
 * One row per loan: where it is, when it was paid, and what happened to it (kind), with the up
 * to two repayments and the mistaken entry it had. Pseudo-random but repeatable (hashes of the
 * loan number), so every run seeds the same portfolio.
 */
async function planLoans(c: PoolClient, loans: number): Promise<void> {
  const perCycle = loans / LOAN_BENCH.cycles;
  const households = (loans * 9) / 10;
  await c.query(
    `CREATE TEMP TABLE loan_plan AS
     WITH base AS (
       SELECT g, 1 + (g - 1) / $1 AS cycle, 1 + (g - 1) % $2 AS hh,
         (abs(hashint4extended(g, 12)) % 120)::int AS k, (abs(hashint4extended(g, 13)) % 100)::int AS p, (abs(hashint4extended(g, 14)) % 100)::int AS q
       FROM generate_series(1, $3::int) g),
     kinds AS (
       SELECT b.*, (abs(hashint4extended(hh, 11)) % 100)::int AS v, make_date(2020 + cycle, 4, 1) + k AS paid_on,
         CASE
           WHEN cycle <= 3 THEN CASE WHEN p < 95 OR g <= $3 - $2 THEN 'repaid' WHEN p < 97 THEN 'written_off' WHEN p < 99 THEN 'first_paid' ELSE 'first_partial' END
           WHEN cycle = 4 THEN CASE WHEN p < 88 THEN 'repaid' WHEN p < 89 THEN 'written_off' WHEN p < 95 THEN 'first_paid' ELSE 'first_partial' END
           ELSE CASE WHEN p < 12 THEN 'repaid' WHEN p < 20 THEN 'first_partial' WHEN p < 22 THEN 'deferred' ELSE 'first_paid' END
         END AS kind
       FROM base b),
     dated AS (
       SELECT k.*, (paid_on + interval '6 months')::date AS due1,
         (paid_on + CASE WHEN kind = 'deferred' THEN interval '24 months' ELSE interval '12 months' END)::date AS due2
       FROM kinds k)
     SELECT d.*,
       'loan-' || md5('bench-loan-' || g)::uuid AS loan_id, 'hh-bench-' || hh AS household_id,
       $4::text || (100 + v / 10) AS town, $4::text || (100 + v / 10) || (200 + v % 10) AS village,
       CASE WHEN kind = 'first_partial' THEN CASE WHEN q % 2 = 1 THEN 30000 END ELSE 55000 END AS r1_fen,
       CASE WHEN kind = 'first_partial' THEN due1 + 5 + q % 40 ELSE due1 - q % 30 END AS r1_on,
       CASE WHEN q < 5 AND kind <> 'first_partial' THEN 'in_kind' WHEN q % 10 < 6 THEN 'cash' ELSE 'bank_transfer' END AS r1_method,
       CASE kind WHEN 'repaid' THEN 55000 WHEN 'first_paid' THEN CASE WHEN q % 2 = 1 THEN 20000 END END AS r2_fen,
       CASE WHEN kind = 'repaid' THEN least(due2, $5::date - 1) - q % 20 ELSE least(due2 - 40 + q % 30, $5::date - 1) END AS r2_on,
       CASE WHEN q / 10 < 6 THEN 'cash' ELSE 'bank_transfer' END AS r2_method,
       CASE WHEN kind = 'written_off' THEN 55000 ELSE 0 END AS written_off_fen,
       CASE WHEN kind = 'written_off' THEN due2 + 30 + q END AS written_off_on
     FROM dated d`,
    [perCycle, households, loans, LOAN_BENCH.county, LOAN_BENCH.today],
  );
  await c.query(`ALTER TABLE loan_plan ADD COLUMN mistaken boolean`);
  // A cash first half entered twice (the second entry reversed): 2% of those.
  await c.query(`UPDATE loan_plan SET mistaken = (q >= 98 AND r1_fen IS NOT NULL AND r1_method <> 'in_kind')`);
}

/** The loans rows (the projection's writeLoan): amounts, status, closure, the earliest unpaid due day and the due arrays. */
const INSERT_LOANS = `
INSERT INTO loans (loan_id, scheme_id, batch_id, fund_id, household_id, village, town, county, terms_version, principal_fen,
  repaid_fen, in_kind_fen, written_off_fen, outstanding_fen, status, paid_on, earliest_unpaid_due, grace_days, schedule, due_dates, due_cumulative,
  closed_on, opened_at, updated_at)
SELECT loan_id, $1::text, 'batch-bench-' || cycle, $2::text, household_id, village, town, $3::text, 1, $4::bigint,
  repaid, in_kind, written_off_fen, $4::bigint - repaid - written_off_fen,
  CASE kind WHEN 'repaid' THEN 'repaid' WHEN 'written_off' THEN 'written_off' ELSE 'active' END,
  paid_on,
  CASE WHEN kind IN ('repaid', 'written_off') THEN NULL WHEN repaid >= $4::bigint / 2 THEN due2 ELSE due1 END,
  $5::int,
  jsonb_build_array(jsonb_build_object('n', 1, 'dueDate', due1, 'amountFen', $4::bigint / 2), jsonb_build_object('n', 2, 'dueDate', due2, 'amountFen', $4::bigint / 2)),
  ARRAY[due1, due2], ARRAY[$4::bigint / 2, $4::bigint],
  closed_on, (paid_on - 20)::timestamptz,
  greatest(paid_on, CASE WHEN r1_fen IS NOT NULL THEN r1_on END, CASE WHEN r2_fen IS NOT NULL THEN r2_on END, closed_on)::timestamptz
FROM (
  SELECT p.*, coalesce(r1_fen, 0) + coalesce(r2_fen, 0) AS repaid, CASE WHEN r1_method = 'in_kind' THEN r1_fen ELSE 0 END AS in_kind,
    CASE kind WHEN 'repaid' THEN r2_on WHEN 'written_off' THEN written_off_on END AS closed_on
  FROM loan_plan p) x`;

/** Each repayment a row (the projection's projectRepayment); a mistaken entry keeps its row, marked reversed. */
const INSERT_REPAYMENTS = `
INSERT INTO loan_repayments (repayment_id, loan_id, scheme_id, household_id, village, town, county, amount_fen, method, reference,
  received_on, recorded_by, recorded_at, in_kind, reversed_at, reversed_by, reversal_reason)
SELECT 'rp-' || l.loan_id || '-' || r.n, l.loan_id, l.scheme_id, l.household_id, l.village, l.town, l.county, r.amount, r.method,
  CASE r.method WHEN 'cash' THEN 'R-' || p.g || '-' || r.n WHEN 'bank_transfer' THEN 'BANK-' || p.g || '-' || r.n ELSE 'val-' || p.g || '-1' END,
  r.on_day, 'u-village-' || l.village, (r.on_day + time '10:00' + r.n * interval '1 minute') AT TIME ZONE 'Asia/Shanghai',
  CASE WHEN r.method = 'in_kind' THEN jsonb_build_object('description', 'a heifer calf', 'valuedBy', 'u-village-' || l.village, 'confirmedBy', 'u-village2-' || l.village) END,
  CASE WHEN r.reversed THEN (r.on_day + 2 + time '09:00') AT TIME ZONE 'Asia/Shanghai' END,
  CASE WHEN r.reversed THEN 'u-village-' || l.village END,
  CASE WHEN r.reversed THEN 'entered twice' END
FROM loan_plan p JOIN loans l USING (loan_id)
CROSS JOIN LATERAL (VALUES
  (1, p.r1_fen, p.r1_method, p.r1_on, false),
  (2, CASE WHEN p.mistaken THEN p.r1_fen END, p.r1_method, p.r1_on, true),
  (3, p.r2_fen, p.r2_method, p.r2_on, false)) AS r(n, amount, method, on_day, reversed)
WHERE r.amount IS NOT NULL`;

/**
 * Each loan's fold beside its row (the projection's LoanRowState): repayments in the order
 * recorded, reminders 14 days before each due day reached, the hardship a deferral or a
 * write-off came from, and a version that counts the events.
 */
const INSERT_LOAN_STATES = `
INSERT INTO loan_states (loan_id, state)
SELECT l.loan_id,
  jsonb_build_object(
    'loanId', l.loan_id, 'schemeId', l.scheme_id, 'batchId', l.batch_id, 'fundId', l.fund_id, 'householdId', l.household_id,
    'location', jsonb_build_object('county', l.county, 'town', l.town, 'village', l.village),
    'principalFen', l.principal_fen, 'termsVersion', l.terms_version, 'agreementHash', $2::text, 'graceDays', l.grace_days, 'inKindAllowed', true,
    'disbursementId', 'disb-' || substr(l.loan_id, 6), 'status', l.status, 'paidOn', l.paid_on, 'schedule', l.schedule,
    'repaidFen', l.repaid_fen, 'inKindFen', l.in_kind_fen, 'writtenOffFen', l.written_off_fen, 'outstandingFen', l.outstanding_fen,
    'repayments', coalesce(r.list, '[]'), 'pendingValuations', '[]'::jsonb, 'hardships', h.list, 'remindersIssued', to_jsonb(m.issued),
    'version', 2 + coalesce(r.entries, 0) + coalesce(r.reversals, 0) + cardinality(m.issued) + h.events + CASE WHEN l.closed_on IS NULL THEN 0 ELSE 1 END)
  || CASE WHEN cardinality(m.issued) > 0
       THEN jsonb_build_object('reminder', jsonb_build_object('instalment', cardinality(m.issued), 'dueDate', l.due_dates[cardinality(m.issued)]))
       ELSE '{}' END
  || CASE WHEN l.closed_on IS NULL THEN '{}' ELSE jsonb_build_object('closedOn', l.closed_on) END
FROM loan_plan p JOIN loans l USING (loan_id)
LEFT JOIN LATERAL (
  SELECT count(*)::int AS entries, count(reversed_at)::int AS reversals,
    jsonb_agg(jsonb_build_object('repaymentId', repayment_id, 'amountFen', amount_fen, 'method', method, 'reference', reference,
        'receivedOn', received_on, 'recordedBy', recorded_by)
      || CASE WHEN reversed_at IS NULL THEN '{}' ELSE jsonb_build_object('reversed', jsonb_build_object('reason', reversal_reason, 'reversedBy', reversed_by)) END
      ORDER BY recorded_at, repayment_id) AS list
  FROM loan_repayments x WHERE x.loan_id = l.loan_id) r ON true
CROSS JOIN LATERAL (
  SELECT coalesce(array_agg(i ORDER BY i), '{}') AS issued FROM generate_subscripts(l.due_dates, 1) i
  WHERE l.due_dates[i] - 14 <= least($1::date, l.closed_on)) m
CROSS JOIN LATERAL (
  SELECT CASE p.kind
    WHEN 'deferred' THEN jsonb_build_array(jsonb_build_object('hardshipId', 'hs-' || p.g, 'cause', 'illness', 'proposal', 'deferral', 'deferMonths', 12,
      'status', 'granted', 'approvals', jsonb_build_array('u-town-' || l.town), 'reportedBy', 'u-village-' || l.village))
    WHEN 'written_off' THEN jsonb_build_array(jsonb_build_object('hardshipId', 'hs-' || p.g, 'cause', 'animal_died', 'proposal', 'write_off',
      'status', 'granted', 'approvals', jsonb_build_array('u-county-1', 'u-county-2'), 'reportedBy', 'u-village-' || l.village))
    ELSE '[]'::jsonb END AS list,
  CASE p.kind WHEN 'deferred' THEN 2 WHEN 'written_off' THEN 3 ELSE 0 END AS events) h`;

/** A timestamp as the projections' JSON holds it (JavaScript's toISOString). */
const iso = (ts: string) => `to_char((${ts}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** One completed batch per cycle with its fold (the projection's LoanBatchRowState: every household signed in person and paid). */
const INSERT_BATCHES = `
INSERT INTO loan_batches (batch_id, scheme_id, cycle, terms_version, status, households, claim_fen, settled_at, publicity_ends_at, loans_paid, paid_fen,
  state, created_at, updated_at)
SELECT batch_id, $1, cycle, 1, 'completed', n, n * $4::bigint, settled_at, opened + interval '7 days', n, n * $4::bigint,
  jsonb_build_object('batchId', batch_id, 'schemeId', $1::text, 'fundId', $2::text, 'cycle', cycle, 'termsVersion', 1, 'terms', $3::jsonb,
    'status', 'completed', 'publicityEndsAt', ${iso("opened + interval '7 days'")}, 'proposedBy', 'u-county-1', 'households', households, 'objections', '[]'::jsonb,
    'loansPaid', n, 'paidFen', n * $4::bigint, 'version', 4 + 2 * n),
  opened, settled_at
FROM (
  SELECT l.batch_id, p.cycle, count(*)::int AS n, (min(l.paid_on) - 30)::timestamptz AS opened, (max(l.paid_on) + 1)::timestamptz AS settled_at,
    jsonb_agg(jsonb_build_object('householdId', l.household_id, 'location', jsonb_build_object('county', l.county, 'town', l.town, 'village', l.village),
      'status', 'paid', 'loanId', l.loan_id, 'disbursementId', 'disb-' || substr(l.loan_id, 6),
      'signature', jsonb_build_object('method', 'in_person', 'signedBy', l.household_id, 'agreementHash', $5::text, 'signedAt', ${iso('(min_paid - 15)::timestamptz')}))
      ORDER BY l.household_id) AS households
  FROM loan_plan p JOIN loans l USING (loan_id)
  JOIN (SELECT cycle, min(paid_on) AS min_paid FROM loan_plan GROUP BY cycle) s USING (cycle)
  GROUP BY l.batch_id, p.cycle, s.min_paid) b`;

/**
 * The pool's books on the fund (the funds projection's balances and migration 014's columns).
 * Deposits are what let every batch be paid from cash at its start (deposits plus the cash
 * recovered before it, never money still owed): the largest shortfall over the cycles, in
 * whole 10,000 yuan, a tenth of it staff donations and the rest the office's budget.
 */
const POOL_BOOKS = `
WITH cycles AS (SELECT cycle, min(paid_on) AS starts, count(*) AS n FROM loan_plan GROUP BY cycle),
lent_by AS (SELECT starts, sum(n) OVER (ORDER BY cycle) * $3::bigint AS fen FROM cycles),
need AS (
  SELECT max(c.fen - coalesce((
    SELECT sum(amount_fen) FROM loan_repayments r
    WHERE r.scheme_id = $2 AND r.method <> 'in_kind' AND r.reversed_at IS NULL AND r.received_on < c.starts), 0)) AS fen
  FROM lent_by c),
deposit AS (SELECT ceil(fen / 1000000.0)::bigint * 1000000 AS fen FROM need),
totals AS (
  SELECT sum(principal_fen) AS lent, sum(repaid_fen - in_kind_fen) AS cash_back, sum(in_kind_fen) AS in_kind, sum(written_off_fen) AS written_off
  FROM loans WHERE scheme_id = $2),
sources AS (
  INSERT INTO fund_sources (fund_id, source, amount)
  SELECT $1, s.source, s.amount FROM deposit d
  CROSS JOIN LATERAL (VALUES ('donation', d.fen / 10000000 * 1000000), ('budget', d.fen - d.fen / 10000000 * 1000000)) AS s(source, amount))
INSERT INTO fund_balances (fund_id, deposited, available, reserved, paid, lent, recovered_cash, in_kind, written_off, receivable)
SELECT $1, d.fen, d.fen + t.cash_back - t.lent, 0, t.lent, t.lent, t.cash_back, t.in_kind, t.written_off, t.lent - t.cash_back - t.in_kind - t.written_off
FROM deposit d, totals t`;
