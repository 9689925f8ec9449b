import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle, type WorkflowStartOptions } from '@temporalio/client';
import type { UpdateDefinition, Workflow } from '@temporalio/common';

/**
 * Starts a workflow, or joins the run already going under that id: our ids are derived from
 * the request (Idempotency-Key), so "already started" means the same request, retried. A closed
 * run is never started afresh under the same id (unless the caller allows it): that would be
 * the same request run twice. The workflow is its function, or its type name (for workflows the
 * API does not import).
 */
export async function startOrJoin<T extends Workflow>(client: Client, workflow: T | string, options: WorkflowStartOptions<T>): Promise<WorkflowHandle<T>> {
  try {
    return await client.workflow.start(workflow, { workflowIdReusePolicy: 'REJECT_DUPLICATE', ...options });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    return client.workflow.getHandle<T>(options.workflowId);
  }
}

/**
 * Waits until a started workflow has recorded its first step, through an Update that only
 * waits. One fixed Update id per run: every retry of the request attaches to the same Update,
 * which the server answers from its record once done, with no new workflow task (and no new
 * history events) for the worker. A run already closed has recorded its first step long ago.
 */
export async function untilRecorded(handle: WorkflowHandle, update: UpdateDefinition<unknown, []>): Promise<void> {
  try {
    await handle.executeUpdate(update, { updateId: `${update.name}:first-step` });
  } catch (e) {
    const { status } = await handle.describe().catch(() => {
      throw e;
    });
    if (status.name === 'RUNNING') throw e;
  }
}
