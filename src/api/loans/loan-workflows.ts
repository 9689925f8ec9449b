import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import { loanBatchQuery, loanBatchWorkflowId, type LoanBatchView } from '../../workflows/loan-messages';
import { problem } from '../http/problem';

/**
 * Runs one human step as a Temporal Update on a loan or batch workflow. The Update id comes
 * from the caller and the Idempotency-Key (a retry attaches to the first run of it); the
 * deciders also dedupe by the ids in the command. A workflow that has ended takes no step: 409.
 */
export async function runUpdate<Ret, Arg>(
  temporal: Client,
  workflowId: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  opts: { updateId?: string; ended: string },
): Promise<Ret> {
  try {
    return await temporal.workflow.getHandle(workflowId).executeUpdate(update, { args: [arg], updateId: opts.updateId });
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) throw problem(409, 'ended', opts.ended);
    throw e;
  }
}

/** Update ids: one per caller and Idempotency-Key; none without a key (each request is then a new step). */
export const updateIdFor = (step: string, userId: string, key?: string) => (key ? `${step}:${userId}:${key}` : undefined);

/** The domain's refusal carried by a failed Update (its code and message), if that is what it is. */
export function domainRefusal(e: unknown): { code: string; message: string } | undefined {
  if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure && e.cause.type) return { code: e.cause.type, message: e.cause.message };
  return undefined;
}

/** The batch as its workflow has it (its Query), or undefined when the workflow cannot answer (not started, gone, or its worker away). */
export function askBatch(temporal: Client, batchId: string): Promise<LoanBatchView | undefined> {
  return temporal.workflow
    .getHandle(loanBatchWorkflowId(batchId))
    .query(loanBatchQuery)
    .catch(() => undefined);
}

/** Waits (up to about ten seconds) for a batch workflow just started to record its first step. */
export async function batchOpened(temporal: Client, batchId: string): Promise<LoanBatchView | undefined> {
  for (let i = 0; i < 100; i++) {
    const view = await askBatch(temporal, batchId);
    if (view) return view;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}
