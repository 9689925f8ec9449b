import { ACTORS_PLACED } from '../../src/workflows/actors-placed';
import { APPROVAL_ESCALATION } from '../../src/workflows/disbursement';
import { COMPARISON_QUERIES, CORRECTION_KEEPS_MEMBERS, ESCALATION_TIMERS, RECORD_STEP_LOCALLY } from '../../src/workflows/identification-case';
import { OVERDUE_ESCALATION, SECOND_OFFICIAL_REVERSES } from '../../src/workflows/revolving-loan';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * Patches no recording can take yet, each with the reason. CorrectHousehold is an Update that no
 * route sends (a member's transfer records its correction through recordMemberTransfer), so no
 * story through the API reaches the path this patch guards.
 */
const UNRECORDED: Record<string, string> = { [CORRECTION_KEEPS_MEMBERS]: 'no route sends the CorrectHousehold Update' };

describe('recorded histories carry every patch the workflows check', () => {
  const histories = loadHistories();

  it('lists every patch the workflow code checks', () => {
    // Every `patched(NAME)` in src/workflows, by the value of its constant: a new patch not listed above fails here.
    const dir = join(__dirname, '..', '..', 'src', 'workflows');
    const source = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    const names = [...new Set([...source.matchAll(/patched\((\w+)\)/g)].map((m) => m[1]!))];
    const values = names.map((n) => new RegExp(`const ${n} = '([^']+)'`).exec(source)?.[1] ?? `(no constant ${n})`);
    const listed = new Set([...Object.values(PATCHES).flat(), ...Object.keys(UNRECORDED)]);
    expect(values.filter((v) => !listed.has(v))).toEqual([]);
  });

  it.each(Object.entries(PATCHES))('%s', (workflowType, patchIds) => {
    const recorded = new Set(histories.filter((h) => h.workflowType === workflowType).flatMap((h) => patchIdsOf(h.history)));
    expect(patchIds.filter((id) => !recorded.has(id))).toEqual([]);
  });
});
