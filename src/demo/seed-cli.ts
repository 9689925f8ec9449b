/**
 * `node dist/demo/seed-cli.js directory <users.json>`: migrations, jurisdictions and demo users
 * (each with its API token and the password DEMO_PASSWORD).
 * `node dist/demo/seed-cli.js cases <users.json> <apiUrl>`: demo cases through the running API.
 */
import { loadConfig } from '../config/config';
import { DEMO_JURISDICTIONS, DEMO_SUPPLIERS } from '../directory/demo-directory';
import { setPasswordHash } from '../directory/accounts';
import { upsertJurisdictions, upsertUsers } from '../directory/directory';
import { hashPassword } from '../directory/passwords';
import { createPool } from '../store/db';
import { migrate } from '../store/migrate';
import { ensureDemoUsersFile } from './demo-users-file';
import { seedDemoCases } from './seed-cases';

async function main(): Promise<void> {
  const [what, usersFile, apiUrl] = process.argv.slice(2);
  const users = ensureDemoUsersFile(usersFile);
  if (what === 'directory') {
    const config = loadConfig();
    const pool = createPool(config.databaseUrl, 2);
    try {
      await migrate(pool);
      await upsertJurisdictions(pool, DEMO_JURISDICTIONS);
      await upsertUsers(pool, users);
      // The console's log-in: username = user id, password = DEMO_PASSWORD (default demo-password-2026).
      for (const u of users) await setPasswordHash(pool, u.userId, await hashPassword(config.auth.demoPassword));
      for (const s of DEMO_SUPPLIERS) {
        await pool.query(
          `INSERT INTO suppliers (supplier_id, name, jurisdiction, account) VALUES ($1, $2, $3, $4)
          ON CONFLICT (supplier_id) DO UPDATE SET name = EXCLUDED.name, account = EXCLUDED.account`,
          [s.supplierId, s.name, s.jurisdiction, s.account],
        );
      }
    } finally {
      await pool.end();
    }
  } else if (what === 'cases') {
    const cases = await seedDemoCases(apiUrl, users);
    process.stdout.write(`demo cases: ${cases.length ? cases.join(', ') : 'already seeded'}\n`);
  } else {
    throw new Error('usage: seed-cli directory|cases <users.json> [apiUrl]');
  }
}

main().catch((e: Error) => {
  process.stderr.write(`seed: ${e.message}\n`);
  process.exit(1);
});
