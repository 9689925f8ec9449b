import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { z } from 'zod';
import type { Config } from '../../config/config';
import { canonicalJson } from '../../store/canonical-json';
import { findIntakeBatch, insertIntakeBatch, settledIntakeRows, type IntakeBatchRow, type IntakeFormat } from '../../store/intake-batches';
import { intakeBatch, intakeBatchWorkflowId } from '../../workflows/intake-batch';
import { assertInJurisdiction } from '../auth/access';
import type { AuthUser } from '../auth/user';
import type * as I from '../contract/intake-schemas';
import { notFound } from '../http/problem';
import { startOrJoin } from '../../temporal/start-or-join';
import { CONFIG, PG_POOL, TEMPORAL_CLIENT } from '../tokens';
import { checkCsvRows, checkJsonRows, checkTableRows, type CheckedRow } from './intake-rows';
import { readXlsx } from './xlsx-rows';

/**
 * Bulk intake. An upload is validated row by row and stored with its rows at once; valid rows
 * wait as 'pending' and become cases through the `intakeBatch` workflow (src/workflows/
 * intake-batch.ts), each through the same path as a single application. The batch id comes
 * from the uploader, village and content, so the same file uploaded again finds the first
 * batch; its workflow id comes from the batch id, so it finds the same run too.
 */
@Injectable()
export class IntakeService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  submitJson(user: AuthUser, body: z.infer<typeof I.IntakeJsonBody>) {
    assertInJurisdiction(user, body.village);
    return this.create(user, body.village, 'json', canonicalJson(body.rows), () => checkJsonRows(body.rows));
  }

  submitCsv(user: AuthUser, village: string, text: string) {
    assertInJurisdiction(user, village);
    return this.create(user, village, 'csv', text, () => checkCsvRows(text));
  }

  /** An .xlsx workbook: its first sheet, read as a table (xlsx-rows.ts); the batch id comes from its bytes. */
  submitXlsx(user: AuthUser, village: string, bytes: Buffer) {
    assertInJurisdiction(user, village);
    return this.create(user, village, 'xlsx', bytes, async () => checkTableRows(await readXlsx(bytes), 'sheet'));
  }

  async get(user: AuthUser, batchId: string) {
    const batch = await findIntakeBatch(this.pool, batchId);
    if (!batch) throw notFound('the batch');
    assertInJurisdiction(user, batch.village);
    return this.view(batch);
  }

  private async create(user: AuthUser, village: string, format: IntakeFormat, content: string | Buffer, check: () => CheckedRow[] | Promise<CheckedRow[]>) {
    const batchId = intakeBatchId(user.userId, village, format, content);
    let batch = await findIntakeBatch(this.pool, batchId);
    if (!batch) {
      const rows = await check();
      const contentHash = createHash('sha256').update(content).digest('hex');
      await insertIntakeBatch(this.pool, { batchId, userId: user.userId, village, format, contentHash, rows });
      batch = await findIntakeBatch(this.pool, batchId);
      if (!batch) throw new Error(`intake batch ${batchId} vanished`);
    }
    // Also for a batch found again: a start that failed after the rows were stored (Temporal
    // away) is made good by the client's retry; a run already going is joined.
    if (batch.status === 'processing') {
      await startOrJoin(this.temporal, intakeBatch, {
        taskQueue: this.config.taskQueue,
        workflowId: intakeBatchWorkflowId(batchId),
        args: [{ batchId, total: batch.total }],
      });
    }
    return this.view(batch);
  }

  private async view(batch: IntakeBatchRow): Promise<I.IntakeBatchViewT> {
    const rows = await settledIntakeRows(this.pool, batch.batch_id);
    const accepted = rows.filter((r) => r.status === 'accepted').map((r) => ({ line: r.line, caseId: r.case_id as string }));
    const rejected = rows.filter((r) => r.status === 'rejected').map((r) => ({ line: r.line, errors: r.errors ?? [] }));
    return {
      batchId: batch.batch_id,
      village: batch.village,
      format: batch.format,
      status: batch.status,
      total: batch.total,
      processed: rows.length,
      accepted,
      rejected,
      createdAt: batch.created_at.toISOString(),
      finishedAt: batch.finished_at?.toISOString() ?? null,
    };
  }
}

/** `batch-` and 32 hex digits of a hash of the uploader, village, format and content: the same file uploaded again finds its batch. */
export function intakeBatchId(userId: string, village: string, format: IntakeFormat, content: string | Buffer): string {
  return `batch-${createHash('sha256').update(`${userId}\n${village}\n${format}\n`).update(content).digest('hex').slice(0, 32)}`;
}
