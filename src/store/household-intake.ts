import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { Keyring } from '../crypto/keyring';
import { sealAccount } from '../crypto/sealed-field';
import { maskIdNumber, type Household, type HouseholdInput } from '../domain/household';
import { maskAccount } from '../domain/funds/money';
import { canonicalJson } from './canonical-json';

/**
 * The household as the store keeps it (not pure: keyed hashes, sealing with a random IV, random
 * ids), used by every path that starts a case: the API and the bulk intake activities.
 *
 * Turns a household as entered into the household as kept: each ID number becomes a keyed
 * hash (stable, so relations and duplicate applications can be found) and a masked form; the
 * bank account number is sealed with the payload keyring, its masked form kept beside it.
 */
export function intakeHousehold(input: HouseholdInput, idHashKey: string, keys: Keyring): Household {
  const { bankAccount, ...rest } = input;
  return {
    ...rest,
    members: input.members.map(({ idNumber, ...m }) => ({ ...m, idHash: hashIdNumber(idNumber, idHashKey), idMasked: maskIdNumber(idNumber) })),
    ...(bankAccount
      ? {
          bankAccount: {
            bank: bankAccount.bank,
            accountNumber: sealAccount(keys, bankAccount.accountNumber),
            accountMasked: maskAccount(bankAccount.accountNumber),
          },
        }
      : {}),
  };
}

export function hashIdNumber(idNumber: string, key: string): string {
  return createHmac('sha256', key).update(idNumber.toUpperCase()).digest('hex');
}

/** What a decider saw: decisions pin it, and are refused if the record changed since. */
export function householdHash(h: Household): string {
  return createHash('sha256').update(canonicalJson(h)).digest('hex');
}

/**
 * A new household's id: random, so that it says nothing about anyone's ID number (it appears
 * in URLs and on published payout lists). The same household applying again finds its id
 * through the keyed hash of its head's ID number (src/store/household-keys.ts).
 */
export const newHouseholdId = (): string => `hh-${randomUUID()}`;
