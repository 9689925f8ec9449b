/**
 * The API process: validates config, migrates, connects to Temporal and serves HTTP (creating the
 * first administrator from ADMIN_PASSWORD as it starts: auth/first-admin.bootstrap.ts).
 */
import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config/config';
import { createLogger, type Logger } from '../logging/logger';
import { createPool } from '../store/db';
import { migrate } from '../store/migrate';
import { engineDataConverter } from '../temporal/data-converter';
import { createApp } from './create-app';

let log: Logger = createLogger({ process: 'api', level: 'info' }); // until the configuration is read

async function main(): Promise<void> {
  const config = loadConfig();
  log = createLogger({ process: 'api', level: config.logLevel });
  const pool = createPool(config.databaseUrl);
  if (config.migrateOnStart) await migrate(pool);
  // Lazy: the API starts (and /health reports 503) while Temporal is still coming up.
  const connection = Connection.lazy({ address: config.temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporalNamespace, dataConverter: engineDataConverter(config.payloadKeys) });
  const app = await createApp({ config, pool, temporal }, { logger: log });
  await app.listen(config.port, config.host);
  // Said whatever LOG_LEVEL: scripts (bench, fault) wait for "api: listening" in the output.
  log.child({}, { level: 'info' }).info(`api: listening on http://${config.host}:${config.port}`);
  const stop = async () => {
    await app.close();
    await connection.close();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((e: Error) => {
  log.fatal(`api: ${e.message}`);
  process.exit(1);
});
