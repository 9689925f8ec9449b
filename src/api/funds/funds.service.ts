import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { z } from 'zod';
import type { Config } from '../../config/config';
import { openAccount, sealAccount, storedAccountMasked } from '../../crypto/sealed-field';
import { maskAccount } from '../../domain/funds/money';
import { contains } from '../../domain/jurisdiction';
import { requiredApprovals } from '../../domain/funds/approval-policy';
import type { Payee } from '../../domain/funds/disbursement';
import { fundDecider } from '../../domain/funds/fund';
import { STREAM_ID } from '../../domain/streams';
import { findSupplier } from '../../directory/directory';
import type { EventStore } from '../../store/event-store';
import { handle } from '../../store/handle';
import { approvalPolicyFor } from '../../store/jurisdiction-settings';
import { disbursementVillage, findDisbursement } from '../../store/projections/disbursements-queries';
import { householdWithCurrentCase } from '../../store/projections/households-queries';
import { accountUsedByAnotherFund, fundsOverlapping, fundWithBalances, ledgerEntries } from '../../store/projections/funds-queries';
import { lastReconciliationOf } from '../../store/projections/reconciliations-queries';
import { decideDisbursementUpdate, disbursement, recordedUpdate } from '../../workflows/disbursement';
import { assertInJurisdiction } from '../auth/access';
import type { AuthUser } from '../auth/user';
import type * as F from '../contract/fund-schemas';
import type { PageQuery } from '../contract/schemas';
import { idFromKey } from '../../crypto/ids';
import { startOrJoin, untilRecorded } from '../../temporal/start-or-join';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { forbidden, notFound, problem } from '../http/problem';
import { CONFIG, EVENT_STORE, PG_POOL, TEMPORAL_CLIENT } from '../tokens';
import { fundWithin } from './fund-access';

@Injectable()
export class FundsService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async open(user: AuthUser, body: z.infer<typeof F.OpenFundBody>, key?: string) {
    if (!contains(user.jurisdiction, body.jurisdiction)) throw forbidden("the fund's jurisdiction is outside yours");
    const fundId = `fund-${key ? idFromKey(user.userId, `fund:${key}`) : randomUUID()}`;
    if (await accountUsedByAnotherFund(this.pool, body.account, fundId))
      throw problem(409, 'account-in-use', 'that account is already the special account of another fund');
    // The same open retried decides nothing and answers with the fund as it is.
    await handle(
      this.store,
      STREAM_ID.fund(fundId),
      fundDecider,
      { type: 'Open', fundId, name: body.name, jurisdiction: body.jurisdiction, account: body.account },
      {
        actor: user.userId,
        idempotencyKey: () => `${fundId}#open`,
      },
    );
    return this.view(fundId);
  }

  async deposit(user: AuthUser, fundId: string, body: z.infer<typeof F.DepositBody>, key?: string) {
    await this.fundIn(user, fundId);
    const idempotencyKey = key ? `deposit:${user.userId}:${key}` : `deposit:${randomUUID()}`;
    await handle(this.store, STREAM_ID.fund(fundId), fundDecider, { type: 'Deposit', ...body }, { actor: user.userId, idempotencyKey: () => idempotencyKey });
    return this.view(fundId);
  }

  /** The funds the caller may read: those GET /funds/{fundId} would show them (jurisdictions overlapping). */
  async list(user: AuthUser, q: z.infer<typeof PageQuery>) {
    const rows = await fundsOverlapping(this.pool, user.jurisdiction, { after: q.cursor ? decodeCursor(q.cursor) : null, limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((f) => ({
        fundId: f.fund_id,
        name: f.name,
        jurisdiction: f.jurisdiction,
        currency: 'CNY' as const,
        balances: { depositedFen: Number(f.deposited), availableFen: Number(f.available), reservedFen: Number(f.reserved), paidFen: Number(f.paid) },
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.created_at.toISOString(), last.fund_id) : null,
    };
  }

  async get(user: AuthUser, fundId: string) {
    await this.fundIn(user, fundId);
    return this.view(fundId);
  }

  async ledger(user: AuthUser, fundId: string, q: z.infer<typeof PageQuery>) {
    await this.fundIn(user, fundId);
    const after = q.cursor && /^\d{1,18}$/.test(q.cursor) ? q.cursor : '0'; // a bigint: longer digit strings would overflow it
    const entries = await ledgerEntries(this.pool, fundId, after, q.limit + 1);
    const page = entries.slice(0, q.limit);
    return {
      fundId,
      entries: page.map((e) => ({
        entryId: e.entry_id,
        kind: e.kind,
        reference: e.reference,
        bookedAt: e.booked_at.toISOString(),
        lines: e.lines.map((l) => ({ account: l.account, debitFen: Number(l.debit), creditFen: Number(l.credit) })),
      })),
      nextCursor: entries.length > q.limit ? page[page.length - 1].entry_id : null,
    };
  }

  async request(user: AuthUser, body: z.infer<typeof F.DisbursementBody>, key?: string) {
    const fund = await this.fundIn(user, body.fundId);
    const payee = await this.payeeFor(body);
    if (!contains(fund.jurisdiction, payee.location.village)) throw forbidden("the payee is outside the fund's jurisdiction");
    const disbursementId = `disb-${key ? idFromKey(user.userId, `disb:${key}`) : randomUUID()}`;
    const request = {
      disbursementId,
      fundId: body.fundId,
      fundAccount: fund.account,
      payee,
      purpose: body.purpose,
      amountFen: body.amountFen,
      requiredApprovals: requiredApprovals(body.amountFen, this.config.approvalThresholds),
      requestedBy: user.userId,
      approvalPolicy: await approvalPolicyFor(this.pool, payee.location.village, this.config),
    };
    const handle = await startOrJoin(this.temporal, disbursement, { taskQueue: this.config.taskQueue, workflowId: disbursementId, args: [{ request }] });
    await untilRecorded(handle, recordedUpdate);
    return this.disbursementView(disbursementId);
  }

  async getDisbursement(user: AuthUser, id: string) {
    const row = await this.disbursementRow(id);
    assertInJurisdiction(user, row.village);
    return this.disbursementView(id);
  }

  async decide(user: AuthUser, id: string, body: z.infer<typeof F.DisbursementDecisionBody>, key?: string) {
    const row = await this.disbursementRow(id);
    assertInJurisdiction(user, row.village);
    const command =
      body.decision === 'approve'
        ? { type: 'Approve' as const, actor: user, reason: body.reason }
        : { type: 'Reject' as const, actor: user, reason: body.reason ?? '' };
    try {
      await this.temporal.workflow
        .getHandle(id)
        .executeUpdate(decideDisbursementUpdate, { args: [command], updateId: key ? `decide:${user.userId}:${key}` : undefined });
    } catch (e) {
      // Its workflow has ended (paid, refused, failed or rejected): a decision now is too late, not a missing payout.
      if (!(e instanceof WorkflowNotFoundError)) throw e;
      throw problem(409, 'disbursement-closed', `the disbursement has ended (${(await this.disbursementView(id)).status})`);
    }
    return this.disbursementView(id);
  }

  /**
   * Closed operation: only an enrolled household's registered account, or an approved supplier
   * against a receipt. The payee's account goes into the workflow and its events sealed, with
   * its masked form beside it; it is opened here only to compare it with an account given.
   */
  private async payeeFor(body: z.infer<typeof F.DisbursementBody>): Promise<Payee> {
    const hh = await householdWithCurrentCase(this.pool, body.payee.householdId);
    if (!hh) throw notFound('the household');
    if (hh.status !== 'enrolled') throw problem(422, 'not-enrolled', `payouts go only to enrolled households; this one is ${hh.status}`);
    const location = hh.state.location;
    if (body.payee.type === 'household') {
      const registered = hh.state.household.bankAccount;
      if (!registered) throw problem(422, 'no-registered-account', 'the household has no registered bank account; correct its record first');
      const keys = this.config.payloadKeys;
      if (body.payee.account && body.payee.account !== openAccount(keys, registered.accountNumber)) {
        throw problem(422, 'closed-operation', "payouts go only to the household's registered account", [
          { path: 'body.payee.account', message: 'not the registered account' },
        ]);
      }
      return {
        type: 'household',
        householdId: body.payee.householdId,
        location,
        account: sealAccount(keys, registered.accountNumber),
        accountMasked: storedAccountMasked(registered.accountNumber, registered.accountMasked),
      };
    }
    const supplier = await findSupplier(this.pool, body.payee.supplierId);
    if (!supplier)
      throw problem(422, 'not-an-approved-supplier', 'the supplier is not on the approved list', [{ path: 'body.payee.supplierId', message: 'not approved' }]);
    if (body.payee.account && body.payee.account !== supplier.account) {
      throw problem(422, 'closed-operation', "payouts go only to the supplier's registered account", [
        { path: 'body.payee.account', message: 'not the registered account' },
      ]);
    }
    if (body.payee.receipt.amountFen < body.amountFen) {
      throw problem(422, 'exceeds-receipt', 'a reimbursement cannot exceed its receipt', [{ path: 'body.amountFen', message: 'more than the receipt' }]);
    }
    return {
      type: 'supplier',
      supplierId: body.payee.supplierId,
      location,
      account: sealAccount(this.config.payloadKeys, supplier.account),
      accountMasked: maskAccount(supplier.account),
      receipt: body.payee.receipt,
    };
  }

  /** The fund, if the caller's jurisdiction and the fund's overlap (403 otherwise, 404 if there is none). */
  private fundIn(user: AuthUser, fundId: string) {
    return fundWithin(this.pool, user, fundId);
  }

  private async view(fundId: string) {
    const f = await fundWithBalances(this.pool, fundId);
    if (!f) throw notFound('the fund');
    return {
      fundId: f.fund_id,
      name: f.name,
      jurisdiction: f.jurisdiction,
      currency: 'CNY' as const,
      balances: { depositedFen: Number(f.deposited), availableFen: Number(f.available), reservedFen: Number(f.reserved), paidFen: Number(f.paid) },
      sources: (f.sources ?? []).map((s) => ({ source: s.source as never, amountFen: Number(s.amount) })),
      lastReconciliation: await this.lastReconciliation(fundId),
    };
  }

  /** Filled in by the reconciliation workflow (a table it owns); null until it has run. */
  private async lastReconciliation(fundId: string) {
    const r = await lastReconciliationOf(this.pool, fundId);
    return r ? { date: r.date, at: r.at.toISOString(), matched: r.matched, mismatches: r.mismatches } : null;
  }

  private async disbursementRow(id: string) {
    const village = await disbursementVillage(this.pool, id);
    if (!village) throw notFound('the disbursement');
    return { village };
  }

  private async disbursementView(id: string) {
    const r = await findDisbursement(this.pool, id);
    if (!r) throw notFound('the disbursement');
    const s = r.state;
    return {
      disbursementId: s.disbursementId,
      fundId: s.fundId,
      status: s.status,
      purpose: s.purpose,
      amountFen: s.amountFen,
      payee: {
        type: s.payee.type,
        id: s.payee.type === 'household' ? s.payee.householdId : s.payee.supplierId,
        accountMasked: storedAccountMasked(s.payee.account, s.payee.accountMasked),
      },
      requiredApprovals: s.requiredApprovals,
      approvals: s.approvals,
      requestedBy: s.requestedBy,
      reason: s.reason ?? null,
      paymentId: s.paymentId ?? null,
      requestedAt: r.requested_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    };
  }
}
