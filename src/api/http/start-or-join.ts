import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle, type WorkflowStartOptions } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';

/**
 * Starts a workflow, or joins the run already going under that id: our ids are derived from
 * the request (Idempotency-Key), so "already started" means the same request, retried.
 */
export async function startOrJoin<T extends Workflow>(client: Client, workflow: T, options: WorkflowStartOptions<T>): Promise<WorkflowHandle<T>> {
  try {
    return await client.workflow.start(workflow, options);
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    return client.workflow.getHandle<T>(options.workflowId);
  }
}
