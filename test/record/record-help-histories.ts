/**
 * Records the help processes' histories (test/histories/householdContact, test/histories/helpPlan)
 * for test/workflows/replay.test.ts, on the time-skipping server (a contact window is 90 days).
 * Run by `npm run record-histories` with the others. Everything in them is synthetic.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { DEMO_JURISDICTIONS } from '../../src/directory/demo-directory';
import { upsertJurisdictions, upsertUsers } from '../../src/directory/directory';
import type { PlanContent } from '../../src/domain/help/help-plan';
import { recordHelper, recordPairing } from '../../src/help/help-streams';
import { planHashOf } from '../../src/help/plan-hash';
import { createEventStore } from '../../src/store/create-event-store';
import type { EventStore } from '../../src/store/event-store';
import { annualReview } from '../../src/workflows/annual-review';
import { decideUpdate, reassignTaskUpdate } from '../../src/workflows/identification-case';
import { actor, goodVotes, submitInput, villageOfficial } from '../support/fixtures';
import { householdContact, pairingEndedSignal, visitedSignal } from '../../src/workflows/household-contact';
import { helpPlan, planStepUpdate, type PlanStepInput } from '../../src/workflows/help-plan';
import { caseHarness, waitFor, type CaseHarness } from '../support/case-harness';
import { saveHistory } from '../support/histories';
import { timeSkippingEnvironment } from '../support/temporal';

const SHIBAN = '522701101201';

describe('record the help processes into test/histories', () => {
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
      { type: 'Register', profile: { userId: 'helper-li', rank: 'cadre', unit: 'unit', jurisdiction: '522701', relatedIdHashes: [] }, by: 'county-office' },
      'county-office',
    );
  });
  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  it('householdContact: contact lost after the window, restored by a visit, then the pairing ends', async () => {
    const householdId = `hh-${randomUUID()}`;
    const pairingId = `pair-${randomUUID()}`;
    const pairedAt = new Date(await env.currentTimeMs()).toISOString();
    const pair = {
      type: 'Pair' as const,
      pairingId,
      householdId,
      village: SHIBAN,
      helperId: 'helper-li',
      householdEnrolled: true,
      by: 'town-heping',
      at: pairedAt,
    };
    await recordPairing(store, householdId, { ...pair, separation: { relatedIdHashes: [], memberIdHashes: [] } }, 'town-heping');
    const handle = await env.client.workflow.start(householdContact, {
      taskQueue: h.taskQueue,
      workflowId: `contact-${pairingId}`,
      args: [{ pairingId, householdId, window: 'P90D', lastContactAt: pairedAt }],
    });
    await env.sleep('91 days');
    await waitFor(async () => (await store.readStream(`pairing-${householdId}`)).some((e) => e.type === 'ContactLost'));
    const visitedAt = new Date(await env.currentTimeMs()).toISOString();
    const visit = {
      type: 'RecordVisit' as const,
      visitId: `visit-${randomUUID()}`,
      helperId: 'helper-li',
      kind: 'routine' as const,
      visitedAt,
      notes: '',
      at: visitedAt,
    };
    await recordPairing(store, householdId, visit, 'helper-li');
    await handle.signal(visitedSignal, { visitedAt });
    await env.sleep('10 days');
    await recordPairing(store, householdId, { type: 'End', pairingId, reason: 'moved', by: 'town-heping' }, 'town-heping');
    await handle.signal(pairingEndedSignal);
    await handle.result();
    saveHistory(await handle.fetchHistory(), 'lost-visited-ended');
  });

  it('identificationCase: a village decision reminded, escalated to the town and the county, then approved', async () => {
    const submit = submitInput(villageOfficial);
    const handle = await h.start(submit);
    await env.sleep('23 days');
    await waitFor(async () => (await store.readStream(submit.caseId)).filter((e) => e.type === 'StepEscalated').length === 2);
    await handle.executeUpdate(reassignTaskUpdate, {
      args: [
        {
          type: 'ReassignTask',
          taskId: `task-${submit.caseId.slice(5)}-2`,
          from: null,
          to: 'village-shiban-2',
          reason: 'away',
          actor: actor('supervisor', 'supervisor', '522701'),
        },
      ],
    });
    await handle.executeUpdate(decideUpdate, {
      args: [
        {
          type: 'Decide',
          stage: 'village_evaluation',
          decision: 'approve',
          votes: goodVotes,
          householdHash: submit.householdHash,
          actor: villageOfficial,
        },
      ],
    });
    // The case runs on (its village publicity): its history so far is what replays.
    saveHistory(await handle.fetchHistory(), 'escalated-reassigned-approved.local-steps');
  });

  it('annualReview: three enrolled households in pages of two', async () => {
    for (let i = 0; i < 3; i++) {
      await h.db.pool.query(
        `INSERT INTO households (household_id, village, members, member_id_hashes, status, current_case_id, updated_at) VALUES ($1, $2, '[]', '{}', 'enrolled', 'case-x', now())`,
        [`hh-${randomUUID()}`, SHIBAN],
      );
    }
    const handle = await env.client.workflow.start(annualReview, {
      taskQueue: h.taskQueue,
      workflowId: `annual-review-${randomUUID()}`,
      args: [{ year: 2026, pageSize: 2 }],
    });
    await handle.result();
    saveHistory(await handle.fetchHistory(), 'three-households-two-pages');
  });

  it('helpPlan: drafted, two signatures, changed (voided), signed by all three', async () => {
    const householdId = `hh-${randomUUID()}`;
    const content: PlanContent = {
      survey: { familySituation: 'synthetic', cause: 'illness', routeOut: 'cattle', expectedEffect: 'out in two years' },
      measures: [{ kind: 'industry_support', description: 'one cow', moneyFen: 110_000 }],
      fundIds: [],
      helpingUnit: { name: 'unit', inChargeUserId: 'helper-li' },
    };
    const changed: PlanContent = { ...content, measures: [...content.measures, { kind: 'training', description: 'course', moneyFen: 20_000 }] };
    const handle = await env.client.workflow.start(helpPlan, { taskQueue: h.taskQueue, workflowId: `plan-${householdId}`, args: [{ householdId }] });
    const step = (command: PlanStepInput['command'], actor: string) => handle.executeUpdate(planStepUpdate, { args: [{ command, step: randomUUID(), actor }] });
    const town = { userId: 'town-heping', role: 'town_official' as const, jurisdiction: '522701101' };
    const village = { userId: 'village-shiban', role: 'village_official' as const, jurisdiction: SHIBAN };
    const unit = { userId: 'helper-li', role: 'helper' as const, jurisdiction: '522701' };
    await step({ type: 'Draft', householdId, village: SHIBAN, content, planHash: planHashOf(content), by: 'helper-li' }, 'helper-li');
    await step({ type: 'Sign', party: 'village', planHash: planHashOf(content), signer: village }, village.userId);
    await step({ type: 'Sign', party: 'town', planHash: planHashOf(content), signer: town }, town.userId);
    await step({ type: 'Draft', householdId, village: SHIBAN, content: changed, planHash: planHashOf(changed), by: 'helper-li' }, 'helper-li');
    for (const [party, signer] of [
      ['unit', unit],
      ['village', village],
      ['town', town],
    ] as const) {
      await step({ type: 'Sign', party, planHash: planHashOf(changed), signer }, signer.userId);
    }
    // The plan's workflow runs on (a later change may come): its history so far is what replays.
    saveHistory(await handle.fetchHistory(), 'signed-changed-effective');
  });
});
