import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const SETTINGS = ['fsync', 'synchronous_commit', 'full_page_writes'];

// Starts an embedded Postgres through scripts/lib/services.mjs in a node of its own (the scripts
// are ES modules, which jest's CommonJS runtime cannot load) with the options in PG_OPTIONS,
// prints that server's own SHOW answers, and stops it.
const SHOW_SETTINGS = `
import { startEmbeddedPostgres, freePort } from ${JSON.stringify(join(root, 'scripts', 'lib', 'services.mjs'))};
import pg from 'pg';
const options = JSON.parse(process.env.PG_OPTIONS);
const server = await startEmbeddedPostgres({ dataDir: process.env.PG_DIR, port: await freePort(), ...options });
const client = new pg.Client({ connectionString: server.url });
try {
  await client.connect();
  const out = {};
  for (const name of ${JSON.stringify(SETTINGS)}) out[name] = (await client.query('SHOW ' + name)).rows[0][name];
  process.stdout.write(JSON.stringify(out));
} finally {
  await client.end().catch(() => undefined);
  await server.stop();
}
`;

async function settingsOfAServerStartedWith(options: object): Promise<Record<string, string>> {
  const scratch = mkdtempSync(join(tmpdir(), 'aid-durable-'));
  chmodSync(scratch, 0o755); // the server runs as the postgres user when we are root
  try {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--input-type=module', '-e', SHOW_SETTINGS],
        { cwd: root, env: { ...process.env, PG_DIR: join(scratch, 'pg'), PG_OPTIONS: JSON.stringify(options) }, timeout: 110_000 },
        (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)),
      ),
    );
    return JSON.parse(stdout) as Record<string, string>;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe('Postgres durability', () => {
  it('the Postgres npm start runs (persistent, no other option) keeps fsync, synchronous_commit and full_page_writes on', async () => {
    // scripts/start.mjs's own call: startEmbeddedPostgres({ dataDir, port, persistent: true }).
    expect(await settingsOfAServerStartedWith({ persistent: true })).toEqual({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' });
  });

  it('only a throw-away server turns them off, and the server reports what was asked', async () => {
    expect(await settingsOfAServerStartedWith({ persistent: false, durable: false })).toEqual({
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
    });
  });

  it('refuses a persistent server without the flushes', async () => {
    await expect(settingsOfAServerStartedWith({ persistent: true, durable: false })).rejects.toThrow('a persistent Postgres must be durable');
  });
});
