/**
 * Compares a county's open applications against a reference list that just arrived (the
 * comparison step of "两公示一比对一公告"). The hits are found by one query; each case's hits
 * are then sent to that case's workflow, the only writer of its stream, which raises one query
 * per member and list (a hit sent twice, after a restart, raises nothing new). The workflow
 * holds the list id, case ids and keyed ID hashes only.
 */
import { getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import type { ComparisonActivities } from '../activities/comparison-activities';
import { raiseQueriesSignal } from './identification-case';

const { listComparisonHits, markListCompared } = proxyActivities<ComparisonActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export const referenceListComparisonWorkflowId = (listId: string) => `compare-${listId}`;

export async function referenceListComparison(input: { listId: string }): Promise<{ casesCompared: number; casesHit: number; hits: number }> {
  const found = await listComparisonHits({ listId: input.listId });
  let hits = 0;
  for (const c of found.cases) {
    hits += c.hits.length;
    try {
      await getExternalWorkflowHandle(c.caseId).signal(raiseQueriesSignal, c.hits);
    } catch {
      // The case's workflow ended (it was decided) since the hits were read: nothing left to raise.
    }
  }
  await markListCompared({ listId: input.listId, casesCompared: found.casesCompared, hits });
  return { casesCompared: found.casesCompared, casesHit: found.cases.length, hits };
}
