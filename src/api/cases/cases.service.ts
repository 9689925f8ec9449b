import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { z } from 'zod';
import type { Config } from '../../config/config';
import { decide } from '../../domain/case';
import { caseIdFor, prepareApplication, startCase } from '../../cases/submit-application';
import { STREAM_ID } from '../../domain/streams';
import { decideUpdate, lodgeObjectionUpdate, resolveObjectionUpdate, resolveQueryUpdate, type SubmitInput } from '../../workflows/identification-case';
import { assertInJurisdiction, assertMayReadCase } from '../auth/access';
import type { AuthUser } from '../auth/user';
import type * as S from '../contract/schemas';
import type { StreamPageQuery } from '../contract/stream-schemas';
import type { ExitBody } from '../contract/household-schemas';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { idFromKey } from '../../crypto/ids';
import { isProblem, notFound, problem } from '../http/problem';
import { CONFIG, PG_POOL, TEMPORAL_CLIENT } from '../tokens';
import { JurisdictionSettingsService } from '../jurisdictions/jurisdiction-settings.service';
import { caseOfObjection, casesOfHousehold, casesWithin, findCase, findCaseForActor, type CaseRow } from '../../store/projections/cases-queries';
import { findHousehold } from '../../store/projections/households-queries';
import { householdHash } from '../../store/household-intake';
import { StreamEventsService } from '../streams/stream-events.service';
import { toCaseView } from './case-row';

@Injectable()
export class CasesService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: Config,
    private readonly settings: JurisdictionSettingsService,
    private readonly streamEvents: StreamEventsService,
  ) {}

  async submit(user: AuthUser, body: z.infer<typeof S.SubmitApplicationBody>, idempotencyKey?: string) {
    const prepared = await prepareApplication(this.pool, this.config, user, body, caseIdFor(user.userId, idempotencyKey));
    if ('refused' in prepared)
      throw problem(
        409,
        prepared.slug,
        prepared.refused,
        prepared.errors?.map((e) => ({ ...e, path: `body.household.${e.path}` })),
      );
    return this.startCase(prepared.submit);
  }

  /** Exit ("poverty eliminated"): verification, publicity, announcement, for an enrolled household. */
  async proposeExit(user: AuthUser, householdId: string, body: z.infer<typeof ExitBody>, idempotencyKey?: string) {
    const registered = await this.registered(householdId);
    if (!registered) throw notFound('the household');
    assertInJurisdiction(user, registered.village);
    const current = await findCase(this.pool, registered.current_case_id);
    if (!current || registered.status !== 'enrolled' || current.status === 'open') {
      throw problem(409, 'not-enrolled', `an exit can be proposed only for an enrolled household with no open case (it is ${registered.status})`);
    }
    const s = current.state;
    // The registry's members, not the closed case's copy: a member transfer since then corrected
    // the registry alone, and the exit frees (and its decisions pin) only who is still here.
    const household = { ...s.household, members: registered.members };
    const submit: SubmitInput = {
      type: 'Submit',
      procedure: 'exit',
      caseId: `case-${idempotencyKey ? idFromKey(user.userId, `exit:${idempotencyKey}`) : randomUUID()}`,
      householdId,
      applicantId: user.userId,
      location: s.location,
      household,
      householdHash: householdHash(household),
      previousCaseId: s.caseId,
      reason: body.reason,
      policy: await this.settings.policyFor(s.location.village),
      actor: user,
    };
    decide({ ...submit, at: new Date().toISOString() }, undefined);
    return this.startCase(submit);
  }

  async household(user: AuthUser, householdId: string) {
    const registered = await this.registered(householdId);
    if (!registered) throw notFound('the household');
    assertInJurisdiction(user, registered.village);
    const cases = await casesOfHousehold(this.pool, householdId);
    const current = (await findCase(this.pool, registered.current_case_id))?.state.household;
    return {
      householdId,
      village: registered.village,
      status: registered.status,
      currentCaseId: registered.current_case_id,
      housingGrade: current?.housingGrade ?? null,
      annualIncomeFen: current?.annualIncomeFen ?? null,
      primaryCause: current?.primaryCause ?? null,
      secondaryCauses: current?.secondaryCauses ?? [],
      members: registered.members.map(({ name, relation, idMasked, age, ableToWork, health }) => ({ name, relation, idMasked, age, ableToWork, health })),
      cases: cases.map((c) => ({ caseId: c.case_id, procedure: c.procedure, stage: c.stage, status: c.status, openedAt: c.opened_at.toISOString() })),
    };
  }

  private registered(householdId: string) {
    return findHousehold(this.pool, householdId);
  }

  private async startCase(submit: SubmitInput) {
    const caseId = submit.caseId;
    await startCase(this.temporal, this.config, submit);
    const view = await this.view(caseId);
    return { caseId, stage: view.stage, status: view.status, case: view };
  }

  async get(user: AuthUser, caseId: string) {
    const row = await this.readable(user, caseId);
    return toCaseView(row);
  }

  /** A page of `q.limit` cases; an export asks for up to `max` (EXPORT_CAP) instead, with the same filters and scope. */
  async list(user: AuthUser, q: z.infer<typeof S.ListCasesQuery>, max = q.limit) {
    const rows = await casesWithin(this.pool, {
      jurisdiction: user.jurisdiction,
      stage: q.stage,
      status: q.status,
      village: q.village,
      town: q.town,
      after: q.cursor ? decodeCursor(q.cursor) : null,
      limit: max + 1,
    });
    const page = rows.slice(0, max);
    const last = page[page.length - 1];
    return {
      items: page.map(toCaseView).map(({ caseId, householdId, stage, status, location, deadlines, openedAt, updatedAt }) => ({
        caseId,
        householdId,
        stage,
        status,
        location,
        deadlines,
        openedAt,
        updatedAt,
      })),
      nextCursor: rows.length > max && last ? encodeCursor(last.opened_at.toISOString(), last.case_id) : null,
    };
  }

  async events(user: AuthUser, caseId: string, q: z.infer<typeof StreamPageQuery>) {
    const page = await this.streamEvents.read(async () => STREAM_ID.case((await this.readable(user, caseId)).case_id), q);
    return { caseId, ...page };
  }

  async decide(user: AuthUser, caseId: string, body: z.infer<typeof S.DecisionBody>, idempotencyKey?: string) {
    const updateId = idempotencyKey ? `decide:${user.userId}:${idempotencyKey}` : undefined;
    let row: CaseRow;
    try {
      row = await this.actionable(user, caseId);
    } catch (e) {
      // The retry of a decision that ended the case (its first answer lost with its process):
      // Temporal keeps the Update's outcome, even of a closed workflow; answer as then.
      if (updateId === undefined || !isProblem(e, 409, 'case-closed') || !(await this.completedUpdate(caseId, updateId))) throw e;
      return this.view(caseId);
    }
    await this.closedMeanwhile(caseId, () =>
      this.temporal.workflow.getHandle(caseId).executeUpdate(decideUpdate, {
        updateId,
        args: [
          {
            type: 'Decide',
            stage: body.stage,
            decision: body.decision,
            reason: body.reason,
            votes: body.votes,
            householdHash: body.householdHash ?? row.state.householdHash,
            actor: user,
          },
        ],
      }),
    );
    return this.view(caseId);
  }

  async lodgeObjection(user: AuthUser, caseId: string, body: z.infer<typeof S.ObjectionBody>, idempotencyKey?: string) {
    const row = await findCase(this.pool, caseId);
    if (!row) throw notFound('the case');
    if (row.status !== 'open') throw problem(409, 'not-in-publicity', 'objections can be lodged only while the case is in a publicity period');
    const objectionId = `obj-${idempotencyKey ? idFromKey(user.userId, `objection:${idempotencyKey}`) : randomUUID()}`;
    const s = await this.closedMeanwhile(caseId, () =>
      this.temporal.workflow.getHandle(caseId).executeUpdate(lodgeObjectionUpdate, {
        updateId: `objection:${objectionId}`,
        args: [{ type: 'LodgeObjection', objectionId, grounds: body.grounds, actor: user }],
      }),
    );
    return { objectionId, caseId, stage: s.stage, status: 'open' };
  }

  async resolveObjection(user: AuthUser, objectionId: string, body: z.infer<typeof S.ResolutionBody>, idempotencyKey?: string) {
    const caseId = await caseOfObjection(this.pool, objectionId);
    if (!caseId) throw notFound('the objection');
    await this.actionable(user, caseId);
    await this.closedMeanwhile(caseId, () =>
      this.temporal.workflow.getHandle(caseId).executeUpdate(resolveObjectionUpdate, {
        updateId: idempotencyKey ? `resolve:${user.userId}:${idempotencyKey}` : undefined,
        args: [{ type: 'ResolveObjection', objectionId, substantiated: body.substantiated, finding: body.finding, outcome: body.outcome, actor: user }],
      }),
    );
    return this.view(caseId);
  }

  /** The town settles a comparison query (疑点): cleared, or confirmed (the case then ends rejected). */
  async resolveQuery(user: AuthUser, caseId: string, queryId: string, body: { outcome: 'cleared' | 'confirmed'; reason: string }, idempotencyKey?: string) {
    const row = await this.actionable(user, caseId);
    if (!(row.state.queries ?? []).some((q) => q.queryId === queryId)) throw notFound('the query');
    await this.closedMeanwhile(caseId, () =>
      this.temporal.workflow.getHandle(caseId).executeUpdate(resolveQueryUpdate, {
        updateId: idempotencyKey ? `resolve-query:${user.userId}:${idempotencyKey}` : undefined,
        args: [{ type: 'ResolveQuery', queryId, outcome: body.outcome, reason: body.reason, actor: user }],
      }),
    );
    return this.view(caseId);
  }

  /**
   * Sends an Update to a case the database showed open. If another step ended the case in the
   * meantime (two officials deciding at once, one rejecting), its workflow has completed and
   * Temporal answers "not found": that is a step too late on a closed case (409), not a missing one.
   */
  private async closedMeanwhile<T>(caseId: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError) || !(await findCase(this.pool, caseId))) throw e;
      throw problem(409, 'case-closed', 'the case was ended by another step meanwhile');
    }
  }

  /** Whether an Update with this id completed on the case; a failed one throws its failure (the answer it gave). */
  private async completedUpdate(caseId: string, updateId: string): Promise<boolean> {
    try {
      await this.temporal.workflow.getHandle(caseId).getUpdateHandle<unknown>(updateId).result();
      return true;
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return false; // no such Update: the case ended otherwise
      throw e;
    }
  }

  private async view(caseId: string) {
    const row = await findCase(this.pool, caseId);
    if (!row) throw notFound('the case');
    return toCaseView(row);
  }

  private async readable(user: AuthUser, caseId: string): Promise<CaseRow> {
    const row = await findCase(this.pool, caseId);
    if (!row) throw notFound('the case');
    assertMayReadCase(user, row);
    return row;
  }

  /**
   * Jurisdiction first (403), then whether the case can still be acted on (409), then that the
   * official is not related to the household: nobody acts on a household they belong to (the
   * decider checks that) or one that shares a member with a registered household of theirs.
   */
  private async actionable(user: AuthUser, caseId: string): Promise<CaseRow> {
    const row = await findCaseForActor(this.pool, caseId, user.idHash || undefined);
    if (!row) throw notFound('the case');
    assertInJurisdiction(user, row.village);
    if (row.status !== 'open') throw problem(409, 'case-closed', `the case has ended (${row.status})`);
    if (row.actor_related) throw problem(403, 'forbidden', 'you are related to this household: another official must act on it');
    return row;
  }
}
