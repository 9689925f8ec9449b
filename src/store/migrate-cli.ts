/** Applies pending migrations to DATABASE_URL and exits. */
import { loadConfig } from '../config/config';
import { createPool } from './db';
import { migrate } from './migrate';

async function main(): Promise<void> {
  const pool = createPool(loadConfig().databaseUrl, 1);
  try {
    const applied = await migrate(pool);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is current\n');
  } finally {
    await pool.end();
  }
}

void main().catch((e: Error) => {
  process.stderr.write(`migrate: ${e.message}\n`);
  process.exit(2);
});
