import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { createHash, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { z } from 'zod';
import type { Config } from '../../config/config';
import { idFromKey } from '../../crypto/ids';
import { contains } from '../../domain/jurisdiction';
import { batchDecider } from '../../domain/loans/batch';
import type { BatchHousehold } from '../../domain/loans/events';
import { schemeEventKey } from '../../domain/loans/event-keys';
import { schemeDecider, type SchemeState } from '../../domain/loans/scheme';
import type { LoanTerms } from '../../domain/loans/terms';
import { STREAM_ID } from '../../domain/streams';
import type { EventStore } from '../../store/event-store';
import { handle, readState } from '../../store/handle';
import { findFund, fundWithBalances } from '../../store/projections/funds-queries';
import { registeredHouseholds } from '../../store/projections/loan-access-queries';
import { listSchemes, schemeOfFund, schemeSummary } from '../../store/projections/loan-schemes-queries';
import { householdLoanFacts, repaymentsCsvRows, type RepaymentRow } from '../../store/projections/loans-queries';
import { startOrJoin } from '../../temporal/start-or-join';
import {
  LOAN_WORKFLOWS,
  loanBatchWorkflowId,
  raiseBatchObjectionUpdate,
  resolveBatchObjectionUpdate,
  signAgreementUpdate,
  type LoanBatchInput,
} from '../../workflows/loan-messages';
import type { AuthUser } from '../auth/user';
import type * as L from '../contract/loan-schemes';
import { fundWithin } from '../funds/fund-access';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { forbidden, notFound, problem, unavailable } from '../http/problem';
import { JurisdictionSettingsService } from '../jurisdictions/jurisdiction-settings.service';
import { CONFIG, EVENT_STORE, PG_POOL, TEMPORAL_CLIENT } from '../tokens';
import { schemeSeenBy } from './loan-access';
import { batchRefusal, unknownHouseholds } from './loan-batches';
import { askBatch, batchOpened, runUpdate, updateIdFor } from './loan-workflows';
import { batchView, batchViewOfState, schemeView, utcToday } from './loan-views';
import { repaymentsCsv } from './repayments-csv';

type Terms = Pick<z.infer<typeof L.CreateSchemeBody>, 'amountFen' | 'instalments' | 'graceDays' | 'inKindAllowed' | 'agreementText'>;

/** Rows read at a time for the CSV export. */
const CSV_PAGE = 5000;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Schemes and their batches: the scheme stream is written here; each batch runs as a `loanBatch` workflow. */
@Injectable()
export class LoanSchemesService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly settings: JurisdictionSettingsService,
  ) {}

  async create(user: AuthUser, body: z.infer<typeof L.CreateSchemeBody>, key?: string) {
    const county = user.jurisdiction.slice(0, 6);
    const fund = await fundWithin(this.pool, user, body.fundId);
    if (!contains(county, fund.jurisdiction))
      throw problem(422, 'pool-outside-county', 'the pool must be a special fund of your county', [
        { path: 'body.fundId', message: 'a fund of another county' },
      ]);
    this.assertVillagesIn(county, body.eligibleVillages);
    const schemeId = `scheme-${key ? idFromKey(user.userId, `scheme:${key}`) : randomUUID()}`;
    const pooled = await schemeOfFund(this.pool, body.fundId);
    if (pooled && pooled.schemeId !== schemeId)
      throw problem(409, 'fund-is-a-pool', "the fund is already another scheme's pool", [{ path: 'body.fundId', message: 'already a pool' }]);
    const { state } = await handle(
      this.store,
      STREAM_ID.scheme(schemeId),
      schemeDecider,
      {
        type: 'CreateScheme',
        schemeId,
        name: body.name,
        fundId: body.fundId,
        county,
        eligibleVillages: body.eligibleVillages,
        writeOffBarYears: body.writeOffBarYears,
        terms: this.terms(body, { version: 0, text: '', hash: '' }),
        actor: user,
      },
      { actor: user.userId, idempotencyKey: (e) => schemeEventKey(schemeId, e) },
    );
    return schemeView(state as SchemeState);
  }

  async reviseTerms(user: AuthUser, schemeId: string, body: z.infer<typeof L.ReviseTermsBody>, key?: string) {
    const scheme = await this.schemeIn(user, schemeId);
    this.assertVillagesIn(scheme.county, body.eligibleVillages);
    // Keyed by the request, not the version: a retried revision finds its event, where a version key would revise twice.
    const requestKey = key ? `${schemeId}:terms-request:${user.userId}:${key}` : undefined;
    const { state } = await handle(
      this.store,
      STREAM_ID.scheme(schemeId),
      schemeDecider,
      { type: 'ReviseTerms', terms: this.terms(body, scheme.terms.agreement), eligibleVillages: body.eligibleVillages, reason: body.reason, actor: user },
      { actor: user.userId, idempotencyKey: (e) => requestKey ?? schemeEventKey(schemeId, e) },
    );
    return schemeView(state as SchemeState);
  }

  async list(user: AuthUser, q: z.infer<typeof L.ListSchemesQuery>) {
    const rows = await listSchemes(this.pool, user.jurisdiction, { after: q.cursor ? decodeCursor(q.cursor) : null, limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ schemeId: r.schemeId, name: r.name, fundId: r.fundId, county: r.county, termsVersion: r.termsVersion })),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.createdAt.toISOString(), last.schemeId) : null,
    };
  }

  /** The scheme with its figures today: cycles, households served, recovery, PAR30, buckets, batches and the pool's books. */
  async summary(user: AuthUser, schemeId: string): Promise<z.infer<typeof L.SchemeSummaryView>> {
    const scheme = await this.schemeSeenBy(user, schemeId);
    const s = await schemeSummary(this.pool, schemeId, utcToday());
    if (!s) throw notFound('the scheme');
    const b = s.books;
    return {
      ...schemeView(scheme),
      asOf: s.today,
      cycles: s.cycles,
      loansMade: s.loansMade,
      householdsServed: s.householdsServed,
      activeLoans: s.activeLoans,
      principalLentFen: s.principalLentFen,
      recoveredFen: { cashFen: s.recoveredFen.cash, inKindFen: s.recoveredFen.inKind, totalFen: s.recoveredFen.total },
      writtenOffFen: s.writtenOffFen,
      outstandingFen: s.outstandingFen,
      fallenDueFen: s.fallenDueFen,
      recoveredBp: s.recoveredBp,
      par30Bp: s.par30Bp,
      buckets: s.buckets,
      batches: s.batches.map(({ batchId, cycle, termsVersion, status, households, loansPaid, paidFen }) => ({
        batchId,
        cycle,
        termsVersion,
        status,
        households,
        loansPaid,
        paidFen,
      })),
      books: b
        ? {
            contributionsFen: b.contributionsFen,
            cashFen: b.cashFen,
            availableFen: b.availableFen,
            reservedFen: b.reservedFen,
            lentFen: b.lentFen,
            recoveredCashFen: b.recoveredCashFen,
            receivableFen: b.receivableFen,
            inKindFen: b.inKindFen,
            writtenOffFen: b.writtenOffFen,
            otherPayoutsFen: b.otherPayoutsFen,
          }
        : null,
    };
  }

  /** Every repayment of the scheme within the caller's jurisdiction (the whole scheme for its county), as CSV. */
  async repaymentsCsv(user: AuthUser, schemeId: string): Promise<string> {
    const scheme = await this.schemeSeenBy(user, schemeId);
    const scope = contains(user.jurisdiction, scheme.county) ? scheme.county : user.jurisdiction;
    const rows: RepaymentRow[] = [];
    for (let after: [string, string] | null = null; ;) {
      const page = await repaymentsCsvRows(this.pool, schemeId, scope, { after, limit: CSV_PAGE });
      rows.push(...page);
      if (page.length < CSV_PAGE) break;
      const last = page[page.length - 1];
      after = [last.receivedOn, last.repaymentId];
    }
    return repaymentsCsv(rows);
  }

  /**
   * Eligibility and the pool's cash are decided on the scheme's stream (so two batches proposed
   * at once never count the same cash or household twice); then the batch's workflow starts.
   */
  async proposeBatch(user: AuthUser, schemeId: string, body: z.infer<typeof L.ProposeBatchBody>, key?: string) {
    const scheme = await this.schemeIn(user, schemeId);
    const batchId = `batch-${key ? idFromKey(user.userId, `loan-batch:${schemeId}:${key}`) : randomUUID()}`;
    const ids = body.householdIds;
    const unique = [...new Set(ids)];
    const registered = new Map((await registeredHouseholds(this.pool, unique)).map((h) => [h.household_id, h]));
    const unknown = unknownHouseholds(ids, new Set(registered.keys()));
    if (unknown) throw unknown;
    const households: BatchHousehold[] = ids.map((id) => ({ householdId: id, location: registered.get(id)!.location }));
    const [fund, balances] = await Promise.all([findFund(this.pool, scheme.fundId), fundWithBalances(this.pool, scheme.fundId)]);
    if (!fund || !balances) throw notFound('the pool');
    let state = scheme;
    // A retry of the same request finds its batch already proposed and goes on to start it.
    if (!scheme.batches.some((b) => b.batchId === batchId)) {
      const facts = new Map((await householdLoanFacts(this.pool, schemeId, unique)).map((h) => [h.householdId, h]));
      const today = utcToday();
      try {
        state = (
          await handle(
            this.store,
            STREAM_ID.scheme(schemeId),
            schemeDecider,
            {
              type: 'ProposeBatch',
              batchId,
              households,
              eligibility: unique.map((id) => ({
                householdId: id,
                enrolled: registered.get(id)!.status === 'enrolled',
                village: registered.get(id)!.location.village,
                hasActiveLoan: Boolean(facts.get(id)?.hasActiveLoan || facts.get(id)?.inOpenBatch),
                ...(facts.get(id)?.lastWriteOffOn ? { lastWriteOffOn: facts.get(id)!.lastWriteOffOn! } : {}),
                today,
              })),
              poolCashFen: Number(balances.available),
              actor: user,
            },
            { actor: user.userId, idempotencyKey: (e) => schemeEventKey(schemeId, e) },
          )
        ).state as SchemeState;
      } catch (e) {
        throw batchRefusal(e, ids, scheme) ?? e;
      }
    }
    const proposed = state.batches.find((b) => b.batchId === batchId);
    if (!proposed) throw unavailable();
    const policy = await this.settings.policyFor(scheme.county);
    const input: LoanBatchInput = {
      batchId,
      schemeId,
      fundId: scheme.fundId,
      fundAccount: fund.account,
      cycle: proposed.cycle,
      termsVersion: proposed.termsVersion,
      terms: state.termsByVersion[proposed.termsVersion] ?? state.terms,
      households: households.filter((h, i) => ids.indexOf(h.householdId) === i),
      publicityPeriod: policy.publicityPeriod,
      signingPeriod: policy.stageTimeLimit,
      proposedBy: user.userId,
      escalateAfter: policy.escalateAfter,
    };
    await startOrJoin<(i: LoanBatchInput) => Promise<unknown>>(this.temporal, LOAN_WORKFLOWS.batch, {
      taskQueue: this.config.taskQueue,
      workflowId: loanBatchWorkflowId(batchId),
      args: [input],
    });
    // The batch's first step (its stream opened, the publicity deadline set) is the workflow's: wait for it.
    const view = await batchOpened(this.temporal, batchId);
    if (!view) throw unavailable();
    return batchView(view, this.agreementOf(input.terms));
  }

  async batch(user: AuthUser, schemeId: string, batchId: string) {
    const scheme = await this.schemeSeenBy(user, schemeId);
    return this.batchOf(scheme, batchId);
  }

  async raiseObjection(user: AuthUser, schemeId: string, batchId: string, body: z.infer<typeof L.BatchObjectionBody>, key?: string) {
    const scheme = await this.schemeSeenBy(user, schemeId);
    const before = await this.batchOf(scheme, batchId);
    if (!before.households.some((h) => h.householdId === body.householdId))
      throw problem(422, 'not-in-batch', 'that household is not in this batch', [{ path: 'body.householdId', message: 'not in this batch' }]);
    const objectionId = `obj-${key ? idFromKey(user.userId, `loan-objection:${batchId}:${key}`) : randomUUID()}`;
    const view = await runUpdate(
      this.temporal,
      loanBatchWorkflowId(batchId),
      raiseBatchObjectionUpdate,
      { objectionId, householdId: body.householdId, reason: body.reason, actor: user },
      { updateId: `objection:${objectionId}`, ended: 'the batch has ended: objections are taken only while its list is publicised' },
    );
    return { ...batchView(view, before.agreement), objectionId };
  }

  async resolveObjection(user: AuthUser, schemeId: string, batchId: string, objectionId: string, body: z.infer<typeof L.BatchResolutionBody>, key?: string) {
    const scheme = await this.schemeSeenBy(user, schemeId);
    const before = await this.batchOf(scheme, batchId);
    const objection = before.objections.find((o) => o.objectionId === objectionId);
    if (!objection) throw notFound('the objection');
    const household = before.households.find((h) => h.householdId === objection.householdId);
    if (!household || !contains(user.jurisdiction, household.village)) throw forbidden('the household objected to is outside your jurisdiction');
    const view = await runUpdate(
      this.temporal,
      loanBatchWorkflowId(batchId),
      resolveBatchObjectionUpdate,
      { objectionId, substantiated: body.substantiated, finding: body.finding, actor: user },
      { updateId: updateIdFor('resolve', user.userId, key), ended: 'the batch has ended' },
    );
    return batchView(view, before.agreement);
  }

  /** In person by the household's own applicant account; on paper, attested by a village official of its village. */
  async sign(user: AuthUser, schemeId: string, batchId: string, body: z.infer<typeof L.SignatureBody>, key?: string) {
    const scheme = await this.schemeSeenBy(user, schemeId);
    const before = await this.batchOf(scheme, batchId);
    const household = before.households.find((h) => h.householdId === body.householdId);
    if (!household) throw problem(422, 'not-in-batch', 'that household is not in this batch', [{ path: 'body.householdId', message: 'not in this batch' }]);
    if (user.role === 'applicant') {
      if (body.method !== 'in_person') throw forbidden('a household signs in person; a paper signature is attested by a village official');
      const [registered] = await registeredHouseholds(this.pool, [body.householdId]);
      if (registered?.applicant_id !== user.userId) throw forbidden('you may sign only for your own household');
    } else {
      if (body.method !== 'attested')
        throw problem(422, 'attested-only', 'an official attests a paper signature', [{ path: 'body.method', message: 'officials attest (method attested)' }]);
      if (!contains(user.jurisdiction, household.village)) throw forbidden('the household is outside your jurisdiction');
    }
    const agreementHash = body.agreementHash ?? before.agreement?.hash;
    if (!agreementHash) throw unavailable();
    const view = await runUpdate(
      this.temporal,
      loanBatchWorkflowId(batchId),
      signAgreementUpdate,
      { householdId: body.householdId, method: body.method, agreementHash, ...(body.scanHash ? { scanHash: body.scanHash } : {}), actor: user },
      { updateId: updateIdFor('sign', user.userId, key), ended: 'the batch has ended: signing is closed' },
    );
    return batchView(view, before.agreement);
  }

  /** The scheme's stream, folded (404), written by county officials of its county (403). */
  private async schemeIn(user: AuthUser, schemeId: string): Promise<SchemeState> {
    const scheme = await this.scheme(schemeId);
    if (!contains(user.jurisdiction, scheme.county)) throw forbidden('the scheme is outside your jurisdiction');
    return scheme;
  }

  schemeSeenBy(user: AuthUser, schemeId: string): Promise<SchemeState> {
    return schemeSeenBy(this.store, user, schemeId);
  }

  private async scheme(schemeId: string): Promise<SchemeState> {
    const { state } = await readState(this.store, STREAM_ID.scheme(schemeId), schemeDecider);
    if (!state) throw notFound('the scheme');
    return state;
  }

  /** The batch as its workflow answers (its Query), or from its stream once the workflow cannot answer. */
  private async batchOf(scheme: SchemeState, batchId: string) {
    const { state } = await readState(this.store, STREAM_ID.batch(batchId), batchDecider);
    if (!state || state.schemeId !== scheme.schemeId) throw notFound('the batch');
    // A completed batch's stream is final: its workflow (closed, perhaps long ago) need not be asked.
    const live = state.status === 'completed' ? undefined : await askBatch(this.temporal, batchId);
    return live ? batchView(live, this.agreementOf(state.terms)) : batchViewOfState(state);
  }

  private agreementOf(terms: LoanTerms) {
    return { version: terms.agreement.version, hash: terms.agreement.hash };
  }

  /** The terms the decider gets: the agreement keeps its version while its text is unchanged, and takes the next one when it changes. */
  private terms(body: Terms, current: LoanTerms['agreement']): LoanTerms {
    const text = body.agreementText;
    const agreement = text === current.text ? current : { version: current.version + 1, text, hash: sha256(text) };
    return { amountFen: body.amountFen, instalments: body.instalments, graceDays: body.graceDays, inKindAllowed: body.inKindAllowed, agreement };
  }

  private assertVillagesIn(county: string, villages: string[]): void {
    const errors = villages.flatMap((v, i) =>
      contains(county, v) ? [] : [{ path: `body.eligibleVillages[${i}]`, message: "not a village of the scheme's county" }],
    );
    if (errors.length) throw problem(422, 'villages-outside-county', "every eligible village must be in the scheme's county", errors);
  }
}
