/**
 * The one data converter of every Temporal client and worker of the engine (API, worker,
 * schedules, scripts, tests): payloads encrypted with the payload keyring, failure messages
 * encoded so that they are encrypted too. A process with another converter could neither read
 * nor write what these do.
 */
import type { DataConverter } from '@temporalio/common';
import type { Keyring } from '../crypto/keyring';
import { EncryptionCodec } from './encryption-codec';

/** Path of the failure converter module (dist/…js compiled, src/…ts under ts-jest); also passed to bundleWorkflowCode. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

export function engineDataConverter(keys: Keyring): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
