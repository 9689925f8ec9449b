import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Config } from '../../config/config';
import type { EventStore } from '../../store/event-store';
import type { AuthUser } from '../auth/user';
import { itemDecision, type BatchDecisionBodyT, type BatchDecisionResultT } from '../contract/batch-decision-schemas';
import type { CaseViewT } from '../contract/schemas';
import { IdempotencyKeys, requestHash } from '../http/idempotency-keys';
import { problem, toProblem, TransientProblemError, type Problem } from '../http/problem';
import { recordDenial } from '../http/record-denial';
import { CONFIG, EVENT_STORE, TEMPORAL_CLIENT } from '../tokens';
import { CasesService } from './cases.service';
import { mapConcurrently } from './map-concurrently';

/**
 * Cases decided at once. Enough to keep the workers busy while one case's step is being
 * recorded; few enough that a batch does not crowd out other requests (worker slots are small).
 */
export const BATCH_CONCURRENCY = 8;

type Item = BatchDecisionBodyT['items'][number];

/**
 * The Idempotency-Key of one case of a batch: `key` is visible ASCII (no spaces), so no key a
 * client sends to the single decision can equal it, nor can two batches' items share one.
 */
export const batchItemKey = (key: string, caseId: string) => `batch ${key} ${caseId}`;

/**
 * One assembly, audit or approval over many cases (POST /cases/decisions). Each case is the
 * single decision (CasesService.decide: the same access checks, Update and events), run a few
 * at a time; a case refused (403, 404, 409, 422) is reported in its place and the others go on.
 *
 * Idempotent as a whole, and resumable: with an Idempotency-Key each case runs under a key of
 * its own, derived from the batch's (batchItemKey), through the same table as every request's
 * (IdempotencyKeys): its answer is kept as soon as it is known, and its Temporal Update id
 * follows from that key. A batch retried after its process died half-way (the interceptor
 * hands it over) replays the cases already answered and runs the rest; a case whose Update
 * completed but whose answer was not yet kept is sent the same Update id, which Temporal
 * answers without deciding again.
 *
 * An outage (Temporal, Postgres) is not a case's answer: no further case is started, those
 * under way finish, and the batch answers 503 without keeping it, so the retry resumes.
 */
@Injectable()
export class BatchDecisionsService {
  private readonly log = new Logger('batch-decisions');

  constructor(
    private readonly cases: CasesService,
    private readonly keys: IdempotencyKeys,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async decideMany(user: AuthUser, body: BatchDecisionBodyT, idempotencyKey?: string) {
    let outage: unknown;
    const results = await mapConcurrently(body.items, BATCH_CONCURRENCY, async (item) => {
      if (outage !== undefined) return undefined;
      try {
        return await this.decideOne(user, body, item, idempotencyKey);
      } catch (e) {
        outage ??= e;
        return undefined;
      }
    });
    if (outage !== undefined) throw outage;
    const all = results as BatchDecisionResultT[];
    const succeeded = all.filter((r) => 'case' in r).length;
    return { results: all, succeeded, failed: all.length - succeeded };
  }

  /** One case's answer; throws only for an outage (or a bug), which is no answer. */
  private async decideOne(user: AuthUser, batch: BatchDecisionBodyT, item: Item, batchKey?: string): Promise<BatchDecisionResultT> {
    const caseId = item.caseId;
    const decision = itemDecision(batch, item);
    const key = batchKey === undefined ? undefined : batchItemKey(batchKey, caseId);
    if (key !== undefined) {
      const path = `/cases/${caseId}/decisions`;
      const begun = await this.keys.begin(user.userId, key, 'POST', path, requestHash('POST', path, decision));
      if (begun.kind === 'replay') return answer(caseId, begun.status, begun.response);
      if (begun.kind === 'in-progress')
        throw new TransientProblemError(
          problem(503, 'temporarily-unavailable', 'an earlier attempt at this batch is still deciding one of its cases; retry shortly').problem,
        );
      // A batch key past its time used again, with its cases' keys not quite: this case's is another request's.
      if (begun.kind === 'reused')
        return refused(caseId, problem(422, 'idempotency-key-reused', 'this Idempotency-Key was used for a different request').problem);
    }
    let result: BatchDecisionResultT;
    try {
      // Each case gets the Temporal deadline a single decision gets (not a share of the request's).
      const deadline = Date.now() + this.config.temporalCallTimeoutMs;
      const view = await this.temporal.connection.withDeadline(deadline, () => this.cases.decide(user, caseId, decision, key));
      result = { caseId, status: 200, case: view };
    } catch (e) {
      const { problem: p, unexpected } = toProblem(e);
      if (unexpected) {
        if (key !== undefined) await this.keys.settle(() => this.keys.forget(user.userId, key)).catch(() => undefined);
        throw e;
      }
      if (p.status === 403) await this.recordDenial(user, caseId, p.detail);
      result = refused(caseId, p);
    }
    if (key !== undefined) {
      const kept = 'case' in result ? result.case : result.problem;
      await this.keys.settle(() => this.keys.finish(user.userId, key, result.status, kept));
    }
    return result;
  }

  /** As the single decision's 403 is recorded (ProblemFilter), naming the case refused. */
  private async recordDenial(user: AuthUser, caseId: string, detail: string): Promise<void> {
    try {
      await recordDenial(this.store, user, { method: 'POST', path: '/cases/decisions' }, `${caseId}: ${detail}`);
    } catch (e) {
      this.log.error(`could not record a denial: ${(e as Error).message}`);
    }
  }
}

function refused(caseId: string, p: Problem): BatchDecisionResultT {
  return { caseId, status: p.status, problem: p };
}

/** A kept answer of one case, as it was first given. */
function answer(caseId: string, status: number, kept: unknown): BatchDecisionResultT {
  return status === 200 ? { caseId, status: 200, case: kept as CaseViewT } : refused(caseId, kept as Problem);
}
