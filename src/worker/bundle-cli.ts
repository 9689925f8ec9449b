/** `node dist/worker/bundle-cli.js [outFile]`: writes the workflow bundle (default dist/workflow-bundle.js). */
import { BUILT_WORKFLOW_BUNDLE, writeWorkflowBundle } from './workflow-bundle';

const out = process.argv[2] ?? BUILT_WORKFLOW_BUNDLE;
const started = Date.now();
writeWorkflowBundle(out).then(
  () => process.stdout.write(`[setup] workflow bundle written to ${out} in ${Date.now() - started} ms\n`),
  (e: Error) => {
    process.stderr.write(`bundle: ${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
