import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { problem } from './problem';

/** Node's own answers to a request it cannot parse (http.Server 'clientError'), by parser error code. */
const ANSWERS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers-too-large', 'the request headers are larger than the server takes (16 KB in all)'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'too-large', 'the chunk extensions are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request-timeout', 'the request did not arrive in time'],
};

function raw(status: number, slug: string, detail: string): string {
  const p = problem(status, slug, detail).problem;
  const body = JSON.stringify(p);
  return `HTTP/1.1 ${status} ${p.title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/**
 * Node answers a request it cannot parse (headers over `maxHeaderSize`, a malformed request
 * line) before any route sees it, with a bare status and no body. This writes the same status
 * as application/problem+json, like every other error of the API.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // The rest of a request already answered: read and dropped until the client closes, so
    // that closing on unread data (a TCP reset) cannot destroy the answer before it is read.
    if (answered.has(socket)) return;
    // A response already on its way on this connection (pipelining) must not be cut into.
    const busy = (socket as Duplex & { _httpMessage?: unknown })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || busy) {
      socket.destroy(err);
      return;
    }
    const [status, slug, detail] = ANSWERS[err.code ?? ''] ?? [400, 'bad-request', 'the request could not be parsed as HTTP/1.1'];
    answered.add(socket);
    socket.end(raw(status, slug, detail));
    setTimeout(() => socket.destroy(), 5000).unref();
  });
}
