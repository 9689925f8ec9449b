/**
 * The benchmark's knobs (environment), with a quick mode for checking the harness itself
 * (BENCH_QUICK=1: every row still printed, from small counts, in about two minutes).
 */
const quick = process.env.BENCH_QUICK === '1';
const num = (name: string, full: number, small: number) => Number(process.env[name] ?? (quick ? small : full));

export const SETTINGS = {
  quick,
  /** Seeded cases the queries and list endpoints run over (the 100k). */
  cases: num('BENCH_CASES', 100_000, 10_000),
  /** Seeded loans of the revolving scheme (a multiple of 50). */
  loans: num('BENCH_LOANS', 100_000, 5_000),
  /**
   * Cases (and as many bare workflows) opened for the memory figure, through the API at the
   * applications' rate: 2,000 took 517 s on 2 busy CPUs (load 18); the issue's 15,000 would take
   * over an hour there.
   */
  openCases: num('BENCH_OPEN_CASES', 2_000, 100),
  /** Applications: concurrent clients, rounds (alternating engine / bare), applications per round and side. */
  clients: 20,
  applicationRounds: num('BENCH_APPLICATION_ROUNDS', 6, 2),
  applicationsPerRound: num('BENCH_APPLICATIONS_PER_ROUND', 60, 20),
  /** Decisions: rounds (alternating engine / bare) of sequential decisions per side. */
  decisionRounds: num('BENCH_DECISION_ROUNDS', 10, 2),
  decisionsPerRound: num('BENCH_DECISIONS_PER_ROUND', 20, 10),
  /**
   * Event store: writers, rounds (alternating appends / inserts) of 50 writes per writer. A round
   * lasts about 0.1 s on a quiet machine: 30 of each keep one hiccup from deciding the ratio.
   */
  writers: 8,
  appendRounds: num('BENCH_APPEND_ROUNDS', 30, 2),
  /** Timed calls per query and per list endpoint (p99 of 100 is the second slowest). */
  queryRuns: num('BENCH_QUERY_RUNS', 100, 10),
};
