/**
 * Every error kiln throws is a KilnError with a stable `code`. Messages name the
 * argument, what was expected, what was found, and how to fix it.
 */
export type KilnErrorCode =
  | 'E_SHAPE'
  | 'E_LENGTH'
  | 'E_EMPTY'
  | 'E_DTYPE'
  | 'E_NONFINITE'
  | 'E_PARAM'
  | 'E_NOT_FITTED'
  | 'E_UNKNOWN_BACKEND'
  | 'E_BACKEND_UNAVAILABLE'
  | 'E_BACKEND_LIMIT'
  | 'E_DEVICE_LOST'
  | 'E_ALLOC'
  | 'E_MODEL_FORMAT'
  | 'E_DATA_FORMAT'
  | 'E_NOT_FOUND'
  | 'E_REGISTRY'
  | 'E_IO'
  | 'E_BENCH_GATE'
  | 'E_UNSUPPORTED'
  | 'E_INTERNAL'
  | 'E_SAMPLE_SIZE'
  | 'E_WORKER'
  | 'E_TRIAL_PRUNED';

export class KilnError extends Error {
  readonly code: KilnErrorCode;
  constructor(code: KilnErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Shapes that do not fit together (e.g. the inner dimensions of a product). */
export class ShapeError extends KilnError {
  constructor(message: string) {
    super('E_SHAPE', message);
  }
}
/** A data buffer whose length is not rows × cols. */
export class LengthError extends KilnError {
  constructor(message: string) {
    super('E_LENGTH', message);
  }
}
/** An input with no rows or no columns where at least one is required. */
export class EmptyInputError extends KilnError {
  constructor(message: string) {
    super('E_EMPTY', message);
  }
}
/** A value of the wrong element type (e.g. an Int32Array where floats are expected). */
export class DTypeError extends KilnError {
  constructor(message: string) {
    super('E_DTYPE', message);
  }
}
/** NaN or ±Infinity where only finite numbers are allowed. */
export class NonFiniteError extends KilnError {
  constructor(message: string) {
    super('E_NONFINITE', message);
  }
}
/** An option or parameter outside its allowed values. */
export class ParamError extends KilnError {
  constructor(message: string) {
    super('E_PARAM', message);
  }
}
/** Fitted state read before `fit`. */
export class NotFittedError extends KilnError {
  constructor(what: string) {
    super('E_NOT_FITTED', `${what} is not fitted yet: call fit() before using it`);
  }
}
/** A backend name kiln does not know. */
export class UnknownBackendError extends KilnError {
  constructor(message: string) {
    super('E_UNKNOWN_BACKEND', message);
  }
}
/** A known backend that cannot run here (addon not built, no GPU adapter, ...). */
export class BackendUnavailableError extends KilnError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_BACKEND_UNAVAILABLE', message, options);
  }
}
/** A problem too large for a device limit that kiln cannot split around. */
export class BackendLimitError extends KilnError {
  constructor(message: string) {
    super('E_BACKEND_LIMIT', message);
  }
}
/** The GPU device was lost or ran out of memory; the backend re-initialises on next use. */
export class DeviceLostError extends KilnError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_DEVICE_LOST', message, options);
  }
}
/** A model file that is truncated, tampered with, or of an unknown format version. */
export class ModelFormatError extends KilnError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_MODEL_FORMAT', message, options);
  }
}
/** A data file (Parquet, CSV, …) that cannot be read as what it claims to be. */
export class DataFormatError extends KilnError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_DATA_FORMAT', message, options);
  }
}
/** A named thing that does not exist: a file, a registered model, a version or an alias. */
export class NotFoundError extends KilnError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_NOT_FOUND', message, options);
  }
}
/** A model-registry operation refused by the registry's rules (retired version, no version to roll back to, …). */
export class RegistryError extends KilnError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_REGISTRY', message, options);
  }
}
/** A file-system operation that failed (permissions, disk full, …); `cause` holds the system error. */
export class IoError extends KilnError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_IO', message, options);
  }
}

/** A benchmark gate failed: a metric slower than its baseline, or a required ratio between backends not met. */
export class BenchmarkGateError extends KilnError {
  constructor(message: string) {
    super('E_BENCH_GATE', message);
  }
}

/** A model (or a part of one) that a foreign format cannot express, e.g. a split ONNX has no operator for; the message names the part. */
export class UnsupportedError extends KilnError {
  constructor(message: string) {
    super('E_UNSUPPORTED', message);
  }
}

/** Too few observations for a statistic or test (after missing values are handled): the message names the argument and the minimum. */
export class SampleSizeError extends KilnError {
  constructor(message: string) {
    super('E_SAMPLE_SIZE', message);
  }
}

/** A worker running kiln's work elsewhere (a worker thread, a queue worker) crashed, exited or failed a task for good; the message names the task and the cause. */
export class WorkerError extends KilnError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_WORKER', message, options);
  }
}

const KNOWN_CODES = new Set<string>([
  'E_TRIAL_PRUNED',
  'E_SHAPE',
  'E_LENGTH',
  'E_EMPTY',
  'E_DTYPE',
  'E_NONFINITE',
  'E_PARAM',
  'E_NOT_FITTED',
  'E_UNKNOWN_BACKEND',
  'E_BACKEND_UNAVAILABLE',
  'E_BACKEND_LIMIT',
  'E_DEVICE_LOST',
  'E_ALLOC',
  'E_MODEL_FORMAT',
  'E_DATA_FORMAT',
  'E_NOT_FOUND',
  'E_REGISTRY',
  'E_IO',
  'E_BENCH_GATE',
  'E_UNSUPPORTED',
  'E_INTERNAL',
  'E_SAMPLE_SIZE',
  'E_WORKER',
]);

/** Turns an error thrown by the native binding (an Error with a `code`) into a KilnError. */
export function fromNativeError(err: unknown, context: string): KilnError {
  if (err instanceof KilnError) return err;
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' && KNOWN_CODES.has(e.code) ? (e.code as KilnErrorCode) : 'E_INTERNAL';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return new KilnError(code, `${context}: ${message}`, { cause: err });
}
