/**
 * The workflow code, bundled once at build time (`npm run build` → dist/workflow-bundle.js), so a
 * worker starts in about a second instead of running webpack at every start. A worker restarted
 * after a crash is back polling before its sticky workflow tasks time out.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FAILURE_CONVERTER_PATH } from '../temporal/data-converter';

/** Where the build puts the bundle: dist/workflow-bundle.js beside dist/worker/. */
export const BUILT_WORKFLOW_BUNDLE = join(__dirname, '..', 'workflow-bundle.js');

/** The workflows' entry point (dist/workflows/index.js when compiled, src/workflows/index.ts under ts-jest). */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Bundles the workflows, with the engine's failure converter, into `outFile` (with a source map inline, for readable stack traces). */
export async function writeWorkflowBundle(outFile: string): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, failureConverterPath: FAILURE_CONVERTER_PATH, logger: quietLogger });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, code);
}

/** The built bundle, or a clear error telling how to build it. */
export function requireBuiltBundle(path = BUILT_WORKFLOW_BUNDLE): string {
  if (!existsSync(path)) throw new Error(`the workflow bundle ${path} is missing: run \`npm run build\``);
  return path;
}

const noop = () => undefined;
const quietLogger = {
  log: noop,
  trace: noop,
  debug: noop,
  info: noop,
  warn: (m: string) => process.stderr.write(`bundle: ${m}\n`),
  error: (m: string) => process.stderr.write(`bundle: ${m}\n`),
};
