import { z } from 'zod';
import { CaseIdParams, CaseView, DecisionBody, DecisionFields, Hash, ProblemView } from './schemas';

/**
 * One meeting over many cases (POST /cases/decisions): a village assembly appraises its
 * applicants, a town audits a village's list, the county approves a town's list. Each item is
 * the single decision's body (DecisionBody) once the shared values are filled in, so the text
 * and reason rules are the single decision's, checked by the same schema.
 */

/** A batch answers within one request, item by item: bounded so that it does. */
export const MAX_BATCH_DECISIONS = 500;

/** What the batch may give once for every item, and an item for itself. */
const Shared = DecisionFields.pick({ decision: true, reason: true, votes: true }).partial();

const BatchItem = z
  .object({
    caseId: CaseIdParams.shape.caseId,
    householdHash: Hash.describe(
      'householdHash of the case as read for the meeting; if the household changed since, this case is refused (409) and the others are decided',
    ),
    ...Shared.shape,
    decision: DecisionFields.shape.decision.optional().describe("this case's own; else the batch's"),
  })
  .describe("one case; its decision, reason and votes replace the batch's");

const BatchFields = z.object({
  stage: DecisionFields.shape.stage,
  ...Shared.shape,
  decision: DecisionFields.shape.decision.optional().describe('for every item that gives none'),
  items: z
    .array(BatchItem)
    .min(1)
    .max(MAX_BATCH_DECISIONS)
    .describe(`at most ${MAX_BATCH_DECISIONS} cases, each once; each ends up with a decision, and a reason for reject and return`),
});

type BatchFieldsT = z.infer<typeof BatchFields>;
type BatchItemT = BatchFieldsT['items'][number];

/** An item's own decision: its values, else the batch's; the body of the single decision. */
export function itemDecision(batch: Omit<BatchFieldsT, 'items'>, item: BatchItemT): z.infer<typeof DecisionBody> {
  return {
    stage: batch.stage,
    decision: (item.decision ?? batch.decision) as z.infer<typeof DecisionBody>['decision'], // present once the body is valid
    reason: item.reason ?? batch.reason,
    votes: item.votes ?? batch.votes,
    householdHash: item.householdHash,
  };
}

export const BatchDecisionBody = BatchFields.superRefine((batch, ctx) => {
  // A field already refused is named once, where it was sent, not again in each item it reaches.
  const refused = ctx.issues.map((i) => i.path ?? []);
  const sharedRefused = refused.some((p) => p[0] !== 'items');
  const itemRefused = new Set(refused.filter((p) => p[0] === 'items').map((p) => p[1]));
  const firstAt = new Map<string, number>();
  batch.items.forEach((item, i) => {
    if (itemRefused.has(i)) return; // named already; it may not even be an object
    const first = firstAt.get(item.caseId);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['items', i, 'caseId'], message: `the same case as items.${first}: each case once` });
    else firstAt.set(item.caseId, i);
    if (sharedRefused) return;
    const whole = DecisionBody.safeParse(itemDecision(batch, item));
    if (whole.success) return;
    for (const issue of whole.error.issues) {
      const missing = issue.path.length === 1 && issue.path[0] === 'decision' && item.decision === undefined && batch.decision === undefined;
      ctx.addIssue({ code: 'custom', path: ['items', i, ...issue.path], message: missing ? 'required: for this item, or once for the batch' : issue.message });
    }
  });
}).meta({
  // What the document can say of the rule: with no decision for the batch, each item gives its own.
  if: { not: { required: ['decision'] } },
  then: { properties: { items: { items: { required: ['decision'] } } } },
});
export type BatchDecisionBodyT = z.infer<typeof BatchDecisionBody>;

const Decided = z.object({
  caseId: z.string(),
  status: z.literal(200),
  case: CaseView.describe('the case after the decision, as the single decision answers it'),
});
const Refused = z.object({
  caseId: z.string(),
  status: z.number().int().min(400).max(499).describe('what the single decision would have answered: 403, 404, 409 or 422'),
  problem: ProblemView,
});
export const BatchDecisionResult = z.union([Decided, Refused]);
export type BatchDecisionResultT = z.infer<typeof BatchDecisionResult>;

export const BatchDecisionsView = z.object({
  results: z.array(BatchDecisionResult).describe('one per item, in the order of the request'),
  succeeded: z.number().int().min(0),
  failed: z.number().int().min(0),
});
