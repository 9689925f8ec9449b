import { TestWorkflowEnvironment } from '@temporalio/testing';
import { requireEnv } from './env';

/** The Java time-skipping server (publicity periods of days pass in milliseconds). */
export function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: requireEnv('TEMPORAL_TEST_SERVER') } },
  });
}

/** The real Temporal dev server started by scripts/test.mjs (search attributes registered). */
export function devServerEnvironment(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({ address: requireEnv('TEMPORAL_ADDRESS') });
}

export const uniqueQueue = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * The workflow bundle scripts/test.mjs builds once from src/workflows for the whole run (as the
 * build does for production workers); unset when jest runs alone, and workers then bundle themselves.
 */
export const testWorkflowBundle = (): string | undefined => process.env.WORKFLOW_BUNDLE || undefined;
