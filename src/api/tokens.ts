/** Nest injection tokens for the process-wide resources the API module is given. */
export const PG_POOL = Symbol('PG_POOL');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
export const CONFIG = Symbol('CONFIG');
export const EVENT_STORE = Symbol('EVENT_STORE');
/** `() => Date`: the time log-ins, lock-outs and sessions are decided at (tests move it). */
export const CLOCK = Symbol('CLOCK');
