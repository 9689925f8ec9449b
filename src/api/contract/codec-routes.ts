import { CodecBody, CodecSessionView } from './codec-schemas';
import type { RouteSpec } from './route-spec';

/** `encoding: binary/plain`, `data: "hello"`: what a client would encode (base64 as in protobuf JSON). */
const plainExample = { payloads: [{ metadata: { encoding: 'YmluYXJ5L3BsYWlu' }, data: 'aGVsbG8=' }] };

/**
 * Temporal's codec server protocol, for the Temporal UI and CLI (README: "Reading encrypted
 * Temporal histories"). Operators only: what it decodes is personal data.
 */
export const codecRoutes = {
  codecDecode: {
    method: 'post',
    path: '/codec/decode',
    tag: 'codec',
    summary: 'Decrypt Temporal payloads (codec server for the Temporal UI and CLI)',
    description:
      'Payloads not encrypted by the engine come back unchanged. Every call is recorded (who, how many payloads) on the audit stream. ' +
      'Authenticates with the bearer token, or with the session cookie of POST /codec/session (for the Temporal UI with "include cross-origin credentials").',
    access: ['operator'],
    body: CodecBody,
    example: plainExample,
    success: { status: 200, description: 'the payloads, decrypted, in the same order', schema: CodecBody },
    errors: [400, 401, 403],
  },
  codecEncode: {
    method: 'post',
    path: '/codec/encode',
    tag: 'codec',
    summary: 'Encrypt Temporal payloads with the active key (codec server)',
    description: 'What the Temporal UI and CLI use to send input (a signal, an update) that workers can read.',
    access: ['operator'],
    body: CodecBody,
    example: plainExample,
    success: { status: 200, description: 'the payloads, encrypted, in the same order', schema: CodecBody },
    errors: [400, 401, 403],
  },
  codecSession: {
    method: 'post',
    path: '/codec/session',
    tag: 'codec',
    summary: 'Start a codec session for the Temporal UI in this browser',
    description:
      'Sets an HttpOnly, SameSite=Strict cookie, valid for /codec only, that authenticates /codec/decode and /codec/encode for 8 hours. ' +
      'The Temporal UI (its codec endpoint set to this API\'s /codec, "include cross-origin credentials" on) then decodes histories for this operator.',
    access: ['operator'],
    success: { status: 200, description: "the session's end", schema: CodecSessionView },
    errors: [401, 403],
  },
} satisfies Record<string, RouteSpec>;
