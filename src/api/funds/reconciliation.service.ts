import { Inject, Injectable } from '@nestjs/common';
import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import type { Config } from '../../config/config';
import type { ReconciliationResult } from '../../domain/funds/reconciliation';
import { reconciliation, reconciliationWorkflowId } from '../../workflows/reconciliation';
import type { AuthUser } from '../auth/user';
import type { ReconciliationBody } from '../contract/reconciliation-schemas';
import { notFound, problem } from '../http/problem';
import { startOrJoin } from '../../temporal/start-or-join';
import { CONFIG, PG_POOL, TEMPORAL_CLIENT } from '../tokens';
import { fundWithin } from './fund-access';

/** How long a request waits for the day's reconciliation before answering 503 (it goes on, and a retry picks it up). */
const WAIT_MS = 60_000;

@Injectable()
export class ReconciliationService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Runs (or joins the run already going for) the fund's reconciliation of the day, and answers with its outcome. */
  async reconcile(user: AuthUser, fundId: string, body: z.infer<typeof ReconciliationBody>): Promise<ReconciliationResult> {
    await fundWithin(this.pool, user, fundId);
    if (body.date > new Date().toISOString().slice(0, 10)) {
      throw problem(422, 'day-not-begun', 'that day has not begun yet (UTC); reconcile today or an earlier day', [
        { path: 'body.date', message: 'in the future' },
      ]);
    }
    const workflowId = reconciliationWorkflowId(fundId, body.date);
    // A finished run of the same day may run again (after a correction); its idempotent events keep it from recording anything twice.
    const handle = await startOrJoin(this.temporal, reconciliation, {
      taskQueue: this.config.taskQueue,
      workflowId,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      args: [{ fundId, date: body.date, requestedBy: user.userId }],
    });
    return this.outcome(handle);
  }

  private async outcome(handle: WorkflowHandle<typeof reconciliation>): Promise<ReconciliationResult> {
    let timer: NodeJS.Timeout | undefined;
    const result = handle.result();
    result.catch(() => undefined); // answered below, or abandoned after the wait
    try {
      return await Promise.race([
        result,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                problem(
                  503,
                  'reconciliation-pending',
                  'the reconciliation is still running (the bank may be slow); repeat the request shortly for its outcome',
                ),
              ),
            WAIT_MS,
          );
        }),
      ]);
    } catch (e) {
      if (!(e instanceof WorkflowFailedError)) throw e;
      const cause = e.cause instanceof ActivityFailure ? e.cause.cause : e.cause;
      const type = cause instanceof ApplicationFailure ? cause.type : undefined;
      if (type === 'not_found') throw notFound('the fund');
      throw problem(
        503,
        type === 'bank_unavailable' ? 'bank-unavailable' : 'reconciliation-failed',
        type === 'bank_unavailable' ? "the bank's statement could not be fetched; try again later" : 'the reconciliation could not finish; try again later',
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
