/**
 * An error as data (to cross a worker thread or a queue) and back: a KilnError keeps its class
 * name and stable code, so a ParamError raised in a thread is a ParamError to its caller.
 */
import * as errors from './errors.js';
import { KilnError, type KilnErrorCode } from './errors.js';

export interface ErrorWire {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

export function encodeError(e: unknown): ErrorWire {
  const err = e as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown };
  return {
    name: typeof err?.name === 'string' ? err.name : 'Error',
    message: typeof err?.message === 'string' ? err.message : String(e),
    ...(typeof err?.code === 'string' ? { code: err.code } : {}),
    ...(typeof err?.stack === 'string' ? { stack: err.stack } : {}),
  };
}

/** The error back, as its own KilnError subclass where it is one (a ParamError stays a ParamError). */
export function decodeError(w: ErrorWire): Error {
  const Ctor = (errors as Record<string, unknown>)[w.name];
  let e: Error;
  if (typeof Ctor === 'function' && Ctor.prototype instanceof KilnError && w.code?.startsWith('E_')) {
    e = Object.assign(Object.create(Ctor.prototype) as KilnError, { code: w.code as KilnErrorCode });
    e.message = w.message;
  } else {
    e = w.code?.startsWith('E_') ? new KilnError(w.code as KilnErrorCode, w.message) : new Error(w.message);
  }
  e.name = w.name;
  if (w.stack) e.stack = w.stack;
  return e;
}
