import type { z } from 'zod';
import type { BatchState } from '../../domain/loans/batch';
import { bucketOf, daysPastDue, owedBy } from '../../domain/loans/delinquency';
import type { LoanState } from '../../domain/loans/loan';
import type { SchemeState } from '../../domain/loans/scheme';
import type { LoanBatchView } from '../../workflows/loan-messages';
import type * as L from '../contract/loan-schemes';

/** Today as the loans count it: the UTC day. */
export const utcToday = (now = new Date()) => now.toISOString().slice(0, 10);

export function schemeView(s: SchemeState): z.infer<typeof L.SchemeView> {
  return {
    schemeId: s.schemeId,
    name: s.name,
    fundId: s.fundId,
    county: s.county,
    eligibleVillages: s.eligibleVillages,
    writeOffBarYears: s.writeOffBarYears,
    termsVersion: s.termsVersion,
    terms: s.terms,
  };
}

/** A loan as its household and officials see it, with how late it is today. */
export function loanView(s: LoanState, status: z.infer<typeof L.LoanView>['status'] = s.status, today = utcToday()): z.infer<typeof L.LoanView> {
  const open = status === 'active';
  const late = open && s.paidOn ? daysPastDue(s, today) : 0;
  return {
    loanId: s.loanId,
    schemeId: s.schemeId,
    batchId: s.batchId,
    fundId: s.fundId,
    disbursementId: s.disbursementId,
    householdId: s.householdId,
    village: s.location.village,
    status,
    principalFen: s.principalFen,
    repaidFen: s.repaidFen,
    writtenOffFen: s.writtenOffFen,
    outstandingFen: s.outstandingFen,
    dueFen: open && s.paidOn ? owedBy(s, today) : 0,
    daysPastDue: late,
    bucket: bucketOf(late),
    termsVersion: s.termsVersion,
    agreementHash: s.agreementHash,
    graceDays: s.graceDays,
    inKindAllowed: s.inKindAllowed,
    paidOn: s.paidOn ?? null,
    schedule: s.schedule,
    repayments: s.repayments.map((r) => ({ ...r, receipt: `/loans/${s.loanId}/repayments/${r.repaymentId}/receipt` })),
    pendingValuations: s.pendingValuations,
    hardships: s.hardships.map(({ hardshipId, cause, proposal, deferMonths, status: st, approvals }) => ({
      hardshipId,
      cause,
      proposal,
      ...(deferMonths !== undefined ? { deferMonths } : {}),
      status: st,
      approvals,
    })),
    closedOn: s.closedOn ?? null,
    version: s.version,
  };
}

/** A batch from its stream, when its workflow cannot be asked (it ended long ago, or is away). */
export function batchViewOfState(s: BatchState): z.infer<typeof L.BatchView> {
  return {
    batchId: s.batchId,
    schemeId: s.schemeId,
    cycle: s.cycle,
    status: s.status,
    publicityEndsAt: s.publicityEndsAt,
    households: s.households.map((h) => ({
      householdId: h.householdId,
      village: h.location.village,
      // Issued: its loan is made and its payout under way; paid once the batch completed without it failing.
      status: h.status === 'issued' ? (s.status === 'completed' ? 'paid' : 'issued') : h.status,
      ...(h.loanId ? { loanId: h.loanId } : {}),
    })),
    objections: s.objections.map(({ objectionId, householdId, resolved, substantiated }) => ({
      objectionId,
      householdId,
      resolved,
      ...(substantiated !== undefined ? { substantiated } : {}),
    })),
    loansPaid: s.loansPaid,
    paidFen: s.paidFen,
    agreement: { version: s.terms.agreement.version, hash: s.terms.agreement.hash },
    version: s.version,
  };
}

/** The workflow's answer, with the agreement every household of the batch signs. */
export function batchView(v: LoanBatchView, agreement?: { version: number; hash: string }): z.infer<typeof L.BatchView> {
  return { ...v, ...(agreement ? { agreement } : {}) };
}
