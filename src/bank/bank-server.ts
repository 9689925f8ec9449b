/**
 * A simulated bank over plain node:http. It is the one thing tests may fake, so it behaves like
 * a real one where it matters to us: it deduplicates by idempotency key, settles later, fails
 * some payments for good, is sometimes unavailable, and sometimes does the work but answers too
 * late for the caller to know ("did my payment go through?"). It never logs: account numbers
 * must stay out of logs.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { BankStore, type BankPayment } from './bank-store';
import { mulberry32 } from './prng';

const rate = z.number().min(0).max(1);
const ms = z.number().int().min(0);

export const BankBehaviourSchema = z
  .object({
    /** Added to every response, uniformly drawn from [min, max]. */
    latencyMs: z.tuple([ms, ms]).refine(([min, max]) => min <= max, 'min must not exceed max'),
    /** Share of requests answered 503 before anything is recorded. */
    transientFailureRate: rate,
    /** Share of POST /payments that are recorded and processed but answered after `timeoutDelayMs`. */
    timeoutRate: rate,
    timeoutDelayMs: ms,
    /** From acceptance to settlement (or permanent failure). */
    settleDelayMs: ms,
    /** Larger payments fail permanently. */
    maxAmountFen: z.number().int().positive(),
  })
  .strict();

export type BankBehaviour = z.infer<typeof BankBehaviourSchema>;

export const DEFAULT_BEHAVIOUR: BankBehaviour = {
  latencyMs: [5, 30],
  transientFailureRate: 0,
  timeoutRate: 0,
  timeoutDelayMs: 15_000,
  settleDelayMs: 200,
  maxAmountFen: 10_000_000_00,
};

export interface BankOptions {
  /** Where the journal lives; reuse it to restart the same bank. */
  dataDir: string;
  host?: string;
  port?: number;
  /** The /_admin routes (behaviour, planted lines, listing); on unless false. */
  admin?: boolean;
  /** Seeds the PRNG behind latency and failure draws, so runs repeat. */
  seed?: number;
  /** Over DEFAULT_BEHAVIOUR. */
  behaviour?: Partial<BankBehaviour>;
}

export interface BankServer {
  url: string;
  port: number;
  close(): Promise<void>;
  /** The behaviour now in force (PUT /_admin/behaviour replaces it). */
  readonly config: BankBehaviour;
}

/** Missing fields take their defaults; unknown ones are refused (a typo must not pass silently). */
export function parseBehaviour(input: unknown): BankBehaviour {
  return BankBehaviourSchema.parse({ ...DEFAULT_BEHAVIOUR, ...z.record(z.string(), z.unknown()).parse(input) });
}

const PaymentRequestSchema = z.object({
  idempotencyKey: z.string().min(1).max(200),
  fromAccount: z.string().min(1).max(64),
  toAccount: z.string().regex(/^\d{1,64}$/, 'digits only'),
  amountFen: z.number().int().positive(),
  currency: z.literal('CNY'),
  reference: z.string().max(500),
});
type PaymentRequest = z.infer<typeof PaymentRequestSchema>;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'a real date');

const PlantedLineSchema = z.object({
  date: isoDate,
  account: z.string().min(1),
  idempotencyKey: z.string().min(1).max(200),
  reference: z.string(),
  toAccount: z.string().regex(/^\d{1,64}$/),
  amountFen: z.number().int().positive(),
  paymentId: z.string().min(1).optional(),
  settledAt: z.iso.datetime().optional(),
});

interface Reply {
  status: number;
  body: unknown;
  delayMs?: number;
}
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startBankServer(opts: BankOptions): Promise<BankServer> {
  let behaviour = parseBehaviour(opts.behaviour ?? {});
  const random = mulberry32(opts.seed ?? Date.now());
  const chance = (p: number) => random() < p;
  const store = BankStore.open(opts.dataDir);
  const timers = new Map<string, NodeJS.Timeout>();
  const closing = new AbortController();

  /** Settle or fail a payment at its due time; a bank restart reschedules what is still pending. */
  const processDue = (key: string) => {
    timers.delete(key);
    const p = store.get(key);
    if (!p || p.status !== 'pending') return;
    const now = new Date().toISOString();
    if (p.willFail) store.fail(key, now, p.willFail);
    else store.settle(key, now);
  };
  const schedule = (p: BankPayment) => {
    const wait = Date.parse(p.dueAt) - Date.now();
    if (wait <= 0) return processDue(p.idempotencyKey);
    timers.set(
      p.idempotencyKey,
      setTimeout(() => processDue(p.idempotencyKey), wait),
    );
  };
  store.pending().forEach(schedule);

  const pay = (body: unknown): Reply => {
    const req = parse(PaymentRequestSchema, body);
    const existing = store.get(req.idempotencyKey);
    let reply: Reply;
    if (existing) {
      if (!sameOrder(existing, req)) throw new HttpError(422, 'idempotency_conflict', `idempotency key ${req.idempotencyKey} was used for a different payment`);
      reply = { status: 200, body: view(existing) };
    } else {
      const now = new Date();
      const p = store.accept({
        ...req,
        paymentId: `pay_${randomUUID()}`,
        acceptedAt: now.toISOString(),
        dueAt: new Date(now.getTime() + behaviour.settleDelayMs).toISOString(),
        willFail: req.toAccount.endsWith('0000') ? 'account closed' : req.amountFen > behaviour.maxAmountFen ? 'amount exceeds limit' : undefined,
      });
      schedule(p);
      // The whole view, read after scheduling: on a slow machine the payment may already be due,
      // and schedule() settles or fails it at once; a bare status would then lack its settledAt
      // or failureReason.
      reply = { status: 202, body: view(p) };
    }
    return chance(behaviour.timeoutRate) ? { ...reply, delayMs: behaviour.timeoutDelayMs } : reply;
  };

  const statement = (date: string, account: string | null): Reply => {
    parse(isoDate, date);
    if (!account) throw new HttpError(400, 'validation_failed', 'account: required');
    const settled = store
      .all()
      .filter((p) => p.status === 'settled' && p.fromAccount === account && p.settledAt!.startsWith(date))
      .map((p) => ({
        paymentId: p.paymentId,
        idempotencyKey: p.idempotencyKey,
        reference: p.reference,
        toAccount: p.toAccount,
        amountFen: p.amountFen,
        settledAt: p.settledAt!,
      }));
    const planted = store.plantedLines(date, account).map(({ date: _d, account: _a, ...line }) => line);
    const lines = [...settled, ...planted].sort((a, b) => a.settledAt.localeCompare(b.settledAt));
    return { status: 200, body: { date, account, lines } };
  };

  const plant = (body: unknown): Reply => {
    const l = parse(PlantedLineSchema, body);
    const line = { ...l, paymentId: l.paymentId ?? `planted_${randomUUID()}`, settledAt: l.settledAt ?? `${l.date}T12:00:00.000Z` };
    store.plant(line);
    return { status: 201, body: line };
  };

  const route = async (req: http.IncomingMessage): Promise<Reply> => {
    const url = new URL(req.url ?? '/', 'http://bank');
    const at = `${req.method} ${url.pathname}`;
    if (at === 'GET /health') return { status: 200, body: { status: 'ok' } };
    if (opts.admin !== false && url.pathname.startsWith('/_admin/')) {
      if (at === 'PUT /_admin/behaviour') {
        behaviour = parse({ parse: parseBehaviour }, await readJson(req));
        return { status: 200, body: behaviour };
      }
      if (at === 'POST /_admin/statement-lines') return plant(await readJson(req));
      if (at === 'GET /_admin/payments') return { status: 200, body: { payments: store.all().map(view) } };
    }
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    const isBankCall = /^\/(payments|statements)(\/|$)/.test(url.pathname);
    if (isBankCall && chance(behaviour.transientFailureRate)) throw new HttpError(503, 'unavailable', 'the bank is temporarily unavailable');
    if (at === 'POST /payments') return pay(body);
    let m = /^GET \/payments\/([^/]+)$/.exec(at);
    if (m) {
      const p = store.get(decode(m[1]));
      if (!p) throw new HttpError(404, 'not_found', 'no payment with this idempotency key');
      return { status: 200, body: view(p) };
    }
    m = /^GET \/statements\/([^/]+)$/.exec(at);
    if (m) return statement(decode(m[1]), url.searchParams.get('account'));
    throw new HttpError(404, 'not_found', `no route ${req.method} ${url.pathname}`);
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      let reply: Reply;
      try {
        reply = await route(req);
      } catch (e) {
        reply =
          e instanceof HttpError
            ? { status: e.status, body: { error: e.code, message: e.message } }
            : { status: 500, body: { error: 'internal', message: (e as Error).message } };
      }
      const [min, max] = behaviour.latencyMs;
      const wait = min + Math.floor(random() * (max - min + 1)) + (reply.delayMs ?? 0);
      try {
        await delay(wait, undefined, { signal: closing.signal });
      } catch {
        res.destroy(); // the bank is shutting down mid-answer: the caller sees a dropped connection
        return;
      }
      if (res.destroyed) return;
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    port,
    get config() {
      return behaviour;
    },
    async close() {
      closing.abort();
      timers.forEach((t) => clearTimeout(t));
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      store.close();
    },
  };
}

function sameOrder(p: BankPayment, r: PaymentRequest): boolean {
  return (
    p.fromAccount === r.fromAccount && p.toAccount === r.toAccount && p.amountFen === r.amountFen && p.currency === r.currency && p.reference === r.reference
  );
}

/** The payment as the API shows it: without the bank's internal processing plan. */
function view({ dueAt: _due, willFail: _fail, ...shown }: BankPayment) {
  return shown;
}

function parse<T>(schema: { parse(input: unknown): T }, input: unknown): T {
  try {
    return schema.parse(input);
  } catch (e) {
    if (!(e instanceof z.ZodError)) throw e;
    // Field paths and rules only: echoing values could put account numbers into a caller's logs.
    const message = e.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new HttpError(400, 'validation_failed', message);
  }
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'invalid_path', 'a path segment is not valid percent-encoding');
  }
}

const MAX_BODY = 64 * 1024;

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'too_large', `body over ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not JSON');
  }
}
