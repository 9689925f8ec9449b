import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { z } from 'zod';
import type { HouseholdInput } from '../../domain/household';
import type { Role } from '../../domain/roles';
import { canonicalJson } from '../../store/canonical-json';
import { assertInJurisdiction } from '../auth/access';
import type { AuthUser } from '../auth/user';
import { CasesService } from '../cases/cases.service';
import type * as I from '../contract/intake-schemas';
import { notFound, toProblem } from '../http/problem';
import { PG_POOL } from '../tokens';
import { checkCsvRows, checkJsonRows, type CheckedRow, type RowError } from './intake-rows';

/** Cases started at once by this process, over all batches. */
const CONCURRENCY = 4;
/** Passes over a batch's rows that failed unexpectedly, before leaving them for the next start. */
const MAX_PASSES = 5;
const RETRY_DELAY_MS = 1000;

type Format = 'csv' | 'json';

interface BatchRow {
  batch_id: string;
  user_id: string;
  village: string;
  format: Format;
  status: 'processing' | 'done';
  total: number;
  created_at: Date;
  finished_at: Date | null;
}

/**
 * Bulk intake. An upload is validated row by row and stored with its rows in one
 * transaction; valid rows wait as 'pending' and become cases in the background, through
 * the same path as a single application. Each row's case id comes from the key
 * `intake:<batchId>:<line>`, so a row retried after a crash or restart cannot start a
 * second case; the batch id comes from the uploader, village and content, so the same file
 * uploaded again finds the first batch.
 */
@Injectable()
export class IntakeService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('intake');
  /** Batches being worked on by this process. */
  private readonly running = new Map<string, Promise<void>>();
  private readonly limiter = new Limiter(CONCURRENCY);
  private stopping = false;
  private wake: (() => void)[] = [];

  constructor(@Inject(PG_POOL) private readonly pool: Pool, private readonly cases: CasesService) {}

  submitJson(user: AuthUser, body: z.infer<typeof I.IntakeJsonBody>) {
    assertInJurisdiction(user, body.village);
    return this.create(user, body.village, 'json', canonicalJson(body.rows), () => checkJsonRows(body.rows));
  }

  submitCsv(user: AuthUser, village: string, text: string) {
    assertInJurisdiction(user, village);
    return this.create(user, village, 'csv', text, () => checkCsvRows(text));
  }

  async get(user: AuthUser, batchId: string) {
    const batch = await this.findBatch(batchId);
    if (!batch) throw notFound('the batch');
    assertInJurisdiction(user, batch.village);
    return this.view(batch);
  }

  /** Picks up batches a previous process left unfinished. Not awaited: the API starts at once. */
  onApplicationBootstrap(): void {
    void this.pool.query<{ batch_id: string }>(`SELECT batch_id FROM intake_batches WHERE status = 'processing' ORDER BY created_at`)
      .then(({ rows }) => {
        if (rows.length) this.log.log(`resuming ${rows.length} unfinished intake batch(es)`);
        for (const r of rows) this.start(r.batch_id);
      })
      .catch((e: Error) => this.log.error(`could not resume intake batches: ${e.message}`));
  }

  /** Lets rows in flight finish (their cases are being started) and takes no new ones. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const w of this.wake.splice(0)) w();
    await Promise.allSettled([...this.running.values()]);
  }

  private async create(user: AuthUser, village: string, format: Format, content: string, check: () => CheckedRow[]) {
    const contentHash = createHash('sha256').update(content).digest('hex');
    const batchId = `batch-${createHash('sha256').update(`${user.userId}\n${village}\n${format}\n`).update(content).digest('hex').slice(0, 32)}`;
    const existing = await this.findBatch(batchId);
    if (existing) {
      if (existing.status === 'processing') this.start(batchId, user);
      return this.view(existing);
    }
    const rows = check();
    const pending = rows.filter((r) => r.household).length;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const inserted = await client.query(
        `INSERT INTO intake_batches (batch_id, user_id, village, format, content_hash, total, status, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $7 = 'done' THEN now() END) ON CONFLICT (batch_id) DO NOTHING`,
        [batchId, user.userId, village, format, contentHash, rows.length, pending ? 'processing' : 'done'],
      );
      if (inserted.rowCount === 1) {
        await client.query(
          `INSERT INTO intake_rows (batch_id, line, status, errors, household)
           SELECT $1, r.line, r.status, r.errors, r.household FROM jsonb_to_recordset($2::jsonb) AS r(line integer, status text, errors jsonb, household jsonb)`,
          [batchId, JSON.stringify(rows.map((r) => ({ line: r.line, status: r.household ? 'pending' : 'rejected', errors: r.errors ?? null, household: r.household ?? null })))],
        );
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    const batch = await this.findBatch(batchId);
    if (!batch) throw new Error(`intake batch ${batchId} vanished`);
    if (batch.status === 'processing') this.start(batchId, user);
    return this.view(batch);
  }

  private start(batchId: string, user?: AuthUser): void {
    if (this.stopping || this.running.has(batchId)) return;
    const run = this.run(batchId, user)
      .catch((e: Error) => this.log.error(`intake batch ${batchId}: ${e.message}`))
      .finally(() => this.running.delete(batchId));
    this.running.set(batchId, run);
  }

  private async run(batchId: string, given?: AuthUser): Promise<void> {
    const batch = await this.findBatch(batchId);
    if (!batch || batch.status === 'done') return;
    const user = given ?? await this.loadUser(batch.user_id);
    for (let pass = 1; !this.stopping; pass++) {
      const pending = (await this.pool.query<{ line: number; household: HouseholdInput }>(
        `SELECT line, household FROM intake_rows WHERE batch_id = $1 AND status = 'pending' ORDER BY line`, [batchId],
      )).rows;
      if (pending.length === 0) {
        await this.pool.query(`UPDATE intake_batches SET status = 'done', finished_at = now() WHERE batch_id = $1 AND status = 'processing'`, [batchId]);
        return;
      }
      if (pass > MAX_PASSES) {
        this.log.warn(`intake batch ${batchId}: ${pending.length} row(s) still pending after ${MAX_PASSES} passes; retried on the next start`);
        return;
      }
      if (pass > 1) await this.sleep(RETRY_DELAY_MS * 2 ** (pass - 2));
      await Promise.all(pending.map((row) => this.limiter.run(() => (this.stopping ? Promise.resolve() : this.settle(batch, user, row)))));
    }
  }

  /** Starts one row's case, or records why it cannot be; an unexpected failure leaves the row pending. */
  private async settle(batch: BatchRow, user: AuthUser | undefined, row: { line: number; household: HouseholdInput }): Promise<void> {
    if (!user) {
      await this.reject(batch.batch_id, row.line, [{ path: 'household', message: 'the user who uploaded the file no longer exists' }]).catch(() => undefined);
      return;
    }
    let outcome: { caseId: string } | { refused: string };
    try {
      const { caseId } = await this.cases.submit(user, { village: batch.village, household: row.household }, `intake:${batch.batch_id}:${row.line}`);
      outcome = { caseId };
    } catch (e) {
      const { problem, unexpected } = toProblem(e);
      if (unexpected) {
        this.log.warn(`intake batch ${batch.batch_id} line ${row.line}: ${e instanceof Error ? e.name : 'error'}; will retry`);
        return;
      }
      outcome = { refused: problem.detail };
    }
    try {
      if ('caseId' in outcome) {
        await this.pool.query(
          `UPDATE intake_rows SET status = 'accepted', case_id = $3, household = NULL WHERE batch_id = $1 AND line = $2 AND status = 'pending'`,
          [batch.batch_id, row.line, outcome.caseId],
        );
      } else {
        await this.reject(batch.batch_id, row.line, [{ path: 'household', message: outcome.refused }]);
      }
    } catch (e) {
      // Still pending: the retry finds the same case (its id comes from the row's key).
      this.log.warn(`intake batch ${batch.batch_id} line ${row.line}: could not record the outcome (${e instanceof Error ? e.message : 'error'}); will retry`);
    }
  }

  private async reject(batchId: string, line: number, errors: RowError[]): Promise<void> {
    await this.pool.query(
      `UPDATE intake_rows SET status = 'rejected', errors = $3, household = NULL WHERE batch_id = $1 AND line = $2 AND status = 'pending'`,
      [batchId, line, JSON.stringify(errors)],
    );
  }

  private async loadUser(userId: string): Promise<AuthUser | undefined> {
    const row = (await this.pool.query<{ user_id: string; name: string; role: Role; jurisdiction: string; id_hash: string | null }>(
      'SELECT user_id, name, role, jurisdiction, id_hash FROM users WHERE user_id = $1', [userId],
    )).rows[0];
    return row && { userId: row.user_id, name: row.name, role: row.role, jurisdiction: row.jurisdiction, idHash: row.id_hash ?? undefined };
  }

  private async findBatch(batchId: string): Promise<BatchRow | undefined> {
    return (await this.pool.query<BatchRow>(
      'SELECT batch_id, user_id, village, format, status, total, created_at, finished_at FROM intake_batches WHERE batch_id = $1', [batchId],
    )).rows[0];
  }

  private async view(batch: BatchRow): Promise<I.IntakeBatchViewT> {
    const rows = (await this.pool.query<{ line: number; status: 'accepted' | 'rejected'; case_id: string | null; errors: RowError[] | null }>(
      `SELECT line, status, case_id, errors FROM intake_rows WHERE batch_id = $1 AND status <> 'pending' ORDER BY line`, [batch.batch_id],
    )).rows;
    const accepted = rows.filter((r) => r.status === 'accepted').map((r) => ({ line: r.line, caseId: r.case_id as string }));
    const rejected = rows.filter((r) => r.status === 'rejected').map((r) => ({ line: r.line, errors: r.errors ?? [] }));
    return {
      batchId: batch.batch_id, village: batch.village, format: batch.format, status: batch.status, total: batch.total,
      processed: rows.length, accepted, rejected,
      createdAt: batch.created_at.toISOString(), finishedAt: batch.finished_at?.toISOString() ?? null,
    };
  }

  /** Waits, unless the application is shutting down. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = this.wake.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake.push(done);
    });
  }
}

/** At most `size` tasks at a time, in the order they asked. */
class Limiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.size) this.active++;
    else await new Promise<void>((resolve) => this.queue.push(resolve)); // a finishing task hands over its slot
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}
