import { z } from 'zod';
import { KeyringError, parseKeyring, sharesKeyMaterial, type Keyring } from '../crypto/keyring';
import { durationMs, parseDuration } from '../domain/time';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_PATTERN, USERNAME_RULE } from '../domain/users/credentials';
import { loadAnchorConfig, type AnchorConfig } from './anchor-config';

/**
 * Development defaults for the two secrets. They are public (they are in this file), so a
 * process started with NODE_ENV=production refuses them, and refuses to run without its own.
 */
export const DEVELOPMENT_ID_HASH_KEY = 'development-only-id-hash-key';
/** `dev-1:` + base64 of the 32 ASCII bytes "development-only-payload-key-001". */
export const DEVELOPMENT_PAYLOAD_KEYS = `dev-1:${Buffer.from('development-only-payload-key-001').toString('base64')}`;

/** A worker's concurrency when not configured (WORKER_WORKFLOW_TASK_SLOTS, WORKER_ACTIVITY_SLOTS); tests' workers use it too. */
export const WORKER_SLOT_DEFAULTS = { workflowTaskSlots: 8, activitySlots: 20 } as const;

/**
 * Workflows one worker keeps in memory between their tasks (WORKER_MAX_CACHED_WORKFLOWS). A case
 * waits weeks between steps, so a county's open cases would otherwise all stay cached; one
 * evicted costs only a replay of its short history at its next step. The SDK's own default grows
 * with the heap limit (600 per GB); a fixed 1,000 keeps a worker's cached workflows to a few
 * hundred MB on a small county server whatever its heap, and still holds every case an office
 * is working on.
 */
export const WORKER_MAX_CACHED_WORKFLOWS_DEFAULT = 1000;

const isoDuration = z
  .string()
  .regex(/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, { message: 'an ISO 8601 duration such as P7D or PT30S', abort: true })
  .refine((s) => parseDuration(s) !== undefined, 'at most 100 years');

/** Every setting the processes read, validated once at start. */
const ConfigSchema = z
  .object({
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// connection URL'),
    TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TASK_QUEUE: z.string().min(1).default('aid-cases'),
    MIGRATE_ON_START: z.enum(['true', 'false']).default('true'),
    /** Default length of a publicity period (DOMAIN.md: 7 days); shortened for demos. */
    PUBLICITY_PERIOD: isoDuration.default('P7D'),
    /** Issue #13: the longest a paired household may go without a visit before its town is alerted. */
    CONTACT_WINDOW: isoDuration.default('P90D'),
    /** Issue #13: the interval between a step's reminder and each escalation, unless a jurisdiction sets its own. */
    ESCALATE_AFTER: isoDuration.default('P3D'),
    /** Default time a case may stay at one human stage before supervisors see it as stalled. */
    STAGE_TIME_LIMIT: isoDuration.default('P15D'),
    /**
     * What a county official may set per jurisdiction (POST /jurisdictions/{code}/settings). The
     * defaults above are the operator's and are not held to these (tests and demos run PT2S).
     */
    PUBLICITY_PERIOD_MIN: isoDuration.default('P1D'),
    PUBLICITY_PERIOD_MAX: isoDuration.default('P60D'),
    STAGE_TIME_LIMIT_MIN: isoDuration.default('P1D'),
    STAGE_TIME_LIMIT_MAX: isoDuration.default('P180D'),
    /** Set by the time-skipping test environment: its server has no visibility store for search attributes. */
    SEARCH_ATTRIBUTES: z.enum(['true', 'false']).default('true'),
    /** production, or anything else (development, test): only outside production are the development keys a default. */
    NODE_ENV: z.string().optional(),
    /**
     * Key for hashing personal ID numbers; any long random string, the same for every process and
     * never changed (relation and duplicate checks compare these hashes). Required in production.
     */
    ID_HASH_KEY: z.string().min(16, 'at least 16 characters').optional(),
    /**
     * Keys encrypting Temporal payloads and account numbers at rest: `id:base64key,…`, 32 random
     * bytes each, the first one active. Rotate by putting a new key first; keep the old ones for
     * as long as anything sealed with them is still read. Required in production.
     */
    PAYLOAD_KEYS: z.string().optional(),
    /** Browser origins (the Temporal UI's) allowed to call /codec/decode and /codec/encode. */
    CODEC_CORS_ORIGINS: z.string().default('http://127.0.0.1:8233,http://localhost:8233'),
    /** Where the API (and the worker's metrics, WORKER_METRICS_PORT) listen: loopback by default, 0.0.0.0 in containers. */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Disbursement approval thresholds in fen (issue #4: 2,000 and 50,000 yuan). */
    APPROVAL_TOWN_ONLY_MAX_FEN: z.coerce.number().int().positive().default(200_000),
    APPROVAL_SECOND_COUNTY_ABOVE_FEN: z.coerce.number().int().positive().default(5_000_000),
    /** The bank (the simulated one by default, started by npm start). */
    BANK_URL: z.string().url().default('http://127.0.0.1:3100'),
    /** The least severe log lines written (JSON, one per line, on stdout) by the API and the worker. */
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /**
     * The worker serves its Temporal SDK metrics for Prometheus on this port (at HOST, path
     * /metrics); unset, it serves none.
     */
    WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    /** The worker's metrics as the API reaches them (e.g. http://worker:9464/metrics): GET /metrics appends them. */
    WORKER_METRICS_URL: z
      .string()
      .url()
      .regex(/^https?:\/\//, 'an http:// or https:// URL')
      .optional(),
    /** How long an Idempotency-Key is kept after its first use; a repeat after that is a new request. */
    IDEMPOTENCY_KEY_TTL: isoDuration.default('P1D'),
    /** How long a request may hold its key before a retry may take it over (an API process alive but hung). */
    IDEMPOTENCY_LEASE: isoDuration.default('PT5M'),
    /**
     * Workflow tasks one worker runs at once. Small on purpose: workflow code runs on one thread, so
     * a task taken waits behind every other taken one, and a task not finished within its 10 s
     * timeout is retried with a back-off that grows to minutes. Tasks not yet taken wait on the
     * server, where no clock runs.
     */
    WORKER_WORKFLOW_TASK_SLOTS: z.coerce.number().int().min(2).max(200).default(WORKER_SLOT_DEFAULTS.workflowTaskSlots),
    /** Activities one worker runs at once (each may hold a database connection; the worker's pool has one for each, and one for each workflow task's local activity). */
    WORKER_ACTIVITY_SLOTS: z.coerce.number().int().min(1).max(200).default(WORKER_SLOT_DEFAULTS.activitySlots),
    /** Workflows a worker keeps cached between tasks (see WORKER_MAX_CACHED_WORKFLOWS_DEFAULT); at least the workflow task slots. */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2).max(100_000).default(WORKER_MAX_CACHED_WORKFLOWS_DEFAULT),
    /** How long one API request may wait on Temporal (an Update's outcome included) before it answers 503. */
    TEMPORAL_CALL_TIMEOUT: isoDuration.default('PT30S'),
    /** The append-only log of signed checkpoints; keep it off the database's machine (or on write-once storage). */
    ANCHOR_FILE: z.string().min(1).default('.data/anchors.jsonl'),
    /** Ed25519 private key (PEM, PKCS#8) that signs checkpoints: `npm run anchor` and the worker's periodic job need it. */
    ANCHOR_KEY_FILE: z.string().min(1).optional(),
    /** Ed25519 public key (PEM) that verify-chain checks checkpoints with; else derived from ANCHOR_KEY_FILE. */
    ANCHOR_PUBLIC_KEY_FILE: z.string().min(1).optional(),
    /** How often the worker writes a checkpoint (when it has ANCHOR_KEY_FILE); `off` (or PT0S) for never. */
    ANCHOR_INTERVAL: z.union([z.literal('off'), isoDuration]).default('PT1H'),
    /** Log-in (issue #12): failures within LOGIN_FAILURE_WINDOW_MINUTES that lock an account, for LOGIN_LOCK_MINUTES. */
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_FAILURE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(10_080).default(15),
    LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(10_080).default(15),
    /** How long a log-in session lasts. */
    SESSION_HOURS: z.coerce.number().int().min(1).max(720).default(12),
    /**
     * The first administrator, created at API start (or by dist/directory/create-admin-cli.js)
     * when no administrator exists yet; never changes an existing one. A secret: never logged.
     */
    ADMIN_PASSWORD: z.string().min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH).optional(),
    ADMIN_USERNAME: z.string().regex(USERNAME_PATTERN, USERNAME_RULE).default('admin'),
    /** The county the first administrator administers; created (named ADMIN_COUNTY_NAME) if missing. Needed when the database holds no county or several. */
    ADMIN_COUNTY_CODE: z
      .string()
      .regex(/^\d{6}$/, 'a 6-digit county code')
      .optional(),
    ADMIN_COUNTY_NAME: z.string().min(1).max(100).optional(),
    /** The demo users' password, set by `npm start`'s seed (never used by the API itself). */
    DEMO_PASSWORD: z.string().min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH).default('demo-password-2026'),
  })
  .refine((c) => durationMs(c.IDEMPOTENCY_KEY_TTL) > durationMs(c.IDEMPOTENCY_LEASE), {
    // A key must outlive the lease, or a request still running could lose its key to expiry.
    path: ['IDEMPOTENCY_KEY_TTL'],
    message: 'a duration longer than IDEMPOTENCY_LEASE',
    when: (payload) => payload.issues.length === 0, // only once both are valid durations
  })
  .refine((c) => c.WORKER_MAX_CACHED_WORKFLOWS >= c.WORKER_WORKFLOW_TASK_SLOTS, {
    // Every task running holds its workflow in the cache; the SDK would quietly lower the slots.
    path: ['WORKER_MAX_CACHED_WORKFLOWS'],
    message: 'at least WORKER_WORKFLOW_TASK_SLOTS',
    when: (payload) => payload.issues.length === 0,
  })
  .refine((c) => durationMs(c.PUBLICITY_PERIOD_MIN) <= durationMs(c.PUBLICITY_PERIOD_MAX), {
    path: ['PUBLICITY_PERIOD_MIN'],
    message: 'at most PUBLICITY_PERIOD_MAX',
    when: (payload) => payload.issues.length === 0,
  })
  .refine((c) => durationMs(c.STAGE_TIME_LIMIT_MIN) <= durationMs(c.STAGE_TIME_LIMIT_MAX), {
    path: ['STAGE_TIME_LIMIT_MIN'],
    message: 'at most STAGE_TIME_LIMIT_MAX',
    when: (payload) => payload.issues.length === 0,
  })
  .refine((c) => c.ADMIN_COUNTY_NAME === undefined || c.ADMIN_COUNTY_CODE !== undefined, {
    path: ['ADMIN_COUNTY_NAME'],
    message: 'given without ADMIN_COUNTY_CODE',
    when: (payload) => payload.issues.length === 0,
  });

/** The range a per-jurisdiction setting must fall in, as written in config and in milliseconds. */
export interface DurationBounds {
  min: string;
  max: string;
  minMs: number;
  maxMs: number;
}
const bounds = (min: string, max: string): DurationBounds => ({ min, max, minMs: durationMs(min), maxMs: durationMs(max) });

export interface Config {
  port: number;
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  migrateOnStart: boolean;
  publicityPeriod: string;
  stageTimeLimit: string;
  /** CONTACT_WINDOW: a paired household with no visit this long has lost contact. */
  contactWindow: string;
  /** ESCALATE_AFTER: the default CasePolicy.escalateAfter. */
  escalateAfter: string;
  /** Bounds of what POST /jurisdictions/{code}/settings accepts. */
  settingBounds: { publicityPeriod: DurationBounds; stageTimeLimit: DurationBounds };
  searchAttributes: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** The worker's Prometheus exporter port (WORKER_METRICS_PORT); undefined: none. */
  workerMetricsPort: number | undefined;
  /** Where the API reads the worker's metrics (WORKER_METRICS_URL); undefined: it does not. */
  workerMetricsUrl: string | undefined;
  idHashKey: string;
  /** Encrypts Temporal payloads and account numbers in events (see src/crypto/keyring.ts). */
  payloadKeys: Keyring;
  codecCorsOrigins: string[];
  host: string;
  approvalThresholds: { townOnlyMaxFen: number; secondCountyAboveFen: number };
  bankUrl: string;
  idempotency: { keyTtlMs: number; leaseMs: number };
  worker: { workflowTaskSlots: number; activitySlots: number; maxCachedWorkflows: number };
  temporalCallTimeoutMs: number;
  anchor: AnchorConfig;
  auth: AuthConfig;
}

export interface AuthConfig {
  maxFailures: number;
  failureWindowMs: number;
  lockMs: number;
  sessionMs: number;
  /** The first administrator (see ADMIN_PASSWORD); undefined when ADMIN_PASSWORD is not set. */
  firstAdmin?: { username: string; password: string; countyCode?: string; countyName?: string };
  demoPassword: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const idHashKey = idHashKeyOf(env, problems);
  const payloadKeys = payloadKeysOf(env, problems);
  if (!parsed.success || !payloadKeys || problems.length) throw configError(problems);
  const c = parsed.data;
  const anchor = loadAnchorConfig({
    file: c.ANCHOR_FILE,
    keyFile: c.ANCHOR_KEY_FILE,
    publicKeyFile: c.ANCHOR_PUBLIC_KEY_FILE,
    intervalMs: c.ANCHOR_INTERVAL === 'off' ? null : durationMs(c.ANCHOR_INTERVAL) || null,
  });
  if (anchor.issues.length > 0) throw new ConfigError(`invalid configuration:\n${anchor.issues.map((i) => `  ${i}`).join('\n')}`);
  return {
    port: c.PORT,
    databaseUrl: c.DATABASE_URL,
    temporalAddress: c.TEMPORAL_ADDRESS,
    temporalNamespace: c.TEMPORAL_NAMESPACE,
    taskQueue: c.TASK_QUEUE,
    migrateOnStart: c.MIGRATE_ON_START === 'true',
    publicityPeriod: c.PUBLICITY_PERIOD,
    stageTimeLimit: c.STAGE_TIME_LIMIT,
    contactWindow: c.CONTACT_WINDOW,
    escalateAfter: c.ESCALATE_AFTER,
    settingBounds: {
      publicityPeriod: bounds(c.PUBLICITY_PERIOD_MIN, c.PUBLICITY_PERIOD_MAX),
      stageTimeLimit: bounds(c.STAGE_TIME_LIMIT_MIN, c.STAGE_TIME_LIMIT_MAX),
    },
    searchAttributes: c.SEARCH_ATTRIBUTES === 'true',
    logLevel: c.LOG_LEVEL,
    workerMetricsPort: c.WORKER_METRICS_PORT,
    workerMetricsUrl: c.WORKER_METRICS_URL,
    idHashKey,
    payloadKeys,
    codecCorsOrigins: c.CODEC_CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    host: c.HOST,
    approvalThresholds: { townOnlyMaxFen: c.APPROVAL_TOWN_ONLY_MAX_FEN, secondCountyAboveFen: c.APPROVAL_SECOND_COUNTY_ABOVE_FEN },
    bankUrl: c.BANK_URL,
    idempotency: { keyTtlMs: durationMs(c.IDEMPOTENCY_KEY_TTL), leaseMs: durationMs(c.IDEMPOTENCY_LEASE) },
    worker: { workflowTaskSlots: c.WORKER_WORKFLOW_TASK_SLOTS, activitySlots: c.WORKER_ACTIVITY_SLOTS, maxCachedWorkflows: c.WORKER_MAX_CACHED_WORKFLOWS },
    temporalCallTimeoutMs: durationMs(c.TEMPORAL_CALL_TIMEOUT),
    anchor: anchor.config,
    auth: {
      maxFailures: c.LOGIN_MAX_FAILURES,
      failureWindowMs: c.LOGIN_FAILURE_WINDOW_MINUTES * 60_000,
      lockMs: c.LOGIN_LOCK_MINUTES * 60_000,
      sessionMs: c.SESSION_HOURS * 3_600_000,
      firstAdmin:
        c.ADMIN_PASSWORD === undefined
          ? undefined
          : { username: c.ADMIN_USERNAME, password: c.ADMIN_PASSWORD, countyCode: c.ADMIN_COUNTY_CODE, countyName: c.ADMIN_COUNTY_NAME },
      demoPassword: c.DEMO_PASSWORD,
    },
  };
}

/**
 * The secrets, with the production rules: under NODE_ENV=production both must be set and
 * neither may be (or contain) the public development key. Messages never repeat a key.
 */
function idHashKeyOf(env: NodeJS.ProcessEnv, problems: string[]): string {
  const key = env.ID_HASH_KEY;
  if (env.NODE_ENV !== 'production') return key ?? DEVELOPMENT_ID_HASH_KEY;
  if (!key) problems.push('ID_HASH_KEY: required when NODE_ENV=production (a long random secret of your own)');
  else if (key === DEVELOPMENT_ID_HASH_KEY) problems.push('ID_HASH_KEY: the development key is public; set a secret of your own when NODE_ENV=production');
  return key ?? '';
}

function payloadKeysOf(env: NodeJS.ProcessEnv, problems: string[]): Keyring | undefined {
  const spec = env.PAYLOAD_KEYS;
  if (env.NODE_ENV === 'production') {
    if (!spec) problems.push('PAYLOAD_KEYS: required when NODE_ENV=production (id:base64key, e.g. k1:$(openssl rand -base64 32))');
    else if (sharesKeyMaterial(spec, DEVELOPMENT_PAYLOAD_KEYS))
      problems.push('PAYLOAD_KEYS: contains the public development key; use keys of your own when NODE_ENV=production');
    if (!spec) return undefined;
  }
  try {
    return parseKeyring(spec ?? DEVELOPMENT_PAYLOAD_KEYS);
  } catch (e) {
    if (!(e instanceof KeyringError)) throw e;
    problems.push(`PAYLOAD_KEYS: ${e.message}`);
    return undefined;
  }
}

const configError = (lines: string[]) => new ConfigError(`invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}`);

/** The payload keyring alone, under the same rules (for scripts that need no database). */
export function loadPayloadKeys(env: NodeJS.ProcessEnv = process.env): Keyring {
  const problems: string[] = [];
  const keys = payloadKeysOf(env, problems);
  if (!keys || problems.length) throw configError(problems);
  return keys;
}
