/**
 * Error responses: always JSON `{ error: { code, message, ...details } }`, with KilnError codes
 * for bad input and a few HTTP-only codes (auth, size, readiness, routing).
 */
import { KilnError, type KilnErrorCode } from '../../core/errors.js';

export type ServerErrorCode =
  | KilnErrorCode
  | 'E_UNAUTHORIZED'
  | 'E_BODY_TOO_LARGE'
  | 'E_MEDIA_TYPE'
  | 'E_NOT_FOUND'
  | 'E_NOT_READY'
  | 'E_SHUTTING_DOWN'
  | 'E_TIMEOUT'
  | 'E_HEADERS_TOO_LARGE'
  | 'E_BAD_REQUEST';

/** A request the server refuses: status, stable code, message, and details such as row and field. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ServerErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Codes that mean the request's data was wrong (400), not the server (500). */
const INPUT_CODES = new Set<string>(['E_SHAPE', 'E_LENGTH', 'E_EMPTY', 'E_DTYPE', 'E_NONFINITE', 'E_PARAM', 'E_DATA_FORMAT']);

export interface ErrorBody {
  error: { code: string; message: string; [detail: string]: unknown };
}

/**
 * Status and JSON body for anything thrown while handling a request; every body names the
 * request id. A server-side failure (500) says only that and the id: its message may hold paths
 * or internals, so it goes to the log under the same id instead.
 */
export function toErrorResponse(err: unknown, requestId: string): { status: number; body: ErrorBody } {
  const r = describeError(err);
  if (r.status >= 500 && !(err instanceof HttpError)) {
    return {
      status: r.status,
      body: {
        error: { code: 'E_INTERNAL', message: `the server failed to answer this request; its log has the details under requestId ${requestId}`, requestId },
      },
    };
  }
  return { status: r.status, body: { error: { ...r.body.error, requestId } } };
}

function describeError(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof HttpError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message, ...err.details } } };
  }
  if (err instanceof KilnError) {
    return { status: INPUT_CODES.has(err.code) ? 400 : 500, body: { error: { code: err.code, message: err.message } } };
  }
  const e = err as { code?: unknown; statusCode?: unknown; message?: unknown; validation?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  // fastify's own errors carry FST_* codes and a statusCode
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { error: { code: 'E_BODY_TOO_LARGE', message: `${message}; send fewer rows per request or raise the server's bodyLimit` } } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: { code: 'E_MEDIA_TYPE', message: `${message}; send Content-Type: application/json` } } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        status: 400,
        body: { error: { code: 'E_EMPTY', message: 'the request body is empty; send { "rows": [...] }, { "row": {...} } or { "instances": [[...]] }' } },
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: { error: { code: 'E_DATA_FORMAT', message: `the request body is not valid JSON: ${message}` } } };
  }
  if (err instanceof SyntaxError || (typeof e?.statusCode === 'number' && e.statusCode === 400)) {
    return { status: 400, body: { error: { code: 'E_DATA_FORMAT', message: `the request body is not valid JSON: ${message}` } } };
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, body: { error: { code: 'E_PARAM', message } } };
  }
  return { status: 500, body: { error: { code: 'E_INTERNAL', message } } };
}
