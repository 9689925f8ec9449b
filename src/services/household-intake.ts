import { createHash, createHmac } from 'node:crypto';
import { maskIdNumber, type Household, type HouseholdInput } from '../domain/household';
import { canonicalJson } from '../store/canonical-json';

/**
 * Turns a household as entered into the household as kept: each ID number becomes a keyed
 * hash (stable, so relations and duplicate applications can be found) and a masked form.
 */
export function intakeHousehold(input: HouseholdInput, idHashKey: string): Household {
  return {
    ...input,
    members: input.members.map(({ idNumber, ...m }) => ({ ...m, idHash: hashIdNumber(idNumber, idHashKey), idMasked: maskIdNumber(idNumber) })),
  };
}

export function hashIdNumber(idNumber: string, key: string): string {
  return createHmac('sha256', key).update(idNumber.toUpperCase()).digest('hex');
}

/** What a decider saw: decisions pin it, and are refused if the record changed since. */
export function householdHash(h: Household): string {
  return createHash('sha256').update(canonicalJson(h)).digest('hex');
}

/** A household is identified by its head's ID number (stable across re-applications). */
export function householdIdOf(h: Household): string {
  const head = h.members.find((m) => m.relation === 'head') ?? h.members[0];
  return `hh_${head.idHash.slice(0, 24)}`;
}
