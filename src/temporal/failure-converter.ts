/**
 * Failure messages and stack traces are not payloads: by default Temporal stores them in the
 * clear. This converter moves them into an encoded attributes payload, which the encryption
 * codec then encrypts. Loaded by path (`failureConverterPath`): the workflow bundle includes it,
 * so it must stay free of Node APIs.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
