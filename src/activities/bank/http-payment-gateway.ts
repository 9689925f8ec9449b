/**
 * The PaymentGateway over the bank's HTTP API. Every failure becomes BankUnavailableError
 * (retry with the same key) or PaymentRejectedError (don't). It never logs, and its error
 * messages name the operation and idempotency key only: account numbers stay out of logs.
 */
import { z } from 'zod';
import { BankUnavailableError, PaymentRejectedError, type PaymentGateway, type PaymentOrder, type PaymentStatus, type StatementLine } from './payment-gateway';

export interface HttpPaymentGatewayOptions {
  /** e.g. http://127.0.0.1:3100 */
  baseUrl: string;
  /** Per request, answer included; default 3000. */
  timeoutMs?: number;
}

const PaymentAnswerSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending'), paymentId: z.string() }),
  z.object({ status: z.literal('settled'), paymentId: z.string(), settledAt: z.string() }),
  z.object({ status: z.literal('failed'), paymentId: z.string(), failureReason: z.string() }),
]);

const StatementAnswerSchema = z.object({
  lines: z.array(
    z.object({
      paymentId: z.string(),
      idempotencyKey: z.string(),
      reference: z.string(),
      toAccount: z.string(),
      amountFen: z.number(),
      settledAt: z.string(),
    }),
  ),
});

const ErrorAnswerSchema = z.object({ error: z.string(), message: z.string().optional() });

export class HttpPaymentGateway implements PaymentGateway {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(opts: HttpPaymentGatewayOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 3000;
  }

  async send(order: PaymentOrder): Promise<PaymentStatus> {
    const what = `payment ${order.idempotencyKey}`;
    const json = await this.call(what, 'POST', '/payments', { ...order, currency: 'CNY' });
    return toStatus(this.read(what, PaymentAnswerSchema, json));
  }

  async status(idempotencyKey: string): Promise<PaymentStatus | undefined> {
    const what = `status of ${idempotencyKey}`;
    const json = await this.call(what, 'GET', `/payments/${encodeURIComponent(idempotencyKey)}`, undefined, true);
    return json === undefined ? undefined : toStatus(this.read(what, PaymentAnswerSchema, json));
  }

  async statement(account: string, date: string): Promise<StatementLine[]> {
    const what = `statement of ${date}`;
    const json = await this.call(what, 'GET', `/statements/${encodeURIComponent(date)}?account=${encodeURIComponent(account)}`);
    return this.read(what, StatementAnswerSchema, json).lines;
  }

  /** The parsed JSON of a 2xx answer; `undefined` for a 404 when `notFoundIsAnswer`. */
  private async call(what: string, method: string, path: string, body?: unknown, notFoundIsAnswer = false): Promise<unknown> {
    let status: number;
    let text: string;
    try {
      const res = await fetch(this.baseUrl + path, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        // Covers the body too: a bank that stalls mid-answer times out like one that never answers.
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      throw new BankUnavailableError(`${what}: ${describe(e, this.timeoutMs)}`);
    }
    if (status >= 200 && status < 300) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new BankUnavailableError(`${what}: the bank answered ${status} with a body that is not JSON`, status);
      }
    }
    if (status === 404 && notFoundIsAnswer) return undefined;
    const err = ErrorAnswerSchema.safeParse(safeJson(text));
    const code = err.success ? err.data.error : 'unknown';
    const detail = `${what}: the bank answered ${status} ${code}${err.success && err.data.message ? ` (${err.data.message})` : ''}`;
    // 408 and 429 are the bank asking us to come back later, like a 5xx.
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) throw new PaymentRejectedError(detail, status, code);
    throw new BankUnavailableError(detail, status);
  }

  private read<T>(what: string, schema: z.ZodType<T>, json: unknown): T {
    const parsed = schema.safeParse(json);
    // Unexpected shape: most likely a proxy or a half-deployed bank; treat as transient.
    if (!parsed.success) throw new BankUnavailableError(`${what}: unexpected answer from the bank (${parsed.error.issues[0]?.message})`);
    return parsed.data;
  }
}

function toStatus(a: z.infer<typeof PaymentAnswerSchema>): PaymentStatus {
  switch (a.status) {
    case 'pending':
      return { status: 'pending' };
    case 'settled':
      return { status: 'settled', settledAt: a.settledAt, paymentId: a.paymentId };
    case 'failed':
      return { status: 'failed', reason: a.failureReason, paymentId: a.paymentId };
  }
}

function describe(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
