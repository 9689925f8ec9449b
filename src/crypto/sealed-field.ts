/**
 * One value kept encrypted inside otherwise readable data (an account number in an event):
 * `enc:v1:<keyId>:<base64url(IV ‖ ciphertext ‖ tag)>`. The event's hash covers this stored
 * form, so the chain can be verified without the key. Values written before encryption
 * existed are plain and pass through `openField` unchanged.
 */
import { maskAccount } from '../domain/funds/money';
import type { Keyring } from './keyring';

const PREFIX = 'enc:v1:';
/** Binds sealed account numbers to their purpose: a sealed field cannot be replayed as a Temporal payload. */
const ACCOUNT_AAD = 'aid/account-number';

export const isSealed = (value: string): boolean => value.startsWith(PREFIX);

export function sealAccount(keyring: Keyring, accountNumber: string): string {
  if (isSealed(accountNumber)) return accountNumber;
  const { keyId, box } = keyring.seal(Buffer.from(accountNumber, 'utf8'), ACCOUNT_AAD);
  return `${PREFIX}${keyId}:${box.toString('base64url')}`;
}

/** The account number in the clear, for the bank call and the closed-operation check only. */
export function openAccount(keyring: Keyring, value: string): string {
  if (!isSealed(value)) return value;
  const rest = value.slice(PREFIX.length);
  const colon = rest.indexOf(':');
  return keyring.open(rest.slice(0, colon), Buffer.from(rest.slice(colon + 1), 'base64url'), ACCOUNT_AAD).toString('utf8');
}

/**
 * The masked form of an account as stored: sealed values carry their masked form beside them
 * (`masked`); a plain value (written before encryption) is masked here.
 */
export function storedAccountMasked(value: string, masked?: string): string {
  if (masked) return masked;
  return isSealed(value) ? '****' : maskAccount(value);
}
