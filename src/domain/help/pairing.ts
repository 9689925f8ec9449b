/**
 * One household's helper and the contact kept with it (issue #13): a stream per household
 * (`pairing-{householdId}`). Every enrolled household has one active helper (full coverage);
 * the helper visits ("three must-visits" for a wedding, funeral, hospitalisation or dispute,
 * festival and routine visits), and a household with no visit within the window has "lost
 * contact" until the next visit. Separation: no helper for his own or a related household.
 */
import type { StreamDecider } from '../decider';
import { DomainError, assertNever } from '../errors';
import { STREAM_TYPE } from '../streams';

export const VISIT_KINDS = ['routine', 'festival', 'wedding', 'funeral', 'hospitalisation', 'dispute'] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];

export interface ActivePairing {
  pairingId: string;
  helperId: string;
  pairedAt: string;
}

export interface PairingState {
  householdId?: string;
  village?: string;
  active?: ActivePairing;
  /** The last visit's time (or the pairing's, before any visit): the contact window runs from it. */
  lastContactAt?: string;
  lostContact: boolean;
}

export type PairingEvent =
  | { type: 'HelperPaired'; data: { pairingId: string; householdId: string; village: string; helperId: string; pairedAt: string; by: string } }
  | { type: 'PairingEnded'; data: { pairingId: string; reason: string; by: string } }
  | {
      type: 'VisitRecorded';
      data: { visitId: string; pairingId: string; helperId: string; kind: VisitKind; visitedAt: string; notes: string; photoHash?: string };
    }
  | { type: 'ContactLost'; data: { pairingId: string; lastContactAt: string; window: string } }
  | { type: 'ContactRestored'; data: { pairingId: string; visitId: string } };

/** What the separation rule compares: keyed hashes of ID numbers, never the numbers. */
export interface SeparationFacts {
  helperIdHash?: string;
  relatedIdHashes: string[];
  memberIdHashes: string[];
}

export type PairingCommand =
  | {
      type: 'Pair';
      pairingId: string;
      householdId: string;
      village: string;
      helperId: string;
      /** The household must be enrolled: only enrolled households are paired. */
      householdEnrolled: boolean;
      separation: SeparationFacts;
      by: string;
      at: string;
    }
  | { type: 'End'; pairingId: string; reason: string; by: string }
  | { type: 'RecordVisit'; visitId: string; helperId: string; kind: VisitKind; visitedAt: string; notes: string; photoHash?: string; at: string }
  /** From the household's contact watcher when its timer fires: `windowMs` has passed since the last contact. */
  | { type: 'LoseContact'; pairingId: string; window: string; windowMs: number; at: string };

export function decidePairing(c: PairingCommand, s: PairingState): PairingEvent[] {
  switch (c.type) {
    case 'Pair': {
      if (s.active?.pairingId === c.pairingId) return []; // the same request again
      if (!c.householdEnrolled) throw new DomainError('conflict', 'only an enrolled household is paired with a helper');
      if (s.active) throw new DomainError('conflict', `the household already has a helper (${s.active.helperId}); end that pairing first`);
      const { helperIdHash, relatedIdHashes, memberIdHashes } = c.separation;
      if (helperIdHash && memberIdHashes.includes(helperIdHash)) throw new DomainError('forbidden', 'a helper may not be paired with his own household');
      if (relatedIdHashes.some((h) => memberIdHashes.includes(h))) throw new DomainError('forbidden', 'a helper may not be paired with a related household');
      return [
        {
          type: 'HelperPaired',
          data: { pairingId: c.pairingId, householdId: c.householdId, village: c.village, helperId: c.helperId, pairedAt: c.at, by: c.by },
        },
      ];
    }
    case 'End': {
      if (!s.active || s.active.pairingId !== c.pairingId) throw new DomainError('not_found', 'no such active pairing for this household');
      return [{ type: 'PairingEnded', data: { pairingId: c.pairingId, reason: c.reason, by: c.by } }];
    }
    case 'RecordVisit': {
      if (!s.active) throw new DomainError('conflict', 'the household has no helper');
      if (s.active.helperId !== c.helperId) throw new DomainError('forbidden', "only the household's own helper records its visits");
      if (Date.parse(c.visitedAt) > Date.parse(c.at)) throw new DomainError('invalid', 'a visit cannot be in the future');
      if (Date.parse(c.visitedAt) < Date.parse(s.active.pairedAt)) throw new DomainError('invalid', 'a visit cannot be before the pairing');
      const { pairingId } = s.active;
      const visit: PairingEvent = {
        type: 'VisitRecorded',
        data: {
          visitId: c.visitId,
          pairingId,
          helperId: c.helperId,
          kind: c.kind,
          visitedAt: c.visitedAt,
          notes: c.notes,
          ...(c.photoHash ? { photoHash: c.photoHash } : {}),
        },
      };
      return s.lostContact ? [visit, { type: 'ContactRestored', data: { pairingId, visitId: c.visitId } }] : [visit];
    }
    case 'LoseContact': {
      // The watcher may fire just as a visit or the end of the pairing lands: then nothing is lost.
      if (!s.active || s.active.pairingId !== c.pairingId || s.lostContact || !s.lastContactAt) return [];
      if (Date.parse(s.lastContactAt) + c.windowMs > Date.parse(c.at)) return [];
      return [{ type: 'ContactLost', data: { pairingId: c.pairingId, lastContactAt: s.lastContactAt, window: c.window } }];
    }
    default:
      return assertNever(c);
  }
}

const later = (a: string | undefined, b: string) => (a && Date.parse(a) > Date.parse(b) ? a : b);

export function evolvePairing(s: PairingState, e: PairingEvent): PairingState {
  switch (e.type) {
    case 'HelperPaired':
      return {
        householdId: e.data.householdId,
        village: e.data.village,
        active: { pairingId: e.data.pairingId, helperId: e.data.helperId, pairedAt: e.data.pairedAt },
        lastContactAt: e.data.pairedAt,
        lostContact: false,
      };
    case 'PairingEnded':
      return { ...s, active: undefined, lastContactAt: undefined, lostContact: false };
    case 'VisitRecorded':
      return { ...s, lastContactAt: later(s.lastContactAt, e.data.visitedAt) };
    case 'ContactLost':
      return { ...s, lostContact: true };
    case 'ContactRestored':
      return { ...s, lostContact: false };
    default:
      return assertNever(e);
  }
}

export const pairingDecider: StreamDecider<PairingState, PairingCommand, PairingEvent> = {
  streamType: STREAM_TYPE.pairing,
  decide: decidePairing,
  evolve: evolvePairing,
  initialState: () => ({ lostContact: false }),
};
