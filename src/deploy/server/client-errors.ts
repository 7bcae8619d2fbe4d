/**
 * Connections Node refuses before a request exists (no route, no hooks): a client too slow to send
 * its headers or body (408), headers too large (431), bytes that are not HTTP (400). The answer
 * has the same JSON error shape as every other, then the connection closes.
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ServerErrorCode } from './errors.js';

interface Refusal {
  status: number;
  reason: string;
  code: ServerErrorCode;
  message: string;
}

function refusal(err: NodeJS.ErrnoException, timeouts: { requestTimeout: number; headersTimeout: number }): Refusal {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return {
      status: 408,
      reason: 'Request Timeout',
      code: 'E_TIMEOUT',
      message: `the request did not arrive in time (headers within ${timeouts.headersTimeout} ms, the whole request within ${timeouts.requestTimeout} ms); send it at once`,
    };
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: 431,
      reason: 'Request Header Fields Too Large',
      code: 'E_HEADERS_TOO_LARGE',
      message: 'the request headers are too large; send fewer or shorter headers',
    };
  }
  return { status: 400, reason: 'Bad Request', code: 'E_BAD_REQUEST', message: 'the request is not valid HTTP/1.1' };
}

/** fastify's clientErrorHandler: answers (when the socket still takes bytes) and closes. */
export function clientErrorHandler(log: Logger | null, timeouts: { requestTimeout: number; headersTimeout: number }) {
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return; // the client has gone already
    const r = refusal(err, timeouts);
    log?.warn({ event: 'error', status: r.status, code: r.code, remote: socket.remoteAddress }, 'connection refused');
    if (socket.writable) {
      const body = JSON.stringify({ error: { code: r.code, message: r.message } });
      socket.write(
        `HTTP/1.1 ${r.status} ${r.reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
