import { REFERENCE_SOURCE_ZH } from '../comparison/sources';
import { DomainError } from '../errors';
import { assertMayActOnCase } from './decide';
import type { DecisionStage } from './stages';
import type { CaseCommand, CaseEvent, CaseState, ComparisonQuery } from './types';

type Cmd<T extends CaseCommand['type']> = Extract<CaseCommand, { type: T }>;

/** Comparison queries still waiting for the town. */
export const openQueries = (s: CaseState): ComparisonQuery[] => (s.queries ?? []).filter((q) => q.status === 'open');

/**
 * The comparison concerns households applying to enter: each hit on a member still in the
 * household, not raised before, becomes a query. Hits for members no longer in the household
 * (a correction removed them) or on an exit case are nothing to settle.
 */
export function raiseQueries(c: Cmd<'RaiseQueries'>, state: CaseState): CaseEvent[] {
  if (state.procedure !== 'entry') return [];
  const known = new Set((state.queries ?? []).map((q) => q.queryId));
  const events: CaseEvent[] = [];
  for (const hit of c.hits) {
    const memberIndex = state.household.members.findIndex((m) => m.idHash === hit.memberIdHash);
    if (memberIndex < 0 || known.has(hit.queryId)) continue;
    known.add(hit.queryId);
    events.push({
      type: 'ComparisonQueryRaised',
      data: { queryId: hit.queryId, source: hit.source, listId: hit.listId, listDate: hit.listDate, memberIndex, memberIdHash: hit.memberIdHash },
    });
  }
  return events;
}

/**
 * The town settles a query with a reason. Confirmed, the household is not eligible: the case
 * ends rejected at once, with the finding as its reason (there is nothing left to decide).
 */
export function resolveQuery(c: Cmd<'ResolveQuery'>, state: CaseState): CaseEvent[] {
  const query = (state.queries ?? []).find((q) => q.queryId === c.queryId);
  if (!query) throw new DomainError('not_found', '没有这条比对疑点 (no such comparison query on this case)');
  if (query.status !== 'open') throw new DomainError('conflict', `该疑点已处理 (the query is already ${query.status})`);
  assertMayActOnCase(c.actor, state, ['town_official'], 'settling a comparison query');
  if (!c.reason.trim()) throw new DomainError('invalid', '处理疑点需要说明理由 (settling a query needs a reason)');
  const resolved: CaseEvent = {
    type: 'ComparisonQueryResolved',
    data: { queryId: c.queryId, outcome: c.outcome, reason: c.reason, resolvedBy: c.actor.userId },
  };
  if (c.outcome === 'cleared') return [resolved];
  const why = `比对核实：${REFERENCE_SOURCE_ZH[query.source]}名单命中，不符合条件 (comparison confirmed: listed in ${query.source.replace(/_/g, ' ')}, not eligible): ${c.reason}`;
  return [resolved, { type: 'CaseRejected', data: { stage: state.stage, reason: why } }];
}

/** The town cannot pass, nor the county approve, a household with a query still open. */
export function assertNoOpenQuery(stage: DecisionStage, state: CaseState): void {
  if (stage !== 'town_audit' && stage !== 'county_approval') return;
  const open = openQueries(state);
  if (open.length === 0) return;
  const q = open[0];
  throw new DomainError(
    'conflict',
    `比对疑点 ${q.queryId}（${REFERENCE_SOURCE_ZH[q.source]}）尚未处理，不能通过 (comparison query ${q.queryId} is still open: the town must settle it first)`,
  );
}
