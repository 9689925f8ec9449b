// `npm run fault`'s settings (environment, described at the top of scripts/fault-disbursements.mjs)
// and the small helpers every part of the run shares.
import { SCENARIOS } from './fault-scenarios.mjs';

export const log = (msg) => process.stdout.write(`[fault] ${msg}\n`);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A draw from `rnd` in [min, max]. */
export const between = (rnd, [min, max]) => min + Math.floor(rnd() * (max - min + 1));

function intEnv(name, dflt, min = 0) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}`);
  return n;
}
function shareEnv(name, dflt) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!(n >= 0 && n <= 1)) throw new Error(`${name} must be between 0 and 1`);
  return n;
}
function rangeEnv(name, dflt) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const m = /^(\d+),(\d+)$/.exec(raw);
  if (!m || Number(m[1]) > Number(m[2])) throw new Error(`${name} must be min,max in ms`);
  return [Number(m[1]), Number(m[2])];
}

export function readSettings() {
  const S = {
    count: intEnv('FAULT_COUNT', 300, 1),
    concurrency: intEnv('FAULT_CONCURRENCY', 10, 1),
    seed: intEnv('FAULT_SEED', Math.floor(Math.random() * 2 ** 31)),
    households: intEnv('FAULT_HOUSEHOLDS', 8, 1),
    closedHouseholds: intEnv('FAULT_CLOSED_HOUSEHOLDS', 2, 0),
    closedShare: shareEnv('FAULT_CLOSED_SHARE', 0.08),
    fundedShare: shareEnv('FAULT_FUNDED_SHARE', 0.85),
    killMs: rangeEnv('FAULT_KILL_MS', [2000, 6000]),
    pauseMs: rangeEnv('FAULT_PAUSE_MS', [200, 2000]),
    earlyKillShare: shareEnv('FAULT_EARLY_KILL_SHARE', 0.1),
    waitMs: intEnv('FAULT_WAIT_MS', 300_000, 1000),
    cpuHogs: intEnv('FAULT_CPU_HOG', 0),
    scenario: process.env.FAULT_SCENARIO || 'worker',
    applications: intEnv('FAULT_APPLICATIONS', 30),
    bankDownMs: intEnv('FAULT_BANK_DOWN_MS', 60_000, 1000),
    /** Plants a statement line for a payment we never made: the run must then fail (checks the checks). */
    selfTest: process.env.FAULT_SELF_TEST === '1',
    keep: process.env.FAULT_KEEP === '1',
  };
  if (S.closedHouseholds === 0) S.closedShare = 0;
  if (!SCENARIOS.includes(S.scenario)) throw new Error(`FAULT_SCENARIO must be one of ${SCENARIOS.join(', ')}`);
  return S;
}

/** The checks' verdicts: each failed check adds its message. */
export function createVerdicts() {
  const failures = [];
  return {
    failures,
    check: (ok, what) => {
      if (!ok) failures.push(what);
      return ok;
    },
  };
}
