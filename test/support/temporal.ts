import { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';
import { loadPayloadKeys } from '../../src/config/config';
import type { Keyring } from '../../src/crypto/keyring';
import { engineDataConverter } from '../../src/temporal/data-converter';
import { requireEnv } from './env';

/**
 * The payload keyring of the test processes (PAYLOAD_KEYS, else the development key), as the
 * API and worker load it: clients and workers of a test all encrypt with it, so every test
 * runs through the same codec as production.
 */
export const testPayloadKeys = (): Keyring => loadPayloadKeys(process.env);

/**
 * The Java time-skipping server (publicity periods of days pass in milliseconds), one per test
 * file. We start it ourselves rather than through createTimeSkipping(), whose start-up deadline
 * is a fixed 5 s: a JVM on a loaded 2-core machine can take longer, and the suite must not
 * fail for that.
 */
export async function timeSkippingEnvironment(keys: Keyring = testPayloadKeys()): Promise<TestWorkflowEnvironment> {
  // A JVM that dies while starting (a port taken between our choice and its bind, a loaded
  // machine) is started again on a fresh port: the tests are about workflows, not start-up.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTimeSkipping(keys);
    } catch (e) {
      if (attempt >= 3 || !(e instanceof ServerExited)) throw e;
    }
  }
}

class ServerExited extends Error {}

async function startTimeSkipping(keys: Keyring): Promise<TestWorkflowEnvironment> {
  const port = await freePort();
  const server = spawn(requireEnv('TEMPORAL_TEST_SERVER'), [String(port)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  try {
    await untilListening(port, server, 120_000);
    // `create` is how createTimeSkipping connects once its own server is up; here the server is ours.
    const create = (TestWorkflowEnvironment as unknown as { create(opts: unknown): Promise<TestWorkflowEnvironment> }).create.bind(TestWorkflowEnvironment);
    const env = await create({
      server: { type: 'existing' },
      address: `127.0.0.1:${port}`,
      supportsTimeSkipping: true,
      client: { dataConverter: engineDataConverter(keys) },
    });
    const teardown = env.teardown.bind(env);
    env.teardown = async () => {
      await teardown();
      server.kill('SIGKILL');
      await exited;
    };
    return env;
  } catch (e) {
    server.kill('SIGKILL');
    throw e;
  }
}

/**
 * A free port left in TIME_WAIT (we accept one connection and close it from the server side), so
 * that no other bind(0) on the machine — another test file's server, the JVM's own sockets — is
 * handed it before our server binds it explicitly. scripts/lib/services.mjs does the same.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer((conn) => conn.destroy());
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      const client = connect({ port, host: '127.0.0.1' });
      client.on('error', () => undefined);
      client.once('close', () => srv.close(() => resolve(port)));
    });
  });
}

async function untilListening(port: number, server: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null)
      throw new ServerExited(`the time-skipping test server exited (${server.exitCode ?? server.signalCode})`);
    const open = await new Promise<boolean>((resolve) => {
      const sock = connect({ port, host: '127.0.0.1' });
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`the time-skipping test server did not listen within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The real Temporal dev server started by scripts/test.mjs (search attributes registered). */
export function devServerEnvironment(keys: Keyring = testPayloadKeys()): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({ address: requireEnv('TEMPORAL_ADDRESS'), client: { dataConverter: engineDataConverter(keys) } });
}

export const uniqueQueue = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * The workflow bundle scripts/test.mjs builds once from src/workflows for the whole run (as the
 * build does for production workers); unset when jest runs alone, and workers then bundle themselves.
 */
export const testWorkflowBundle = (): string | undefined => process.env.WORKFLOW_BUNDLE || undefined;
