import { randomUUID } from 'node:crypto';
import { locationOf } from '../../src/domain/jurisdiction';
import type { BatchEvent } from '../../src/domain/loans/events';
import { createEventStore } from '../../src/store/create-event-store';
import { applyBatchEvent, type LoanBatchRowState } from '../../src/store/projections/loan-batches';
import { getBatch } from '../../src/store/projections/loan-schemes-queries';
import { openTasksFor } from '../../src/store/projections/tasks-queries';
import { createTestDatabase, type TestDatabase } from '../support/db';
import {
  FAR_VILLAGE,
  OTHER_TOWN,
  SEED_TERMS,
  TOWN,
  VILLAGE,
  createScheme,
  loanAppender,
  openPool,
  seedJurisdictions,
  type LoanAppender,
} from '../support/loan-store';

const opened = (batchId: string, schemeId: string, fundId: string): BatchEvent => ({
  type: 'BatchOpened',
  data: {
    batchId,
    schemeId,
    fundId,
    cycle: 1,
    termsVersion: 1,
    terms: SEED_TERMS,
    households: [
      { householdId: 'hh-a', location: locationOf(VILLAGE) },
      { householdId: 'hh-b', location: locationOf(VILLAGE) },
      { householdId: 'hh-c', location: locationOf(FAR_VILLAGE) },
    ],
    publicityEndsAt: '2026-02-08T00:00:00.000Z',
    proposedBy: 'u-county',
  },
});
const signed = (householdId: string): BatchEvent => ({
  type: 'AgreementSigned',
  data: {
    householdId,
    method: 'attested',
    signedBy: 'u-village',
    agreementHash: 'a'.repeat(64),
    scanHash: 'd'.repeat(64),
    signedAt: '2026-02-09T00:00:00.000Z',
  },
});

describe('applyBatchEvent: the batch row fold', () => {
  it('takes households through publicity, signing and payout', () => {
    const fold = (events: BatchEvent[], from?: LoanBatchRowState) => events.reduce<LoanBatchRowState | undefined>(applyBatchEvent, from) as LoanBatchRowState;
    const s = fold([
      opened('batch-1', 'scheme-1', 'fund-1'),
      { type: 'BatchObjectionRaised', data: { objectionId: 'o1', householdId: 'hh-a', raisedBy: 'u-x', reason: 'has a truck' } },
      {
        type: 'BatchObjectionResolved',
        data: { objectionId: 'o1', householdId: 'hh-a', substantiated: false, finding: 'the truck is a neighbour’s', resolvedBy: 'u-town' },
      },
      { type: 'BatchPublicityEnded', data: { households: 3 } },
      signed('hh-a'),
      signed('hh-c'),
      { type: 'SigningClosed', data: { signed: 2, unsigned: ['hh-b'] } },
      { type: 'LoanIssued', data: { householdId: 'hh-a', loanId: 'loan-a', disbursementId: 'disb-a' } },
      { type: 'LoanIssued', data: { householdId: 'hh-c', loanId: 'loan-c', disbursementId: 'disb-c' } },
    ]);
    expect(s).toMatchObject({ status: 'paying', version: 9 });
    expect(s.households.map((h) => [h.householdId, h.status])).toEqual([
      ['hh-a', 'issued'],
      ['hh-b', 'unsigned'],
      ['hh-c', 'issued'],
    ]);
    const done = fold([{ type: 'BatchCompleted', data: { loansPaid: 1, paidFen: 110_000, failed: ['hh-c'] } }], s);
    expect(done.households.map((h) => h.status)).toEqual(['paid', 'unsigned', 'failed']);
    expect(done).toMatchObject({ status: 'completed', loansPaid: 1, paidFen: 110_000 });
  });
});

describe('the batch projection and its tasks on Postgres', () => {
  let db: TestDatabase;
  let a: LoanAppender;
  const batchId = `batch-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedJurisdictions(db.pool);
    a = loanAppender(createEventStore(db.pool));
    await openPool(a, 'fund-b', 1_000_000);
    await createScheme(a, 'scheme-b', 'fund-b');
  });
  afterAll(() => db.drop());

  const open = async () =>
    (
      await db.pool.query(
        `SELECT task_id, subject_id, kind, step, roles, jurisdiction, due_at FROM tasks WHERE subject_kind = 'loan-batch' AND status = 'open' ORDER BY subject_id`,
      )
    ).rows;

  it("opens a task for each open objection (the household's village or town official) while the list is publicised", async () => {
    await a.batch(batchId, opened(batchId, 'scheme-b', 'fund-b'), {
      type: 'BatchObjectionRaised',
      data: { objectionId: 'obj-c', householdId: 'hh-c', raisedBy: 'u-neighbour', reason: 'not poor' },
    });
    const [task] = await open();
    expect(task).toMatchObject({
      subject_id: `${batchId}/objection:obj-c`,
      kind: 'objections',
      step: 'batch_objection',
      roles: ['village_official', 'town_official'],
      jurisdiction: FAR_VILLAGE,
      due_at: new Date('2026-02-08T00:00:00.000Z'),
    });
    expect(task.task_id).toMatch(/^task-[0-9a-f-]{36}-\d+$/);
    expect((await openTasksFor(db.pool, { jurisdiction: OTHER_TOWN, role: 'town_official', after: null, limit: 10 })).map((t) => t.task_id)).toEqual([
      task.task_id,
    ]);
    await a.batch(batchId, {
      type: 'BatchObjectionResolved',
      data: { objectionId: 'obj-c', householdId: 'hh-c', substantiated: true, finding: 'owns a shop', resolvedBy: 'u-town' },
    });
    expect(await open()).toEqual([]);
  });

  it('opens a task per village for its households still to sign, closed as they sign or when signing closes', async () => {
    await a.batch(batchId, { type: 'BatchPublicityEnded', data: { households: 2 } });
    // hh-c was removed by the objection: only the first village has anyone to sign.
    expect((await open()).map((t) => [t.subject_id, t.step, t.roles, t.jurisdiction])).toEqual([
      [`${batchId}/signatures:${VILLAGE}`, 'batch_signatures', ['village_official'], VILLAGE],
    ]);
    await a.batch(batchId, signed('hh-a'));
    expect(await open()).toHaveLength(1);
    await a.batch(batchId, signed('hh-b'));
    expect(await open()).toEqual([]);
    expect((await openTasksFor(db.pool, { jurisdiction: TOWN, role: 'village_official', after: null, limit: 10 })).length).toBe(0);

    await a.batch(
      batchId,
      { type: 'SigningClosed', data: { signed: 2, unsigned: [] } },
      { type: 'LoanIssued', data: { householdId: 'hh-a', loanId: 'loan-a', disbursementId: 'disb-a' } },
    );
    const batch = await getBatch(db.pool, batchId);
    expect(batch).toMatchObject({ status: 'paying', households: 2 });
    expect(batch?.householdList.map((h) => [h.householdId, h.status, h.loanId])).toEqual([
      ['hh-a', 'issued', 'loan-a'],
      ['hh-b', 'signed', null],
      ['hh-c', 'removed', null],
    ]);
  });
});
