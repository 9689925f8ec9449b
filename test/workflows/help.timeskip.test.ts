import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { DEMO_JURISDICTIONS } from '../../src/directory/demo-directory';
import { upsertJurisdictions, upsertUsers } from '../../src/directory/directory';
import type { PlanContent } from '../../src/domain/help/help-plan';
import { recordHelper, recordPairing } from '../../src/help/help-streams';
import { planHashOf } from '../../src/help/plan-hash';
import { createEventStore } from '../../src/store/create-event-store';
import type { EventStore } from '../../src/store/event-store';
import { verifyChain } from '../../src/store/verify-chain';
import { householdContact, pairingEndedSignal, visitedSignal } from '../../src/workflows/household-contact';
import { helpPlan, planStateQuery, planStepUpdate, type PlanStepInput } from '../../src/workflows/help-plan';
import { caseHarness, waitFor, type CaseHarness } from '../support/case-harness';
import { timeSkippingEnvironment } from '../support/temporal';

const SHIBAN = '522701101201';

/** Issue #13 on the time-skipping server: the lost-contact window, and a plan's three signatures. */
describe('help processes on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let h: CaseHarness;
  let store: EventStore;
  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    h = await caseHarness(env, { searchAttributes: false });
    store = createEventStore(h.db.pool);
    await upsertJurisdictions(h.db.pool, DEMO_JURISDICTIONS);
    await upsertUsers(h.db.pool, [{ userId: 'helper-li', name: 'Li', role: 'helper', jurisdiction: '522701', token: randomUUID() }]);
    await recordHelper(
      store,
      {
        type: 'Register',
        profile: { userId: 'helper-li', rank: 'cadre', unit: '县农业农村局', jurisdiction: '522701', relatedIdHashes: [] },
        by: 'county-office',
      },
      'county-office',
    );
  });
  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  const typesOf = async (streamId: string) => (await store.readStream(streamId)).map((e) => e.type);
  const openFollowUps = async (householdId: string) =>
    (await h.db.pool.query("SELECT step, jurisdiction, roles FROM tasks WHERE subject_kind = 'pairing' AND subject_id = $1 AND status = 'open'", [householdId]))
      .rows;

  it('alerts the town when 90 days pass with no visit, not a day before; a visit restores contact and restarts the window', async () => {
    const householdId = `hh-${randomUUID()}`;
    const pairingId = `pair-${randomUUID()}`;
    const pairedAt = new Date(await env.currentTimeMs()).toISOString();
    await recordPairing(
      store,
      householdId,
      {
        type: 'Pair',
        pairingId,
        householdId,
        village: SHIBAN,
        helperId: 'helper-li',
        householdEnrolled: true,
        separation: { relatedIdHashes: [], memberIdHashes: ['m1'] },
        by: 'town-heping',
        at: pairedAt,
      },
      'town-heping',
    );
    const handle = await env.client.workflow.start(householdContact, {
      taskQueue: h.taskQueue,
      workflowId: `contact-${pairingId}`,
      args: [{ pairingId, householdId, window: 'P90D', lastContactAt: pairedAt }],
    });
    const stream = `pairing-${householdId}`;

    await env.sleep('89 days');
    expect(await typesOf(stream)).toEqual(['HelperPaired']);
    expect(await openFollowUps(householdId)).toEqual([]);

    await env.sleep('2 days');
    await waitFor(async () => (await typesOf(stream)).includes('ContactLost'));
    expect(await openFollowUps(householdId)).toEqual([{ step: 'lost_contact', jurisdiction: '522701101', roles: ['town_official'] }]);
    const lost = (await h.db.pool.query('SELECT lost_contact_since FROM pairings WHERE pairing_id = $1', [pairingId])).rows[0];
    expect(lost.lost_contact_since).not.toBeNull();

    // The helper visits (as the API records it, then signals the watcher).
    const visitedAt = new Date(await env.currentTimeMs()).toISOString();
    await recordPairing(
      store,
      householdId,
      {
        type: 'RecordVisit',
        visitId: `visit-${randomUUID()}`,
        helperId: 'helper-li',
        kind: 'routine',
        visitedAt,
        notes: '',
        at: new Date(Date.parse(visitedAt) + 1000).toISOString(),
      },
      'helper-li',
    );
    await handle.signal(visitedSignal, { visitedAt });
    expect(await typesOf(stream)).toEqual(['HelperPaired', 'ContactLost', 'VisitRecorded', 'ContactRestored']);
    expect(await openFollowUps(householdId)).toEqual([]);

    // The window runs again from the visit.
    await env.sleep('89 days');
    expect((await typesOf(stream)).filter((t) => t === 'ContactLost')).toHaveLength(1);
    await env.sleep('2 days');
    await waitFor(async () => (await typesOf(stream)).filter((t) => t === 'ContactLost').length === 2);
    expect(await openFollowUps(householdId)).toHaveLength(1);

    // The pairing ends: the watcher stops, and so does the town's task.
    await recordPairing(store, householdId, { type: 'End', pairingId, reason: 'moved away', by: 'town-heping' }, 'town-heping');
    await handle.signal(pairingEndedSignal);
    await handle.result();
    expect(await openFollowUps(householdId)).toEqual([]);
    expect(await verifyChain(h.db.pool, stream)).toMatchObject({ ok: true });
  });

  it('a plan takes effect only with all three signatures on its current hash, and a change voids the earlier ones', async () => {
    const householdId = `hh-${randomUUID()}`;
    const content: PlanContent = {
      survey: { familySituation: '户主慢性病，配偶无劳动力', cause: 'illness', routeOut: '养牛 / cattle', expectedEffect: '两年脱贫' },
      measures: [
        { kind: 'industry_support', description: '一头能繁母牛', moneyFen: 1_100_00 * 100 },
        { kind: 'medical_top_up', description: '医疗补充报销', moneyFen: 50_000 },
      ],
      fundIds: [],
      helpingUnit: { name: '县农业农村局', inChargeUserId: 'helper-li' },
    };
    const handle = await env.client.workflow.start(helpPlan, { taskQueue: h.taskQueue, workflowId: `plan-${householdId}`, args: [{ householdId }] });
    const step = (command: PlanStepInput['command'], actor: string) => handle.executeUpdate(planStepUpdate, { args: [{ command, step: randomUUID(), actor }] });
    const town = { userId: 'town-heping', role: 'town_official' as const, jurisdiction: '522701101' };
    const village = { userId: 'village-shiban', role: 'village_official' as const, jurisdiction: SHIBAN };
    const unit = { userId: 'helper-li', role: 'helper' as const, jurisdiction: '522701' };
    const refusal = async (p: Promise<unknown>) => {
      const e = await p.catch((x: unknown) => x);
      expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
      return (e as WorkflowUpdateFailedError).cause as { type?: string };
    };

    const hash1 = planHashOf(content);
    let s = await step({ type: 'Draft', householdId, village: SHIBAN, content, planHash: hash1, by: 'helper-li' }, 'helper-li');
    expect(s).toMatchObject({ planVersion: 1, planHash: hash1, effective: false, signatures: [] });
    await step({ type: 'Sign', party: 'village', planHash: hash1, signer: village }, village.userId);
    s = await step({ type: 'Sign', party: 'town', planHash: hash1, signer: town }, town.userId);
    expect(s.effective).toBe(false);
    // Signing for the wrong party, or twice, is refused; so is a stale hash.
    expect((await refusal(step({ type: 'Sign', party: 'unit', planHash: hash1, signer: town }, town.userId))).type).toBe('forbidden');
    expect((await refusal(step({ type: 'Sign', party: 'town', planHash: hash1, signer: { ...town, userId: 'town-heping-2' } }, 'town-heping-2'))).type).toBe(
      'conflict',
    );

    // The plan changes before the unit signs: both signatures are void.
    const changed: PlanContent = { ...content, measures: [...content.measures, { kind: 'training', description: '养殖技术培训', moneyFen: 20_000 }] };
    const hash2 = planHashOf(changed);
    s = await step({ type: 'Draft', householdId, village: SHIBAN, content: changed, planHash: hash2, by: 'helper-li' }, 'helper-li');
    expect(s).toMatchObject({ planVersion: 2, planHash: hash2, signatures: [], effective: false });
    expect((await refusal(step({ type: 'Sign', party: 'unit', planHash: hash1, signer: unit }, unit.userId))).type).toBe('stale_plan');

    await step({ type: 'Sign', party: 'unit', planHash: hash2, signer: unit }, unit.userId);
    await step({ type: 'Sign', party: 'village', planHash: hash2, signer: village }, village.userId);
    expect((await handle.query(planStateQuery)).effective).toBe(false);
    s = await step({ type: 'Sign', party: 'town', planHash: hash2, signer: town }, town.userId);
    expect(s.effective).toBe(true);

    expect(await typesOf(`plan-${householdId}`)).toEqual([
      'PlanDrafted',
      'PlanSigned',
      'PlanSigned',
      'SignaturesVoided',
      'PlanDrafted',
      'PlanSigned',
      'PlanSigned',
      'PlanSigned',
      'PlanTookEffect',
    ]);
    const row = (await h.db.pool.query('SELECT status, plan_hash, version, money_needed, signed_by FROM help_plans WHERE household_id = $1', [householdId]))
      .rows[0];
    expect(row).toEqual({
      status: 'effective',
      plan_hash: hash2,
      version: 2,
      money_needed: String(1_100_00 * 100 + 50_000 + 20_000),
      signed_by: ['helper-li', 'village-shiban', 'town-heping'],
    });

    // Any later change voids the effective plan's signatures too.
    const third = { ...changed, fundIds: [] as string[], survey: { ...changed.survey, expectedEffect: '一年脱贫' } };
    s = await step({ type: 'Draft', householdId, village: SHIBAN, content: third, planHash: planHashOf(third), by: 'town-heping' }, 'town-heping');
    expect(s).toMatchObject({ planVersion: 3, effective: false, signatures: [] });
    expect((await h.db.pool.query('SELECT status, signed_by FROM help_plans WHERE household_id = $1', [householdId])).rows[0]).toEqual({
      status: 'draft',
      signed_by: [],
    });
  });
});
