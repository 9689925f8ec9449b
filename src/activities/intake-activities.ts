import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { caseIdFor, prepareApplication, startCase, type ApplicationSettings, type CaseStartSettings } from '../cases/submit-application';
import { findUser } from '../directory/directory';
import { DomainError } from '../domain/errors';
import { acceptIntakeRow, finishIntakeBatch, pendingIntakeLines, pendingIntakeRow, rejectIntakeRow } from '../store/intake-batches';

/** How one row ended: its case, or why it was refused; `before` when an earlier attempt had already settled it. */
export type RowOutcome = 'accepted' | 'rejected' | 'before';

export interface IntakeActivities {
  /** The next pending lines of a batch and how many are pending in all: line numbers only, so no personal data enters the workflow's history. */
  pendingIntakeLines(input: { batchId: string; limit: number }): Promise<{ lines: number[]; pending: number }>;
  /**
   * Starts one row's case, or records why it cannot be. Idempotent: the case id comes from
   * the key `intake:<batchId>:<line>` (as a single application's from its Idempotency-Key),
   * so a retry after a crash joins the case already started instead of opening a second one.
   * Throws on anything unexpected (an outage), which the workflow's retry policy retries.
   */
  settleIntakeRow(input: { batchId: string; line: number }): Promise<RowOutcome>;
  /** Refuses a row whose data the database will not take (the workflow's fallback when settling fails for good). */
  refuseIntakeRow(input: { batchId: string; line: number; message: string }): Promise<void>;
  /** Marks the batch done; false if a row is still pending. */
  finishIntakeBatch(input: { batchId: string }): Promise<boolean>;
}

/** Starting cases needs the Temporal client: the worker's own, given to every activity. */
export function createIntakeActivities(pool: Pool, settings: ApplicationSettings & Pick<CaseStartSettings, 'searchAttributes'>): IntakeActivities {
  return {
    pendingIntakeLines: ({ batchId, limit }) => pendingIntakeLines(pool, batchId, limit),

    async settleIntakeRow({ batchId, line }) {
      const row = await pendingIntakeRow(pool, batchId, line);
      if (!row) return 'before';
      const user = await findUser(pool, row.userId);
      if (!user) {
        await rejectIntakeRow(pool, batchId, line, [{ path: 'household', message: 'the user who uploaded the file no longer exists' }]);
        return 'rejected';
      }
      const caseId = caseIdFor(user.userId, `intake:${batchId}:${line}`);
      const refused = async (message: string, errors?: { path: string; message: string }[]) => {
        await rejectIntakeRow(pool, batchId, line, errors ?? [{ path: 'household', message }]);
        return 'rejected' as const;
      };
      try {
        const prepared = await prepareApplication(pool, settings, user, { village: row.village, household: row.household }, caseId);
        if ('refused' in prepared) return await refused(prepared.refused, prepared.errors);
        // The task queue of the case is this worker's: the one the batch's workflow runs on.
        await startCase(Context.current().client, { ...settings, taskQueue: Context.current().info.taskQueue }, prepared.submit);
      } catch (e) {
        const refusal = refusalOf(e);
        if (refusal === undefined) throw e; // still pending: the retry finds the same case (its id comes from the row's key)
        return await refused(refusal);
      }
      await acceptIntakeRow(pool, batchId, line, caseId);
      return 'accepted';
    },

    refuseIntakeRow: ({ batchId, line, message }) => rejectIntakeRow(pool, batchId, line, [{ path: 'household', message }]),

    finishIntakeBatch: ({ batchId }) => finishIntakeBatch(pool, batchId),
  };
}

/** A refusal by the rules (the row is rejected with its message); undefined for anything else (retried). */
function refusalOf(e: unknown): string | undefined {
  return e instanceof DomainError ? e.message : undefined;
}
