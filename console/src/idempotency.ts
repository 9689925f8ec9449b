import { useState } from 'preact/hooks';
import { newIdempotencyKey } from './api/client';

/**
 * The Idempotency-Key of a form's next request. The server keeps its first answer to a key, a
 * refusal (4xx) included, and answers a different request under the same key with 422. So once a
 * request is answered, success or refusal, the next one (corrected) gets a new key; after a server
 * error or no answer it keeps this one, so that sending it again cannot do it twice.
 */
export function useIdempotencyKey(): { key: string; answered: (status: number) => void } {
  const [key, setKey] = useState(newIdempotencyKey);
  return { key, answered: (status: number) => status > 0 && status < 500 && setKey(newIdempotencyKey()) };
}
