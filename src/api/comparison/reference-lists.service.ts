import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { Config } from '../../config/config';
import { REFERENCE_SOURCE_ZH, type ReferenceSource } from '../../domain/comparison/sources';
import { hashIdNumber } from '../../store/household-intake';
import { findReferenceList, insertReferenceList, referenceListsOf, type ReferenceListRow } from '../../store/reference-lists';
import { startOrJoin } from '../../temporal/start-or-join';
import { referenceListComparison, referenceListComparisonWorkflowId } from '../../workflows/reference-list-comparison';
import type { AuthUser } from '../auth/user';
import type { ReferenceListViewT } from '../contract/comparison-schemas';
import { forbidden, notFound } from '../http/problem';
import { CONFIG, PG_POOL, TEMPORAL_CLIENT } from '../tokens';
import type { ReferenceRow } from './reference-list-rows';

export interface ListHeader {
  source: ReferenceSource;
  date: string;
  county?: string;
}

/**
 * Reference lists for the comparison step. A list is checked whole, stored with its ID numbers
 * as keyed hashes only, and then compared against the county's open applications by the
 * `referenceListComparison` workflow (one per list, its id from the list's: a retried import
 * joins the same run, and a crash midway resumes it).
 */
@Injectable()
export class ReferenceListsService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** The caller's county: a list is for the county of the official who imports it, and no other. */
  countyOf(user: AuthUser, asked?: string): string {
    const own = user.jurisdiction.slice(0, 6);
    if (user.jurisdiction.length !== 6 || (asked !== undefined && asked !== own))
      throw forbidden('只能导入本县的比对名单 (a county official imports lists for their own county only)');
    return own;
  }

  async import(
    user: AuthUser,
    h: ListHeader,
    format: 'csv' | 'xlsx' | 'json',
    content: string | Buffer,
    check: () => ReferenceRow[] | Promise<ReferenceRow[]>,
  ) {
    const county = this.countyOf(user, h.county);
    const listId = referenceListId(user.userId, county, h, format, content);
    if (!(await findReferenceList(this.pool, listId))) {
      const rows = await check();
      await insertReferenceList(this.pool, {
        listId,
        county,
        source: h.source,
        listDate: h.date,
        format,
        contentHash: createHash('sha256').update(content).digest('hex'),
        importedBy: user.userId,
        entries: rows.map((r) => ({ idHash: hashIdNumber(r.idNumber, this.config.idHashKey), line: r.line })),
      });
    }
    // Also for a list found again: a start that failed after the list was stored is made good by the retry.
    await startOrJoin(this.temporal, referenceListComparison, {
      taskQueue: this.config.taskQueue,
      workflowId: referenceListComparisonWorkflowId(listId),
      args: [{ listId }],
    });
    return this.get(user, listId);
  }

  async list(user: AuthUser, limit: number) {
    const rows = await referenceListsOf(this.pool, user.jurisdiction.slice(0, 6), limit);
    return { items: rows.map(toView) };
  }

  async get(user: AuthUser, listId: string) {
    const row = await findReferenceList(this.pool, listId);
    if (!row || row.county !== user.jurisdiction.slice(0, 6)) throw notFound('the reference list');
    return toView(row);
  }
}

/** `rl-` and 32 hex digits of the importer, county, source, date, format and content: the same file imported again is the same list. */
export function referenceListId(userId: string, county: string, h: ListHeader, format: string, content: string | Buffer): string {
  return `rl-${createHash('sha256').update(`${userId}\n${county}\n${h.source}\n${h.date}\n${format}\n`).update(content).digest('hex').slice(0, 32)}`;
}

function toView(r: ReferenceListRow): ReferenceListViewT {
  return {
    listId: r.list_id,
    county: r.county,
    source: r.source,
    sourceLabel: REFERENCE_SOURCE_ZH[r.source],
    listDate: r.list_date,
    format: r.format,
    entries: r.entries,
    importedBy: r.imported_by,
    importedAt: r.imported_at.toISOString(),
    comparison:
      r.compared_at && r.cases_compared !== null && r.hits !== null
        ? { casesCompared: r.cases_compared, hits: r.hits, comparedAt: r.compared_at.toISOString() }
        : null,
  };
}
