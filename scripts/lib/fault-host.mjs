// The processes of a fault run and their clean-up (no child may outlive the run), and the
// worker under chaos: SIGKILLed at random moments and restarted (the `worker` scenario).
import { spawn } from 'node:child_process';
import { chmodSync, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './install.mjs';
import { interruptibleSleep } from './fault-scenarios.mjs';
import { between, log, sleep } from './fault-settings.mjs';

export function createHost(S, chaosRandom) {
  const scratch = mkdtempSync(join(tmpdir(), 'aid-fault-'));
  chmodSync(scratch, 0o755);
  const stops = []; // async stops of the servers, in start order
  const children = new Set(); // live child processes
  let stopping = false;
  let keepScratch = S.keep;

  function killAllNow() {
    for (const c of children) {
      try {
        c.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  // Last resort (crash, process.exit from a hook): no child may outlive us.
  process.on('exit', () => {
    killAllNow();
    if (!keepScratch) {
      try {
        rmSync(scratch, { recursive: true, force: true });
      } catch {
        /* best effort */
      }
    }
  });

  async function shutdown() {
    if (stopping) return;
    stopping = true;
    chaos.stop();
    void host.faults?.stop();
    const exits = [...children].map(
      (c) =>
        new Promise((r) => {
          if (c.exitCode !== null || c.signalCode !== null) r();
          else c.once('exit', r);
        }),
    );
    for (const c of children) c.kill('SIGTERM');
    const forced = setTimeout(killAllNow, 10_000);
    await Promise.all(exits);
    clearTimeout(forced);
    for (const stop of stops.reverse()) await stop().catch((e) => log(`stop failed: ${e.message}`));
  }
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      log(`${sig}: stopping everything…`);
      void shutdown().finally(() => process.exit(130));
    });
  }

  /**
   * A node child process with its output in a log file; `ready` resolves on the first output
   * line matching `readyLine`. `onUnexpectedExit` runs when it exits without our asking.
   */
  function startChild(name, file, env, { readyLine, logFile, onUnexpectedExit } = {}) {
    const out = createWriteStream(logFile ?? join(scratch, `${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [file], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let markReady;
    const ready = new Promise((r) => {
      markReady = r;
    });
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      out.write(chunk);
      if (!readyLine) return;
      buffered += chunk.toString('utf8');
      if (!handle.isReady && readyLine.test(buffered)) {
        handle.isReady = true;
        markReady(Date.now());
        buffered = '';
      } else if (buffered.length > 10_000) buffered = buffered.slice(-1000);
    });
    child.stderr.on('data', (chunk) => out.write(chunk));
    const handle = {
      name,
      child,
      ready,
      isReady: false,
      expectedExit: false,
      exited: new Promise((r) => child.once('exit', (code, signal) => r({ code, signal }))),
    };
    child.once('exit', (code, signal) => {
      children.delete(child);
      out.end();
      if (!handle.expectedExit && !stopping) onUnexpectedExit?.({ code, signal });
    });
    return handle;
  }

  /** A process that must not exit: its log is kept and the run ends. */
  const fatal =
    (name) =>
    ({ code, signal }) => {
      log(`${name} exited unexpectedly (code ${code}, signal ${signal}); see ${join(scratch, `${name}.log`)}`);
      keepScratch = true;
      void shutdown().finally(() => process.exit(1));
    };

  /** A busy-looping process beside everything, as on a shared server. */
  function startCpuHog() {
    const hog = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    children.add(hog);
    hog.once('exit', () => children.delete(hog));
  }

  // ── the worker under chaos ──
  const workerLog = () => join(scratch, 'worker.log');
  const chaosFigures = { lastKillAt: null, kills: 0, earlyKills: 0, unexpectedExits: 0, incarnations: 0, downMs: 0, startupMs: [] };
  let downSince = null; // from a kill until some worker polls again

  function startWorker() {
    chaosFigures.incarnations++;
    const at = Date.now();
    const w = startChild('worker', 'dist/worker/main.js', host.childEnv, {
      readyLine: /worker: polling/,
      logFile: workerLog(),
      onUnexpectedExit: ({ code, signal }) => {
        chaosFigures.unexpectedExits++;
        log(`worker exited on its own (code ${code}, signal ${signal}); restarting it`);
        if (chaosFigures.unexpectedExits > 20) {
          log(`the worker keeps exiting on its own; see ${workerLog()}`);
          keepScratch = true;
          void shutdown().finally(() => process.exit(1));
          return;
        }
        if (!chaos.running) {
          host.worker = startWorker();
        }
        // under chaos, the loop notices the exit and restarts it
      },
    });
    w.startedAt = at;
    void w.ready.then((t) => {
      chaosFigures.startupMs.push(t - at);
      if (downSince !== null) {
        chaosFigures.downMs += t - downSince;
        downSince = null;
      }
    });
    return w;
  }

  const chaos = (() => {
    let stopRequested = false;
    const { nap, wake } = interruptibleSleep();
    let loop = Promise.resolve();
    return {
      running: false,
      /** Starts (or, after a stop, starts again) the loop: a run may put the worker under chaos in several phases. */
      start() {
        stopRequested = false;
        this.running = true;
        loop = (async () => {
          while (!stopRequested) {
            const w = host.worker;
            const early = chaosRandom() < S.earlyKillShare;
            if (early) {
              await Promise.race([nap(between(chaosRandom, [100, 4000])), w.exited]);
            } else {
              await Promise.race([w.ready, w.exited, sleep(90_000)]);
              if (!stopRequested) await Promise.race([nap(between(chaosRandom, S.killMs)), w.exited]);
            }
            if (stopRequested) break;
            const diedAlone = w.child.exitCode !== null || w.child.signalCode !== null;
            if (downSince === null) downSince = Date.now();
            if (!diedAlone) {
              w.expectedExit = true;
              w.child.kill('SIGKILL');
              chaosFigures.kills++;
              chaosFigures.lastKillAt = Date.now();
              if (!w.isReady) chaosFigures.earlyKills++;
            }
            await w.exited;
            await sleep(between(chaosRandom, S.pauseMs)); // not interrupted by stop: a kill is always followed by a restart
            host.worker = startWorker();
          }
        })();
      },
      async stop() {
        stopRequested = true;
        wake();
        await loop;
        this.running = false;
      },
    };
  })();

  const host = {
    scratch,
    stops,
    startChild,
    fatal,
    startCpuHog,
    startWorker,
    workerLog,
    chaos,
    chaosFigures,
    shutdown,
    /** The environment of the API and worker processes (set once the servers are up). */
    childEnv: undefined,
    /** The current worker process. */
    worker: undefined,
    /** The scenario's fault loop (all but the worker scenario, which uses the chaos loop). */
    faults: undefined,
    /** Keep the logs (a failed run). */
    keep() {
      keepScratch = true;
    },
    get keepsScratch() {
      return keepScratch;
    },
  };
  return host;
}

export async function waitUntil(what, check, timeoutMs, everyMs = 300) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`${what} within ${Math.round(timeoutMs / 1000)} s`);
    await sleep(everyMs);
  }
}
