/**
 * What the engine needs from a bank. Activities depend on this interface, not on HTTP, so the
 * transport can change; the error classes say whether a retry can help.
 */
export interface PaymentOrder {
  /** The bank deduplicates on it: resending an order never pays twice. */
  idempotencyKey: string;
  fromAccount: string;
  toAccount: string;
  amountFen: number;
  reference: string;
}

export type PaymentStatus =
  { status: 'pending' } | { status: 'settled'; settledAt: string; paymentId: string } | { status: 'failed'; reason: string; paymentId: string };

export interface StatementLine {
  paymentId: string;
  idempotencyKey: string;
  reference: string;
  toAccount: string;
  amountFen: number;
  settledAt: string;
}

export interface PaymentGateway {
  /** Idempotent by `order.idempotencyKey`: a retry returns the first payment's current status. */
  send(order: PaymentOrder): Promise<PaymentStatus>;
  /** `undefined`: the bank has never seen this key (so sending it cannot pay twice). */
  status(idempotencyKey: string): Promise<PaymentStatus | undefined>;
  /** The paying account's settled lines of one UTC day (`YYYY-MM-DD`). */
  statement(account: string, date: string): Promise<StatementLine[]>;
}

/**
 * Transient: 5xx, 408/429, connection refused or reset, timeout, an unreadable answer. Retry
 * with the same idempotency key; after a timeout the payment may well exist.
 */
export class BankUnavailableError extends Error {
  constructor(
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'BankUnavailableError';
  }
}

/** The bank refused the request (4xx other than 404 on a status query): retrying cannot help. */
export class PaymentRejectedError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'PaymentRejectedError';
  }
}
