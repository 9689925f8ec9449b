import type { Pool } from 'pg';
import type { ComparisonHit } from '../domain/case';
import { hitsOfCase, hitsOfList, markListCompared } from '../store/reference-lists';

export interface CaseComparisonInput {
  caseId: string;
  county: string;
  /** The members' keyed ID hashes (as the case's events hold them). */
  memberIdHashes: string[];
}

export interface ComparisonActivities {
  /** A case reaching town audit: the reference lists of its county holding one of its members. */
  caseComparisonHits(input: CaseComparisonInput): Promise<ComparisonHit[]>;
  /** A list arrived: the open entry cases of its county it hits, and how many were compared. */
  listComparisonHits(input: { listId: string }): Promise<{ casesCompared: number; cases: { caseId: string; hits: ComparisonHit[] }[] }>;
  markListCompared(input: { listId: string; casesCompared: number; hits: number }): Promise<void>;
}

/** Reads only: the queries themselves are raised by each case's workflow. */
export function createComparisonActivities(pool: Pool): ComparisonActivities {
  return {
    caseComparisonHits: (input) => hitsOfCase(pool, input),
    listComparisonHits: ({ listId }) => hitsOfList(pool, listId),
    markListCompared: ({ listId, casesCompared, hits }) => markListCompared(pool, listId, casesCompared, hits),
  };
}
