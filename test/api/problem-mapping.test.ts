import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { toProblem } from '../../src/api/http/problem';

/** A gRPC error as @grpc/grpc-js hands it to the Temporal client. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

/** Outages of Temporal or Postgres are a 503 to retry (the Idempotency-Key keeps no answer); bugs stay a 500. */
describe('toProblem: what is worth a retry', () => {
  it.each([
    [
      'an Update whose workflow task failed before acceptance (FAILED_PRECONDITION)',
      new ServiceError('Workflow Update failed', { cause: grpcError(9, 'workflow not ready') }),
    ],
    ['Temporal unavailable', new ServiceError('Failed to start Workflow', { cause: grpcError(14, 'connect ECONNREFUSED') })],
    ['the request deadline passed', new WorkflowUpdateRPCTimeoutOrCancelledError('context deadline exceeded', { cause: grpcError(4, 'deadline') })],
    ['Postgres shutting down (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['Postgres connection failure (08006)', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['Postgres refusing connections', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly')],
  ])('%s → 503', (_what, err) => {
    expect(toProblem(err)).toEqual({
      problem: expect.objectContaining({ status: 503, type: expect.stringMatching(/temporarily-unavailable$/) }),
      unexpected: true,
    });
  });

  it.each([
    ['FAILED_PRECONDITION outside Updates', new ServiceError('Failed to query Workflow', { cause: grpcError(9, 'x') })],
    ['INVALID_ARGUMENT', new ServiceError('Workflow Update failed', { cause: grpcError(3, 'bad') })],
    ['a SQL error', Object.assign(new Error('syntax error'), { code: '42601' })],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
  ])('%s → 500', (_what, err) => {
    expect(toProblem(err).problem.status).toBe(500);
  });
});

/** A step the store refused: an ordinary activity's failure comes wrapped, a local activity's (case steps) bare. */
describe('toProblem: a refused workflow step, from either kind of activity', () => {
  const refused = (type: string) => ApplicationFailure.create({ type, message: 'refused', nonRetryable: true });
  const wrapped = (type: string) =>
    new WorkflowUpdateFailedError(
      'update failed',
      new ActivityFailure('activity failed', 'recordCaseEvents', '1', RetryState.NON_RETRYABLE_FAILURE, 'w', refused(type)),
    );
  const bare = (type: string) => new WorkflowUpdateFailedError('update failed', refused(type));
  it.each([
    ['ConcurrencyError', 409],
    ['InvalidData', 400],
  ])('%s → %i, wrapped or bare', (type, status) => {
    expect(toProblem(wrapped(type))).toEqual({ problem: expect.objectContaining({ status }), unexpected: false });
    expect(toProblem(bare(type))).toEqual({ problem: expect.objectContaining({ status }), unexpected: false });
  });
});
