import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { idFromKey } from '../../crypto/ids';
import { formatYuan } from '../../domain/funds/money';
import { contains } from '../../domain/jurisdiction';
import { actsWithin } from '../../domain/role-levels';
import type { LoanState } from '../../domain/loans/loan';
import { findHousehold } from '../../store/projections/households-queries';
import { householdsOfApplicant, jurisdictionName, registeredHouseholds } from '../../store/projections/loan-access-queries';
import {
  getLoan,
  getRepayment,
  listLoans,
  overdueLoansByVillage,
  type LoanDetail,
  type LoanFilter,
  type LoanListItem,
} from '../../store/projections/loans-queries';
import {
  confirmInKindUpdate,
  decideHardshipUpdate,
  loanWorkflowId,
  recordRepaymentUpdate,
  rejectInKindUpdate,
  reportHardshipUpdate,
  reverseRepaymentUpdate,
  valueInKindUpdate,
  type LoanView,
} from '../../workflows/loan-messages';
import type { AuthUser } from '../auth/user';
import type * as L from '../contract/loan-schemes';
import { forbidden, notFound, problem, ProblemError } from '../http/problem';
import { PG_POOL, TEMPORAL_CLIENT } from '../tokens';
import { loanReadableBy } from './loan-access';
import { domainRefusal, runUpdate, updateIdFor } from './loan-workflows';
import { loanView, utcToday } from './loan-views';
import { receiptHtml } from './receipt';

const ENDED = 'the loan is closed: it takes no further step';

/** Each household's loan: read from the loans read model; every change an Update on the loan's `revolvingLoan` workflow. */
@Injectable()
export class LoansService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** A household's own loans (through its applicant account), or those of an official's jurisdiction. */
  async list(user: AuthUser, q: z.infer<typeof L.ListLoansQuery>) {
    if (q.cursor !== undefined && !/^loan-[0-9a-z-]{8,120}$/.test(q.cursor))
      throw problem(400, 'validation', 'cursor is not valid', [{ path: 'query.cursor', message: 'invalid cursor' }]);
    if (q.village && !contains(user.jurisdiction, q.village)) throw forbidden('that village is outside your jurisdiction');
    const filter = { schemeId: q.scheme, status: q.status, bucket: q.bucket, today: utcToday(), limit: q.limit + 1, cursor: q.cursor ?? null } satisfies Omit<
      LoanFilter,
      'householdId'
    >;
    let rows: LoanListItem[];
    if (user.role === 'applicant') {
      const own = await householdsOfApplicant(this.pool, user.userId);
      const located = await registeredHouseholds(this.pool, own);
      const lists = await Promise.all(
        located
          .filter((h) => !q.village || h.location.village === q.village)
          .map((h) => listLoans(this.pool, h.location.village, { ...filter, householdId: h.household_id })),
      );
      rows = lists.flat().sort((a, b) => (a.loanId < b.loanId ? -1 : 1));
    } else {
      rows = await listLoans(this.pool, q.village ?? user.jurisdiction, filter);
    }
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((r) => ({
        loanId: r.loanId,
        schemeId: r.schemeId,
        householdId: r.householdId,
        village: r.village,
        status: r.status,
        principalFen: r.principalFen,
        outstandingFen: r.outstandingFen,
        daysPastDue: r.daysPastDue,
        bucket: r.bucket,
      })),
      nextCursor: rows.length > q.limit ? page[page.length - 1].loanId : null,
    };
  }

  async get(user: AuthUser, loanId: string) {
    const loan = await this.readable(user, loanId);
    return this.view(loan);
  }

  /** Cash with its receipt number, or a bank transfer with its reference: partial and early are fine, more than is owed is not. */
  async repay(user: AuthUser, loanId: string, body: z.infer<typeof L.RepaymentBody>, key?: string) {
    const loan = await this.running(user, loanId);
    if (body.receivedOn > utcToday())
      throw problem(422, 'in-the-future', 'a repayment cannot be received on a day still to come', [{ path: 'body.receivedOn', message: 'in the future' }]);
    if (body.amountFen > loan.outstandingFen) throw overpayment(loan.outstandingFen);
    const repaymentId = `rep-${key ? idFromKey(user.userId, `repayment:${loanId}:${key}`) : randomUUID()}`;
    try {
      const after = await runUpdate(
        this.temporal,
        loanWorkflowId(loanId),
        recordRepaymentUpdate,
        { repaymentId, amountFen: body.amountFen, method: body.method, reference: body.reference, receivedOn: body.receivedOn, actor: user },
        { updateId: `repayment:${repaymentId}`, ended: ENDED },
      );
      return { ...this.viewOf(after), repaymentId };
    } catch (e) {
      // Another repayment got in first: say what is owed now.
      if (/more than is owed/.test(domainRefusal(e)?.message ?? '')) throw overpayment((await this.found(loanId)).outstandingFen);
      throw e;
    }
  }

  async receipt(user: AuthUser, loanId: string, repaymentId: string): Promise<string> {
    const loan = await this.readable(user, loanId);
    const repayment = await getRepayment(this.pool, repaymentId);
    if (!repayment || repayment.loanId !== loanId) throw notFound('the repayment');
    const [household, villageName] = await Promise.all([findHousehold(this.pool, loan.householdId), jurisdictionName(this.pool, loan.village)]);
    return receiptHtml({ loan, repayment, household, villageName });
  }

  async reverse(user: AuthUser, loanId: string, repaymentId: string, body: z.infer<typeof L.ReversalBody>, key?: string) {
    const loan = await this.actionable(user, loanId);
    const repayment = loan.state.repayments.find((r) => r.repaymentId === repaymentId);
    if (!repayment) throw notFound('the repayment');
    if (repayment.reversed) throw problem(409, 'already-reversed', `the repayment was already reversed: ${repayment.reversed.reason}`);
    const after = await runUpdate(
      this.temporal,
      loanWorkflowId(loanId),
      reverseRepaymentUpdate,
      { repaymentId, reason: body.reason, actor: user },
      { updateId: updateIdFor('reverse', user.userId, key), ended: ENDED },
    );
    return this.viewOf(after);
  }

  /** In kind, step one: valued by one official; it counts once a different official confirms it. */
  async valueInKind(user: AuthUser, loanId: string, body: z.infer<typeof L.InKindBody>, key?: string) {
    const loan = await this.running(user, loanId);
    if (!loan.state.inKindAllowed) throw problem(409, 'in-kind-not-allowed', "this loan's terms do not allow repayment in kind");
    if (body.amountFen > loan.outstandingFen) throw overpayment(loan.outstandingFen);
    if (body.receivedOn > utcToday())
      throw problem(422, 'in-the-future', 'a repayment cannot be received on a day still to come', [{ path: 'body.receivedOn', message: 'in the future' }]);
    const valuationId = `val-${key ? idFromKey(user.userId, `valuation:${loanId}:${key}`) : randomUUID()}`;
    const after = await runUpdate(
      this.temporal,
      loanWorkflowId(loanId),
      valueInKindUpdate,
      { valuationId, amountFen: body.amountFen, description: body.description, receivedOn: body.receivedOn, actor: user },
      { updateId: `valuation:${valuationId}`, ended: ENDED },
    );
    return { ...this.viewOf(after), valuationId };
  }

  async confirmInKind(user: AuthUser, loanId: string, valuationId: string, body: z.infer<typeof L.InKindConfirmationBody>, key?: string) {
    await this.actionable(user, loanId);
    const workflowId = loanWorkflowId(loanId);
    if (!body.confirm) {
      if (!body.reason)
        throw problem(400, 'validation', 'the request body is not valid: body.reason', [{ path: 'body.reason', message: 'required to reject' }]);
      const after = await runUpdate(
        this.temporal,
        workflowId,
        rejectInKindUpdate,
        { valuationId, reason: body.reason, actor: user },
        { updateId: updateIdFor('reject-in-kind', user.userId, key), ended: ENDED },
      );
      return this.viewOf(after);
    }
    // One valuation becomes at most one repayment: its id follows from the valuation's.
    const repaymentId = `rep-${valuationId.slice('val-'.length)}`;
    const after = await runUpdate(
      this.temporal,
      workflowId,
      confirmInKindUpdate,
      { valuationId, repaymentId, actor: user },
      { updateId: updateIdFor('confirm-in-kind', user.userId, key), ended: ENDED },
    );
    return this.viewOf(after);
  }

  async reportHardship(user: AuthUser, loanId: string, body: z.infer<typeof L.HardshipBody>, key?: string) {
    await this.running(user, loanId);
    const hardshipId = `hs-${key ? idFromKey(user.userId, `hardship:${loanId}:${key}`) : randomUUID()}`;
    const after = await runUpdate(
      this.temporal,
      loanWorkflowId(loanId),
      reportHardshipUpdate,
      {
        hardshipId,
        cause: body.cause,
        ...(body.evidenceHash ? { evidenceHash: body.evidenceHash } : {}),
        proposal: body.proposal,
        ...(body.deferMonths !== undefined ? { deferMonths: body.deferMonths } : {}),
        note: body.note,
        actor: user,
      },
      { updateId: `hardship:${hardshipId}`, ended: ENDED },
    );
    return { ...this.viewOf(after), hardshipId };
  }

  /** A town official decides a deferral; a write-off needs two different county officials. Nobody decides twice. */
  async decideHardship(user: AuthUser, loanId: string, hardshipId: string, body: z.infer<typeof L.HardshipDecisionBody>, key?: string) {
    const loan = await this.actionable(user, loanId);
    const hardship = loan.state.hardships.find((h) => h.hardshipId === hardshipId);
    if (!hardship) throw notFound('the hardship');
    if (hardship.approvals.includes(user.userId)) throw problem(409, 'already-decided', 'you have already decided this hardship; another official must decide');
    if (hardship.status !== 'proposed') throw problem(409, 'already-decided', `the hardship was already decided: ${hardship.status}`);
    const after = await runUpdate(
      this.temporal,
      loanWorkflowId(loanId),
      decideHardshipUpdate,
      { hardshipId, approve: body.approve, reason: body.reason, actor: user },
      { updateId: updateIdFor('decide-hardship', user.userId, key), ended: ENDED },
    );
    return this.viewOf(after);
  }

  /** Loans past due in the caller's jurisdiction (or a part of it), by village and bucket. */
  async overdue(user: AuthUser, q: z.infer<typeof L.OverdueQuery>) {
    if (q.jurisdiction && !contains(user.jurisdiction, q.jurisdiction)) throw forbidden('that jurisdiction is outside yours');
    const today = utcToday();
    const rows = await overdueLoansByVillage(this.pool, q.jurisdiction ?? user.jurisdiction, today, q.scheme);
    return { asOf: today, rows };
  }

  private view(loan: LoanDetail) {
    return loanView(loan.state as LoanState, loan.status);
  }

  private viewOf(state: LoanView) {
    return loanView(state);
  }

  private async found(loanId: string): Promise<LoanDetail> {
    const loan = await getLoan(this.pool, loanId, utcToday());
    if (!loan) throw notFound('the loan');
    return loan;
  }

  private readable(user: AuthUser, loanId: string): Promise<LoanDetail> {
    return loanReadableBy(this.pool, user, loanId);
  }

  /** Officials act on loans of their jurisdiction (the decider checks each step's role). */
  private async actionable(user: AuthUser, loanId: string): Promise<LoanDetail> {
    const loan = await this.found(loanId);
    if (!actsWithin(user, loan.village)) throw forbidden('the loan is outside your jurisdiction');
    return loan;
  }

  /** A loan that is paid out and still owes: repayments and hardships are taken only then. */
  private async running(user: AuthUser, loanId: string): Promise<LoanDetail> {
    const loan = await this.actionable(user, loanId);
    if (loan.status === 'pending') throw problem(409, 'not-paid-out', "the loan's payout has not settled yet: nothing is owed");
    if (loan.status !== 'active') throw problem(409, 'loan-closed', `the loan is closed (${loan.status.replace('_', ' ')}): nothing is owed`);
    return loan;
  }
}

/** More than is owed: 409 naming what is. */
function overpayment(outstandingFen: number): ProblemError {
  const p = problem(409, 'overpayment', `this is more than is owed: ${outstandingFen} fen (${formatYuan(outstandingFen)} yuan) is owed`, [
    { path: 'body.amountFen', message: `at most ${outstandingFen}` },
  ]);
  return new ProblemError({ ...p.problem, outstandingFen });
}
