import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { devServerEnvironment, uniqueQueue } from '../support/temporal';

/**
 * A worker killed while it holds a workflow task leaves that task to time out before any other
 * worker may take it. From the 4th attempt the server lengthens that timeout (5 s, 10 s, 20 s …,
 * 10 min by default); after a run of crashes a disbursement once waited ~10 min at `sent`.
 * The dev server `npm start` and `npm test` run (scripts/lib/services.mjs) caps the extra at
 * 10 s. Here a "worker" takes each task of a workflow and dies with it (never answers), as a
 * SIGKILLed worker does, and the time until the task is offered again is measured per attempt.
 */
describe('a workflow task lost with its worker, again and again', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await devServerEnvironment();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('is offered again within the capped time, not after an ever longer wait', async () => {
    const taskQueue = uniqueQueue('dead-workers');
    const workflowId = uniqueQueue('lost-task');
    // A 1 s task timeout keeps the test short; the extra added per attempt does not depend on it.
    const handle = await env.client.workflow.start('anyWorkflow', { taskQueue, workflowId, workflowTaskTimeout: '1s' });
    try {
      const offeredAt: number[] = [];
      for (let attempt = 1; attempt <= 8; attempt++) {
        const task = await takeTaskAndDie(env, taskQueue);
        expect(task.attempt).toBe(attempt);
        offeredAt.push(Date.now());
      }
      // How long attempt n was held before the server gave up on it: 1 s for the first three,
      // then 1 s plus an extra of 5 s, 10 s, 20 s, 40 s (each less up to 20% of jitter), capped
      // at 10 s here. Uncapped, the sixth would be held 17–21 s and the seventh 33–41 s.
      const held = offeredAt.slice(1).map((t, i) => t - offeredAt[i]);
      const [, , , , fifth, sixth, seventh] = held;
      expect(fifth).toBeGreaterThanOrEqual(8_000); // the server does add its extra (1 s + 8–10 s)
      // Compared with the fifth, measured in the same run (a loaded machine delays all alike).
      expect(Math.max(sixth, seventh)).toBeLessThan(fifth + 5_000);
    } finally {
      await handle.terminate('test over').catch(() => undefined);
    }
  }, 180_000);
});

/** Polls like a worker, takes the task and never answers it. */
async function takeTaskAndDie(env: TestWorkflowEnvironment, taskQueue: string): Promise<{ attempt: number }> {
  for (;;) {
    // Long polls need a deadline; the server answers empty after about a minute.
    const task = await env.client.connection.withDeadline(Date.now() + 70_000, () =>
      env.client.workflowService.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, identity: 'worker-that-dies' }),
    );
    // An empty answer is the long poll ending with nothing to offer yet.
    if (task.taskToken?.length) return { attempt: task.attempt ?? 0 };
  }
}
