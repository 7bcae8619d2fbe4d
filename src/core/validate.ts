/** Boundary checks shared by every public entry point. */
import { EmptyInputError, NonFiniteError, ParamError } from './errors.js';
import type { FloatArray, Matrix } from './matrix.js';

export function requireNonEmpty(m: Matrix, argName: string): void {
  if (m.rows === 0 || m.cols === 0) {
    throw new EmptyInputError(`${argName} is empty (${m.rows} × ${m.cols}); it needs at least one row and one column`);
  }
}

type Scanner = (data: FloatArray) => number;
let acceleratedScan: Scanner | undefined;

/**
 * Lets a backend supply a faster scan for firstNonFinite (the native backend
 * registers its vectorised one when it loads); core itself depends on no backend.
 */
export function setNonFiniteScanner(scan: Scanner | undefined): void {
  acceleratedScan = scan;
}

/** Arrays shorter than this are scanned in JS: a native call costs more. */
const ACCELERATE_FROM = 4096;

/** Index of the first NaN or ±Infinity, or -1. */
export function firstNonFinite(data: FloatArray): number {
  if (acceleratedScan && data.length >= ACCELERATE_FROM) return acceleratedScan(data);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is NaN exactly for NaN and ±Infinity
    if (v - v !== 0) return i;
  }
  return -1;
}

export function requireFinite(m: Matrix, argName: string): void {
  const i = firstNonFinite(m.data);
  if (i >= 0) {
    const r = Math.floor(i / m.cols),
      c = i % m.cols;
    throw new NonFiniteError(
      `${argName} has a non-finite value (${m.data[i]}) at row ${r}, column ${c}; ` + 'impute or drop missing values first (e.g. SimpleImputer)',
    );
  }
}

/** Rejects option keys the callee does not know (a typo would otherwise be silently ignored). */
export function checkOptions(opts: object | undefined, allowed: readonly string[], fn: string): void {
  if (opts === undefined) return;
  if (opts === null || typeof opts !== 'object') {
    throw new ParamError(`${fn}: options must be an object, got ${opts === null ? 'null' : typeof opts}`);
  }
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      throw new ParamError(`${fn}: unknown option '${key}'; known options are ${allowed.join(', ')}`);
    }
  }
}

/**
 * The `signal` option: undefined or an AbortSignal. An already-aborted signal throws its
 * reason (an AbortError DOMException unless the caller gave one) before any work starts.
 */
export function checkSignal(signal: unknown, fn: string): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (!(signal instanceof AbortSignal)) {
    throw new ParamError(
      `${fn}: signal must be an AbortSignal (e.g. new AbortController().signal or AbortSignal.timeout(ms)), got ${signal === null ? 'null' : typeof signal}`,
    );
  }
  signal.throwIfAborted();
  return signal;
}

/** A finite number option, or its default when undefined. */
export function finiteOption(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new ParamError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isFinite(value)) throw new NonFiniteError(`${name} must be finite, got ${value}`);
  return value;
}

/** A boolean option, or false when undefined. */
export function boolOption(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new ParamError(`${name} must be a boolean, got ${typeof value}`);
  return value;
}
