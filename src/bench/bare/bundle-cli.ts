/** `node dist/bench/bare/bundle-cli.js <outFile>`: bundles the bare workflows once, as the build does the engine's. */
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import { FAILURE_CONVERTER_PATH } from '../../temporal/data-converter';

const noop = () => undefined;
const out = process.argv[2];
bundleWorkflowCode({
  workflowsPath: require.resolve('./workflows'),
  failureConverterPath: FAILURE_CONVERTER_PATH,
  logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => process.stderr.write(`bundle: ${m}\n`) },
}).then(
  ({ code }) => writeFileSync(out, code),
  (e: Error) => {
    process.stderr.write(`bundle: ${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
