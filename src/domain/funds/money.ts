/**
 * Money is integer fen everywhere. Yuan appear only as text for people to read, formatted from
 * the integer (never through a float): 150000 fen → "1500.00".
 */
export function formatYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new Error('fen must be a safe integer');
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** An account number as it may be shown or logged: the last four digits only. */
export const maskAccount = (account: string) => `****${account.slice(-4)}`;
