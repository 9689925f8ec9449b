import { HttpException } from '@nestjs/common';
import {
  isGrpcServiceError,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { ZodError } from 'zod';
import { DomainError, type DomainErrorCode } from '../../domain/errors';
import { ConcurrencyError, IdempotencyConflictError, INVALID_DATA } from '../../store/errors';

/** An RFC 9457 problem: what the client sees of every error. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
  /** 423 account-locked: when log-in is possible again. */
  lockedUntil?: string;
  /** 422 pool-cash-insufficient: the cash not claimed, what the batch needs, how many households it can take. */
  availableFen?: number;
  neededFen?: number;
  maxHouseholds?: number;
  /** 409 overpayment: what the loan still owes. */
  outstandingFen?: number;
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

/** An answer the Idempotency-Key must not keep, as after an outage: the retry runs the request again. */
export class TransientProblemError extends ProblemError {}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

export function problem(status: number, slug: string, detail: string, errors?: Problem['errors']): ProblemError {
  return new ProblemError({ type: `https://aid.example/problems/${slug}`, title: TITLES[status] ?? 'Error', status, detail, ...(errors ? { errors } : {}) });
}

/** Whether `err` is the problem of this status and slug. */
export const isProblem = (err: unknown, status: number, slug: string): boolean =>
  err instanceof ProblemError && err.problem.status === status && err.problem.type.endsWith(`/${slug}`);

export const notFound = (what: string) => problem(404, 'not-found', `${what} was not found`);
export const forbidden = (detail: string) => problem(403, 'forbidden', detail);

/** A field refused: its path within the part of the request, and why. */
export interface FieldIssue {
  path: readonly PropertyKey[];
  message: string;
}

export function validationProblem(err: ZodError | FieldIssue[], where: 'body' | 'query' | 'params' | 'header'): ProblemError {
  const issues: readonly FieldIssue[] = Array.isArray(err) ? err : err.issues;
  const errors = issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  return problem(400, 'validation', `the request ${where} is not valid: ${errors.map((e) => e.path).join(', ')}`, errors);
}

const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  forbidden: 403,
  wrong_stage: 409,
  not_in_publicity: 409,
  stale_household: 409,
  case_closed: 409,
  not_found: 404,
  conflict: 409,
  stale_plan: 409,
  invalid: 422,
};

function fromDomain(code: string, message: string): ProblemError | undefined {
  const status = DOMAIN_STATUS[code as DomainErrorCode];
  return status ? problem(status, code.replace(/_/g, '-'), message) : undefined;
}

/**
 * The database refused a value (an activity's InvalidData, or an encoding error on a direct
 * write). Validation refuses such text first (contract/text.ts); this is the net under it.
 */
export const invalidData = () =>
  problem(400, 'invalid-data', 'a value in this request cannot be stored (e.g. a control character); nothing was recorded', [
    { path: 'body', message: 'holds a value that cannot be stored' },
  ]); // which one, the database does not say
/** A body whose Content-Encoding (gzip, deflate, br) does not decompress. */
const undecompressable = () => {
  const message = '请求体无法按其 Content-Encoding 解压 (the body does not decompress as its Content-Encoding says)';
  return problem(400, 'unreadable-body', `${message}; nothing was recorded`, [{ path: 'body', message }]);
};
// zlib's codes (Z_DATA_ERROR, Z_BUF_ERROR) and brotli's (ERR__ERROR_FORMAT_…, ERR_BROTLI…).
const DECOMPRESSION_ERROR = /^(Z_|ERR__|ERR_BROTLI|ERR_ZLIB|ERR_ZSTD)/;

// Postgres: untranslatable character (a \u0000 in jsonb), character not in repertoire (a NUL in text).
const PG_INVALID_TEXT = new Set(['22P05', '22021']);

/** Retry later with the same Idempotency-Key: nothing was decided (or the decision stands and a retry returns it). */
export const unavailable = () =>
  problem(503, 'temporarily-unavailable', 'a service this request needs did not answer in time; retry with the same Idempotency-Key');

// gRPC codes a Temporal call ends with when the server or the workflow's worker is away for a while.
const TRANSIENT_GRPC = new Set([1 /* CANCELLED */, 4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 10 /* ABORTED */, 14 /* UNAVAILABLE */]);
// Postgres: connection failures (08…), shutdown or restart (57P01–57P03), and the socket errors of a lost connection.
const TRANSIENT_PG = /^(08...|57P0[123]|53300)$/;
const TRANSIENT_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** An outage of Temporal or Postgres (not a bug): the client should retry, and the key must not keep this answer. */
function isTransient(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (err instanceof ServiceError && isGrpcServiceError(err.cause)) {
    // FAILED_PRECONDITION on an Update: "workflow not ready", its workflow task failed or timed
    // out (a worker died) before the Update was accepted. Sent again later, it is accepted.
    if (err.cause.code === 9 /* FAILED_PRECONDITION */ && /Workflow Update/.test(err.message)) return true;
    return TRANSIENT_GRPC.has(err.cause.code);
  }
  if (isGrpcServiceError(err)) return TRANSIENT_GRPC.has(err.code);
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && (TRANSIENT_PG.test(e.code) || TRANSIENT_SOCKET.has(e.code))) return true;
  return typeof e?.message === 'string' && /Connection terminated|timeout exceeded when trying to connect/.test(e.message);
}

/**
 * The failure type of a workflow step that the store refused. An ordinary activity's failure
 * reaches the Update wrapped in an ActivityFailure; a local activity's (a case step since issue
 * #11) arrives as the ApplicationFailure itself. Both must map alike, or a lost race would be a 500.
 */
function failedStepType(cause: unknown): string | undefined {
  const failure = cause instanceof ActivityFailure ? cause.cause : cause;
  return failure instanceof ApplicationFailure ? (failure.type ?? undefined) : undefined;
}

/**
 * Maps anything thrown while serving a request to a problem. Unknown errors become a bare
 * 500: their messages may carry SQL or internals, so they are logged, never sent.
 */
export function toProblem(err: unknown): { problem: Problem; unexpected: boolean } {
  if (err instanceof ProblemError) return { problem: err.problem, unexpected: err instanceof TransientProblemError };
  if (err instanceof DomainError) return { problem: (fromDomain(err.code, err.message) as ProblemError).problem, unexpected: false };
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type) {
    const p = fromDomain(err.cause.type, err.cause.message);
    if (p) return { problem: p.problem, unexpected: false };
  }
  const activityFailure = err instanceof WorkflowUpdateFailedError ? failedStepType(err.cause) : undefined;
  // A step that lost a race to the store (expected version) is a conflict, not a crash.
  if (activityFailure === 'ConcurrencyError') {
    return { problem: problem(409, 'conflict', 'someone else changed this first; re-read and try again').problem, unexpected: false };
  }
  // The store refused the step's data: nothing was recorded and the case takes the next step.
  if (activityFailure === INVALID_DATA) return { problem: invalidData().problem, unexpected: false };
  if (typeof (err as { code?: unknown })?.code === 'string' && PG_INVALID_TEXT.has((err as { code: string }).code)) {
    return { problem: invalidData().problem, unexpected: false };
  }
  if (isTransient(err)) return { problem: unavailable().problem, unexpected: true };
  if (err instanceof WorkflowNotFoundError) return { problem: notFound('the case').problem, unexpected: false };
  if (err instanceof ConcurrencyError)
    return { problem: problem(409, 'conflict', 'someone else changed this first; re-read and try again').problem, unexpected: false };
  if (err instanceof IdempotencyConflictError)
    return { problem: problem(422, 'idempotency-key-reused', 'this idempotency key was used for a different request').problem, unexpected: false };
  if (err instanceof HttpException) {
    const status = err.getStatus();
    // We throw ProblemErrors; Nest itself raises a 400 when the JSON body does not parse, or a path parameter's %-encoding does not decode.
    if (status === 400 && /decode param/i.test(err.message))
      return {
        problem: problem(400, 'validation', 'a path parameter is not valid: its %-encoding does not decode', [
          { path: 'params', message: 'bad percent-encoding' },
        ]).problem,
        unexpected: false,
      };
    if (status === 400) return { problem: problem(400, 'malformed-json', 'the request body is not valid JSON').problem, unexpected: false };
    const body = err.getResponse();
    const detail = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? err.message);
    return { problem: problem(status, status === 404 ? 'not-found' : 'http', detail).problem, unexpected: status >= 500 };
  }
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.parse.failed') return { problem: problem(400, 'malformed-json', 'the request body is not valid JSON').problem, unexpected: false };
  if (e?.type === 'entity.too.large') return { problem: problem(413, 'too-large', 'the request body is too large').problem, unexpected: false };
  // The body parsers' other refusals (a charset other than UTF-8, an unknown Content-Encoding, a body cut short, one
  // that does not decompress: zlib's error, given the status 400 but no type): theirs are client errors.
  const parser = err as { type?: unknown; status?: unknown; expose?: unknown; code?: unknown };
  if (parser?.expose === true && typeof parser.status === 'number' && parser.status >= 400 && parser.status < 500) {
    if (typeof parser.code === 'string' && DECOMPRESSION_ERROR.test(parser.code)) return { problem: undecompressable().problem, unexpected: false };
    if (parser.status === 415)
      return {
        problem: problem(415, 'unsupported-media-type', "the body's charset or Content-Encoding is not supported: send UTF-8, uncompressed or gzip/deflate")
          .problem,
        unexpected: false,
      };
    if (parser.status === 413) return { problem: problem(413, 'too-large', 'the request body is too large').problem, unexpected: false };
    return { problem: problem(400, 'unreadable-body', 'the request body could not be read').problem, unexpected: false };
  }
  return {
    problem: problem(500, 'internal', 'something went wrong on our side; the request may be retried with the same Idempotency-Key').problem,
    unexpected: true,
  };
}
