import { randomUUID } from 'node:crypto';

/**
 * A caller's X-Request-Id is kept when it is a plain token (letters, digits and `._:@/+=-`, at
 * most 100 characters: a UUID, a trace id, a load balancer's id); anything else (control
 * characters, spaces, quotes, markup, a 10 KB header) is replaced by a fresh UUID, so that what
 * lands in every log line and in the response header is always safe to print.
 */
const SANE_REQUEST_ID = /^[\w.:@/+=-]{1,100}$/;

export function requestIdOf(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}
