/**
 * Helpers ("532" pairing, DOMAIN.md): cadres paired with enrolled households. A county-level
 * leader helps at least 5 households, a department-level leader at least 3, an ordinary cadre
 * at least 2. The quota is a floor the town offices must reach, not a cap.
 */
import type { StreamDecider } from '../decider';
import { DomainError, assertNever } from '../errors';
import { STREAM_TYPE } from '../streams';

export const HELPER_RANKS = ['county_leader', 'department_leader', 'cadre'] as const;
export type HelperRank = (typeof HELPER_RANKS)[number];

export const QUOTA: Record<HelperRank, number> = { county_leader: 5, department_leader: 3, cadre: 2 };

/** A helper's profile as registered; `relatedIdHashes` are keyed hashes of close relatives' ID numbers. */
export interface HelperProfile {
  userId: string;
  rank: HelperRank;
  unit: string;
  jurisdiction: string;
  relatedIdHashes: string[];
}

export type HelperEvent =
  { type: 'HelperRegistered'; data: HelperProfile & { by: string } } | { type: 'HelperProfileChanged'; data: HelperProfile & { by: string } };

export type HelperCommand = { type: 'Register'; profile: HelperProfile; by: string };

export type HelperState = { profile?: HelperProfile };

const same = (a: HelperProfile, b: HelperProfile) =>
  a.rank === b.rank && a.unit === b.unit && a.jurisdiction === b.jurisdiction && [...a.relatedIdHashes].sort().join() === [...b.relatedIdHashes].sort().join();

export function decideHelper(c: HelperCommand, s: HelperState): HelperEvent[] {
  switch (c.type) {
    case 'Register': {
      if (s.profile && s.profile.userId !== c.profile.userId) throw new DomainError('invalid', 'a helper stream holds one user');
      if (!s.profile) return [{ type: 'HelperRegistered', data: { ...c.profile, by: c.by } }];
      // Registering again with the same profile changes nothing (a retried request).
      return same(s.profile, c.profile) ? [] : [{ type: 'HelperProfileChanged', data: { ...c.profile, by: c.by } }];
    }
    default:
      return assertNever(c.type);
  }
}

export function evolveHelper(_s: HelperState, e: HelperEvent): HelperState {
  switch (e.type) {
    case 'HelperRegistered':
    case 'HelperProfileChanged': {
      const { userId, rank, unit, jurisdiction, relatedIdHashes } = e.data;
      return { profile: { userId, rank, unit, jurisdiction, relatedIdHashes } };
    }
    default:
      return assertNever(e);
  }
}

export const helperDecider: StreamDecider<HelperState, HelperCommand, HelperEvent> = {
  streamType: STREAM_TYPE.helper,
  decide: decideHelper,
  evolve: evolveHelper,
  initialState: () => ({}),
};
