import { z } from 'zod';

const base64 = z
  .string()
  .max(4_000_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

/** A Temporal Payload in its protobuf JSON form (bytes as base64), as the Temporal UI and CLI send it. */
export const JsonPayload = z.object({
  metadata: z.record(z.string().max(200), base64).optional(),
  data: base64.optional(),
});

/**
 * Temporal's codec server protocol: `{ payloads: [...] }` in, the same shape out. Protobuf JSON
 * leaves an empty list out, so `{}` (what the Go CLI sends for no payloads) means none.
 */
export const CodecBody = z.object({ payloads: z.array(JsonPayload).max(1000).default([]) });
export type CodecBodyT = z.infer<typeof CodecBody>;

export const CodecSessionView = z.object({
  expiresAt: z.string().describe('when the browser drops the session cookie'),
});
