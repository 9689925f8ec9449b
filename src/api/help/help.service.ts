import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { z } from 'zod';
import type { Config } from '../../config/config';
import { idFromKey } from '../../crypto/ids';
import { QUOTA, type HelperRank } from '../../domain/help/helpers';
import { actsWithin } from '../../domain/role-levels';
import { durationMs } from '../../domain/time';
import { recordHelper, recordPairing } from '../../help/help-streams';
import type { EventStore } from '../../store/event-store';
import {
  activePairingOf,
  coverageByVillage,
  helperAccount,
  helpersBelowQuota,
  helpersWithin,
  householdForPairing,
  lostContactWithin,
  markWatcherStarted,
  unpairedHouseholds,
} from '../../store/help/help-queries';
import { hashIdNumber } from '../../store/household-intake';
import { contactWatcherId, startContactWatcher } from '../../help/contact-watcher';
import { householdContact, pairingEndedSignal, visitedSignal } from '../../workflows/household-contact';
import type { AuthUser } from '../auth/user';
import type { CoverageQuery, EndPairingBody, HelpersQuery, LostContactQuery, PairBody, RegisterHelperBody, VisitBody } from '../contract/help-schemas';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { forbidden, notFound, problem } from '../http/problem';
import { CONFIG, EVENT_STORE, PG_POOL, TEMPORAL_CLIENT } from '../tokens';
import { pairingWithin } from './pairing-access';

const DAY_MS = 86_400_000;

const within = (user: AuthUser, code: string, what: string) => {
  if (!actsWithin(user, code)) throw forbidden(`${what} is outside your jurisdiction`);
};

/** Helpers, pairings, visits and lost contact (issue #13). SQL in store/help; rules in domain/help. */
@Injectable()
export class HelpService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  private scope(user: AuthUser, narrower?: string): string {
    if (!narrower) return user.jurisdiction;
    within(user, narrower, 'that jurisdiction');
    return narrower;
  }

  async registerHelper(user: AuthUser, body: z.infer<typeof RegisterHelperBody>) {
    const account = await helperAccount(this.pool, body.userId);
    if (!account) throw notFound('the user');
    within(user, account.user_jurisdiction, 'that user');
    if (account.role !== 'helper' || !account.active) {
      throw problem(422, 'not-a-helper', 'only an active user with the role helper can be registered as a helper', [
        { path: 'body.userId', message: 'not an active user with the role helper' },
      ]);
    }
    const profile = {
      userId: body.userId,
      rank: body.rank,
      unit: body.unit,
      jurisdiction: account.user_jurisdiction,
      relatedIdHashes: [...new Set(body.relatives.map((n) => hashIdNumber(n, this.config.idHashKey)))],
    };
    await recordHelper(this.store, { type: 'Register', profile, by: user.userId }, user.userId);
    const [row] = await helpersWithin(this.pool, { scope: account.user_jurisdiction, now: new Date(), after: null, limit: 1, only: body.userId });
    if (!row) throw new Error('the helper just registered is not in the read model');
    return helperView(row);
  }

  async helpers(user: AuthUser, q: z.infer<typeof HelpersQuery>) {
    const now = new Date();
    const rows = await helpersWithin(this.pool, {
      scope: this.scope(user, q.jurisdiction),
      now,
      after: q.cursor ? decodeCursor(q.cursor)[1] : null,
      limit: q.limit + 1,
      belowQuotaOnly: q.belowQuota === 'true',
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: page.map((r) => helperView(r)), nextCursor: rows.length > q.limit && last ? encodeCursor('', last.user_id) : null };
  }

  async pair(user: AuthUser, body: z.infer<typeof PairBody>, idempotencyKey?: string) {
    const household = await householdForPairing(this.pool, body.householdId);
    if (!household) throw notFound('the household');
    within(user, household.village, 'the household');
    const helper = await helperAccount(this.pool, body.helperId);
    if (!helper || !helper.rank) throw notFound('the helper (register it first: POST /helpers)');
    if (!helper.active || !helper.helper_active) throw problem(409, 'helper-inactive', 'the helper is no longer active');
    if (helper.jurisdiction?.slice(0, 6) !== household.village.slice(0, 6)) throw forbidden("the helper serves another county than the household's");
    const pairingId = `pair-${idempotencyKey ? idFromKey(user.userId, `pair:${idempotencyKey}`) : randomUUID()}`;
    const at = new Date().toISOString();
    const r = await recordPairing(
      this.store,
      body.householdId,
      {
        type: 'Pair',
        pairingId,
        householdId: body.householdId,
        village: household.village,
        helperId: body.helperId,
        householdEnrolled: household.status === 'enrolled',
        separation: { helperIdHash: helper.id_hash ?? undefined, relatedIdHashes: helper.related_id_hashes ?? [], memberIdHashes: household.member_id_hashes },
        by: user.userId,
        at,
      },
      user.userId,
    );
    const active = r.state.active;
    if (!active || active.pairingId !== pairingId) throw new Error('the pairing just recorded is not active');
    // The household's contact watcher: started once per pairing (its id is the pairing's).
    await startContactWatcher(this.temporal, this.pool, this.config.taskQueue, {
      pairingId,
      householdId: body.householdId,
      window: this.config.contactWindow,
      lastContactAt: active.pairedAt,
    });
    return {
      pairingId,
      householdId: body.householdId,
      helperId: body.helperId,
      village: household.village,
      status: 'active' as const,
      pairedAt: active.pairedAt,
    };
  }

  async endPairing(user: AuthUser, pairingId: string, body: z.infer<typeof EndPairingBody>) {
    const p = await pairingWithin(this.pool, user, pairingId);
    const view = {
      pairingId,
      householdId: p.household_id,
      helperId: p.helper_id,
      village: p.village,
      status: 'ended' as const,
      pairedAt: p.paired_at.toISOString(),
    };
    if (p.status === 'ended') return view;
    await recordPairing(this.store, p.household_id, { type: 'End', pairingId, reason: body.reason, by: user.userId }, user.userId);
    await this.temporal.workflow
      .getHandle(contactWatcherId(pairingId))
      .signal(pairingEndedSignal)
      .catch(() => undefined); // a watcher already gone has nothing to stop
    return view;
  }

  async coverage(user: AuthUser, q: z.infer<typeof CoverageQuery>) {
    const scope = this.scope(user, q.jurisdiction);
    const now = new Date();
    const [villages, unpaired, below] = await Promise.all([
      coverageByVillage(this.pool, scope),
      unpairedHouseholds(this.pool, { scope, after: null, limit: 100 }),
      helpersBelowQuota(this.pool, { scope, limit: 1000 }),
    ]);
    const enrolled = villages.reduce((n, v) => n + v.enrolled, 0);
    const paired = villages.reduce((n, v) => n + v.paired, 0);
    return {
      jurisdiction: scope,
      asOf: now.toISOString(),
      enrolled,
      paired,
      unpaired: enrolled - paired,
      coverage: enrolled === 0 ? null : Math.round((paired / enrolled) * 10_000) / 10_000,
      gaps: villages.filter((v) => v.paired < v.enrolled).map((v) => ({ ...v, unpaired: v.enrolled - v.paired })),
      unpairedHouseholds: unpaired.map((h) => ({ householdId: h.household_id, village: h.village })),
      helpersBelowQuota: below.map((h) => ({ userId: h.user_id, rank: h.rank, households: h.households, quota: QUOTA[h.rank] })),
    };
  }

  async lostContact(user: AuthUser, q: z.infer<typeof LostContactQuery>) {
    const scope = this.scope(user, q.jurisdiction);
    const now = new Date();
    const rows = await lostContactWithin(this.pool, {
      scope,
      before: new Date(now.getTime() - durationMs(this.config.contactWindow)),
      after: q.cursor ? decodeCursor(q.cursor) : null,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      window: this.config.contactWindow,
      items: page.map((r) => ({
        pairingId: r.pairing_id,
        householdId: r.household_id,
        helperId: r.helper_id,
        village: r.village,
        lastContactAt: r.last_contact_at.toISOString(),
        daysWithoutContact: Math.floor((now.getTime() - r.last_contact_at.getTime()) / DAY_MS),
        alertOpenSince: r.lost_contact_since?.toISOString() ?? null,
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.last_contact_at.toISOString(), last.pairing_id) : null,
    };
  }

  async recordVisit(user: AuthUser, householdId: string, body: z.infer<typeof VisitBody>, idempotencyKey?: string) {
    const pairing = await activePairingOf(this.pool, householdId);
    // Whether the household exists or has a helper is nobody's business but its helper's.
    if (!pairing || pairing.helper_id !== user.userId) throw forbidden('only the helper paired with this household records its visits');
    const visitId = `visit-${idempotencyKey ? idFromKey(user.userId, `visit:${idempotencyKey}`) : randomUUID()}`;
    const visitedAt = new Date(body.visitedAt).toISOString();
    const r = await recordPairing(
      this.store,
      householdId,
      {
        type: 'RecordVisit',
        visitId,
        helperId: user.userId,
        kind: body.kind,
        visitedAt,
        notes: body.notes,
        photoHash: body.photoHash,
        at: new Date().toISOString(),
      },
      user.userId,
    );
    // The watcher restarts its window (signal-with-start: one that is gone is started again).
    await this.temporal.workflow.signalWithStart(householdContact, {
      taskQueue: this.config.taskQueue,
      workflowId: contactWatcherId(pairing.pairing_id),
      args: [{ pairingId: pairing.pairing_id, householdId, window: this.config.contactWindow, lastContactAt: pairing.paired_at.toISOString() }],
      signal: visitedSignal,
      signalArgs: [{ visitedAt }],
    });
    await markWatcherStarted(this.pool, pairing.pairing_id);
    return { visitId, householdId, kind: body.kind, visitedAt, contactRestored: r.events.some((e) => e.type === 'ContactRestored') };
  }
}

function helperView(r: { user_id: string; rank: HelperRank; unit: string; jurisdiction: string; households: number; not_lifted_after_two_years: number }) {
  return {
    userId: r.user_id,
    rank: r.rank,
    unit: r.unit,
    jurisdiction: r.jurisdiction,
    households: r.households,
    quota: QUOTA[r.rank],
    meetsQuota: r.households >= QUOTA[r.rank],
    notLiftedAfterTwoYears: r.not_lifted_after_two_years,
    mayBeRatedAdvanced: r.not_lifted_after_two_years === 0,
  };
}
