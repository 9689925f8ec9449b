import { ACTORS_PLACED } from '../../src/workflows/actors-placed';
import { APPROVAL_ESCALATION } from '../../src/workflows/disbursement';
import { COMPARISON_QUERIES, ESCALATION_TIMERS, RECORD_STEP_LOCALLY } from '../../src/workflows/identification-case';
import { OVERDUE_ESCALATION, SECOND_OFFICIAL_REVERSES } from '../../src/workflows/revolving-loan';
import { loadHistories } from '../support/histories';
import { patchIdsOf } from '../support/patch-markers';

/**
 * The replay test proves a change keeps the recorded paths; it proves nothing for a patched path
 * no recording took. So each patch a workflow checks must be carried by at least one recorded
 * history of that workflow (record new ones with `npm run record-histories`). A new patch goes here.
 */
const PATCHES: Record<string, string[]> = {
  identificationCase: [RECORD_STEP_LOCALLY, ESCALATION_TIMERS, COMPARISON_QUERIES, ACTORS_PLACED],
  disbursement: [APPROVAL_ESCALATION, ACTORS_PLACED],
  loanBatch: [ACTORS_PLACED],
  revolvingLoan: [OVERDUE_ESCALATION, ACTORS_PLACED, SECOND_OFFICIAL_REVERSES],
};

describe('recorded histories carry every patch the workflows check', () => {
  const histories = loadHistories();

  it.each(Object.entries(PATCHES))('%s', (workflowType, patchIds) => {
    const recorded = new Set(histories.filter((h) => h.workflowType === workflowType).flatMap((h) => patchIdsOf(h.history)));
    expect(patchIds.filter((id) => !recorded.has(id))).toEqual([]);
  });
});
