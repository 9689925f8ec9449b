/**
 * `node dist/directory/create-admin-cli.js`: applies the migrations, then creates the first
 * administrator from ADMIN_PASSWORD (ADMIN_USERNAME, default admin; ADMIN_COUNTY_CODE and
 * ADMIN_COUNTY_NAME for the county) if no administrator exists yet. The API does the same at
 * start when ADMIN_PASSWORD is set; this is for installs that would rather not keep it there.
 */
import { loadConfig } from '../config/config';
import { createEventStore } from '../store/create-event-store';
import { createPool } from '../store/db';
import { migrate } from '../store/migrate';
import { ensureFirstAdmin } from './first-admin';

async function main(): Promise<void> {
  const config = loadConfig();
  const admin = config.auth.firstAdmin;
  if (!admin) throw new Error('set ADMIN_PASSWORD (at least 10 characters) to the first administrator’s password');
  const pool = createPool(config.databaseUrl, 2);
  try {
    await migrate(pool);
    const r = await ensureFirstAdmin(pool, createEventStore(pool), admin);
    process.stdout.write(
      r.created
        ? `created administrator "${r.username}" for county ${r.county}: log in with POST /auth/login\n`
        : 'an administrator exists already: nothing changed (reset a password with POST /users/{userId}/password)\n',
    );
  } finally {
    await pool.end();
  }
}

main().catch((e: Error) => {
  process.stderr.write(`create-admin: ${e.message}\n`);
  process.exit(1);
});
