import { TestWorkflowEnvironment } from '@temporalio/testing';
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

/** The Java time-skipping server (publicity periods of days pass in milliseconds). */
export function timeSkippingEnvironment(keys: Keyring = testPayloadKeys()): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: requireEnv('TEMPORAL_TEST_SERVER') } },
    client: { dataConverter: engineDataConverter(keys) },
  });
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
