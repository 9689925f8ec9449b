// `npm test`: installs what is missing, type-checks and lints, starts a throw-away Postgres
// and Temporal dev server on free ports, runs every jest test against them, stops them.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, ensureNodeModules, ensureTemporalCli, ensureTestServer, ensureChromium, buildConsole } from './lib/install.mjs';

function step(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stdout.write(`0 passed, 1 failed\n`);
    process.exit(r.status ?? 1);
  }
}

ensureNodeModules();
const cli = ensureTemporalCli();
const testServer = ensureTestServer();
const bin = (name) => join(root, 'node_modules', '.bin', name);
// TEST_ONLY=1 skips the type-check and lint steps: for a developer re-running a few test files
// (`TEST_ONLY=1 npm test -- test/api/x.test.ts`); CI and a plain `npm test` always run them.
if (process.env.TEST_ONLY !== '1') {
  step(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  step(bin('tsc'), ['-p', 'console/tsconfig.json']);
  step(bin('eslint'), ['src', 'test', 'scripts', 'console']);
  // One formatting for everyone (`npm run format` applies it).
  step(bin('prettier'), ['--check', 'src', 'test', 'scripts', 'console']);
}
// The browser tests drive Debian's Chromium against the API serving the built console.
const chromium = ensureChromium();
buildConsole();

const { startEmbeddedPostgres, startTemporalDevServer, startDownloadedTemporal, freePort } = await import('./lib/services.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'aid-test-'));
chmodSync(scratch, 0o755);
const stops = [];
let code = 1;
try {
  const db = process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL }
    : await startEmbeddedPostgres({ dataDir: join(scratch, 'pg'), port: await freePort(), persistent: false, durable: false });
  if (db.stop) stops.push(db.stop);
  const temporal = cli
    ? await startTemporalDevServer({ cli, port: freePort, logPath: join(scratch, 'temporal.log') })
    : await startDownloadedTemporal({ port: await freePort() });
  stops.push(temporal.stop);

  // The workflows bundled once for every test file's workers (as `npm run build` does for production).
  const workflowBundle = join(scratch, 'workflow-bundle.js');
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const silent = () => undefined;
  const { code: bundled } = await bundleWorkflowCode({
    workflowsPath: join(root, 'src', 'workflows', 'index.ts'),
    failureConverterPath: join(root, 'src', 'temporal', 'failure-converter.ts'),
    logger: { log: silent, trace: silent, debug: silent, info: silent, warn: console.warn, error: console.error },
  });
  writeFileSync(workflowBundle, bundled);

  const report = join(scratch, 'jest.json');
  const jest = spawn(
    process.execPath,
    [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--json', `--outputFile=${process.env.JEST_REPORT ?? report}`, ...process.argv.slice(2)],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_TEST_SERVER: testServer,
        TEMPORAL_CLI: cli ?? '',
        WORKFLOW_BUNDLE: workflowBundle,
        CHROMIUM: chromium,
      },
    },
  );
  code = await new Promise((resolve) => jest.on('exit', (c) => resolve(c ?? 1)));
  try {
    const r = JSON.parse(readFileSync(process.env.JEST_REPORT ?? report, 'utf8'));
    // A plain closing line that any CI reader understands.
    process.stdout.write(`\njest: ${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed\n`);
  } catch {
    process.stdout.write('\njest: 0 passed, 1 failed\n');
  }
} catch (e) {
  process.stderr.write(`npm test: ${e.stack ?? e}\n`);
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(code);
