// `npm run bench`: builds, starts a throw-away embedded Postgres and prints benchmark figures.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, ensureNodeModules, build } from './lib/install.mjs';

ensureNodeModules();
build();
const { startEmbeddedPostgres, freePort } = await import('./lib/services.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'aid-bench-'));
chmodSync(scratch, 0o755);
const pg = await startEmbeddedPostgres({ dataDir: join(scratch, 'pg'), port: await freePort(), persistent: false });
let status = 1;
try {
  status = spawnSync(process.execPath, ['dist/bench/run-bench.js'], { cwd: root, stdio: 'inherit', env: { ...process.env, DATABASE_URL: pg.url } }).status ?? 1;
} finally {
  await pg.stop();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);
