import { DefaultLogger, Runtime } from '@temporalio/worker';

// Workers log every state change at INFO; tests want warnings and errors only.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this jest worker process
}

// A rejection nobody handled is reported with where it came from (and still fails the run).
process.on('unhandledRejection', (reason) => {
  const e = reason as Error;
  process.stderr.write(`[unhandled rejection] ${e?.name}: ${e?.message}\n${e?.stack ?? ''}\n`);
  throw reason;
});
