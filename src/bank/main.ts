/** The simulated bank as its own process (`node dist/bank/main.js`), until SIGINT/SIGTERM. */
import { z } from 'zod';
import { startBankServer, type BankBehaviour } from './bank-server';

const rate = z.coerce.number().min(0).max(1).optional();
const ms = z.coerce.number().int().min(0).optional();

/** Behaviour variables are optional: what is unset keeps the bank's defaults. */
const EnvSchema = z.object({
  BANK_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  BANK_HOST: z.string().min(1).default('127.0.0.1'),
  BANK_DATA_DIR: z.string().min(1).default('.data/bank'),
  BANK_ADMIN: z.enum(['true', 'false']).default('true'),
  BANK_SEED: z.coerce.number().int().optional(),
  BANK_LATENCY_MS: z
    .string()
    .regex(/^\d+,\d+$/, 'min,max in ms, e.g. 5,30')
    .optional(),
  BANK_TRANSIENT_FAILURE_RATE: rate,
  BANK_TIMEOUT_RATE: rate,
  BANK_TIMEOUT_DELAY_MS: ms,
  BANK_SETTLE_DELAY_MS: ms,
  BANK_MAX_AMOUNT_FEN: z.coerce.number().int().positive().optional(),
});

async function main(): Promise<void> {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) throw new Error(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const env = parsed.data;
  const behaviour: Partial<BankBehaviour> = {
    latencyMs: env.BANK_LATENCY_MS?.split(',').map(Number) as [number, number] | undefined,
    transientFailureRate: env.BANK_TRANSIENT_FAILURE_RATE,
    timeoutRate: env.BANK_TIMEOUT_RATE,
    timeoutDelayMs: env.BANK_TIMEOUT_DELAY_MS,
    settleDelayMs: env.BANK_SETTLE_DELAY_MS,
    maxAmountFen: env.BANK_MAX_AMOUNT_FEN,
  };
  // Unset variables must fall back to defaults, not override them with undefined.
  const set = Object.fromEntries(Object.entries(behaviour).filter(([, v]) => v !== undefined)) as Partial<BankBehaviour>;
  const bank = await startBankServer({
    dataDir: env.BANK_DATA_DIR,
    host: env.BANK_HOST,
    port: env.BANK_PORT,
    admin: env.BANK_ADMIN === 'true',
    seed: env.BANK_SEED,
    behaviour: set,
  });
  process.stdout.write(`bank: listening on ${bank.url} (journal in ${env.BANK_DATA_DIR}, behaviour ${JSON.stringify(bank.config)})\n`);
  const stop = async () => {
    await bank.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((e: Error) => {
  process.stderr.write(`bank: ${e.message}\n`);
  process.exit(1);
});
