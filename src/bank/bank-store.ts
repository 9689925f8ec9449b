/**
 * The simulated bank's own books: an append-only JSON-lines journal, replayed into memory on
 * open. It shares nothing with our Postgres, as a real bank would not. Every record is fsynced
 * before the caller answers, so a kill -9 loses nothing the bank has acknowledged.
 */
import fs from 'node:fs';
import path from 'node:path';

export type BankPaymentStatus = 'pending' | 'settled' | 'failed';

/** What the bank knows of one payment; `dueAt` and `willFail` are its own processing plan. */
export interface BankPayment {
  paymentId: string;
  idempotencyKey: string;
  fromAccount: string;
  toAccount: string;
  amountFen: number;
  currency: 'CNY';
  reference: string;
  acceptedAt: string;
  /** When the bank processes it (settles or fails); kept so processing survives a restart. */
  dueAt: string;
  /** Decided at acceptance with the checks then in force; applied at `dueAt`. */
  willFail?: string;
  status: BankPaymentStatus;
  settledAt?: string;
  failedAt?: string;
  failureReason?: string;
}

export type AcceptedPayment = Omit<BankPayment, 'status' | 'settledAt' | 'failedAt' | 'failureReason'>;

/** A statement line for a payment we never made, planted by tests to exercise reconciliation. */
export interface PlantedLine {
  date: string;
  account: string;
  paymentId: string;
  idempotencyKey: string;
  reference: string;
  toAccount: string;
  amountFen: number;
  settledAt: string;
}

type JournalRecord =
  | { type: 'accepted'; payment: AcceptedPayment }
  | { type: 'settled'; idempotencyKey: string; settledAt: string }
  | { type: 'failed'; idempotencyKey: string; failedAt: string; failureReason: string }
  | { type: 'planted'; line: PlantedLine };

export const JOURNAL_FILE = 'journal.jsonl';

export class BankStore {
  private readonly payments = new Map<string, BankPayment>();
  private readonly planted: PlantedLine[] = [];
  private fd: number | undefined;

  private constructor(readonly journalPath: string) {}

  static open(dataDir: string): BankStore {
    fs.mkdirSync(dataDir, { recursive: true });
    const store = new BankStore(path.join(dataDir, JOURNAL_FILE));
    store.replay();
    store.fd = fs.openSync(store.journalPath, 'a');
    fsyncDir(dataDir); // the journal's directory entry must be durable too
    return store;
  }

  get(idempotencyKey: string): BankPayment | undefined {
    return this.payments.get(idempotencyKey);
  }

  all(): BankPayment[] {
    return [...this.payments.values()];
  }

  pending(): BankPayment[] {
    return this.all().filter((p) => p.status === 'pending');
  }

  plantedLines(date: string, account: string): PlantedLine[] {
    return this.planted.filter((l) => l.date === date && l.account === account);
  }

  accept(payment: AcceptedPayment): BankPayment {
    this.write({ type: 'accepted', payment });
    return this.payments.get(payment.idempotencyKey)!;
  }

  settle(idempotencyKey: string, settledAt: string): void {
    this.write({ type: 'settled', idempotencyKey, settledAt });
  }

  fail(idempotencyKey: string, failedAt: string, failureReason: string): void {
    this.write({ type: 'failed', idempotencyKey, failedAt, failureReason });
  }

  plant(line: PlantedLine): void {
    this.write({ type: 'planted', line });
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  /** Durable first, then visible: memory never shows what the journal might not hold. */
  private write(record: JournalRecord): void {
    if (this.fd === undefined) throw new Error('bank store is closed');
    fs.appendFileSync(this.fd, `${JSON.stringify(record)}\n`);
    fs.fsyncSync(this.fd);
    this.apply(record);
  }

  private replay(): void {
    if (!fs.existsSync(this.journalPath)) return;
    let text = fs.readFileSync(this.journalPath, 'utf8');
    // A crash mid-write leaves a torn last line that was never acknowledged: drop it, or the
    // next record would be glued onto it.
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) {
      fs.truncateSync(this.journalPath, Buffer.byteLength(text.slice(0, end)));
      text = text.slice(0, end);
    }
    text.split('\n').forEach((line, i) => {
      if (line === '') return;
      try {
        this.apply(JSON.parse(line) as JournalRecord);
      } catch (e) {
        throw new Error(`${this.journalPath} line ${i + 1}: ${(e as Error).message}`);
      }
    });
  }

  private apply(r: JournalRecord): void {
    switch (r.type) {
      case 'accepted':
        this.payments.set(r.payment.idempotencyKey, { ...r.payment, status: 'pending' });
        return;
      case 'settled':
        Object.assign(this.existing(r.idempotencyKey), { status: 'settled', settledAt: r.settledAt });
        return;
      case 'failed':
        Object.assign(this.existing(r.idempotencyKey), { status: 'failed', failedAt: r.failedAt, failureReason: r.failureReason });
        return;
      case 'planted':
        this.planted.push(r.line);
        return;
      default:
        throw new Error(`unknown journal record ${JSON.stringify((r as { type?: unknown }).type)}`);
    }
  }

  private existing(idempotencyKey: string): BankPayment {
    const p = this.payments.get(idempotencyKey);
    if (!p) throw new Error(`no accepted payment for key ${idempotencyKey}`);
    return p;
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // some platforms (Windows) cannot fsync a directory; the file's own fsync still holds
  }
}
