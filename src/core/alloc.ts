/**
 * Array sizes that come from arguments (shapes, hyperparameters) are checked here
 * before anything is allocated: a size too large for one typed array, or one the
 * host cannot provide, is a KilnError `E_ALLOC` naming the argument, never a
 * RangeError from the engine.
 */
import { KilnError } from './errors.js';

/** The most elements of one typed array V8 allows (2^32 on 64-bit hosts). */
export const MAX_ARRAY_ELEMENTS = 2 ** 32;

/** The most columns a transformer creates (PolynomialFeatures terms, KBinsDiscretizer bins). */
export const MAX_GENERATED_COLUMNS = 2 ** 20;

/** A size that cannot be allocated: too large for one array, or out of memory. */
export class AllocError extends KilnError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_ALLOC', message, options);
  }
}

type TypedArrayCtor<T> = new (length: number) => T;

/**
 * The product of `factors` (a count of elements) when it fits one typed array; else an
 * AllocError naming `what` (the argument that asked for it) and `fix`.
 */
export function checkedCount(what: string, factors: readonly number[], fix: string): number {
  const n = factors.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(n) || n > MAX_ARRAY_ELEMENTS) {
    throw new AllocError(
      `${what} needs ${factors.join(' × ')} = ${n.toExponential(3)} elements, more than one array can hold ` +
        `(${MAX_ARRAY_ELEMENTS.toLocaleString('en-US')}); ${fix}`,
    );
  }
  return n;
}

/** A new zeroed typed array of checkedCount(what, factors, fix) elements; out of memory is E_ALLOC too. */
export function allocArray<T>(ctor: TypedArrayCtor<T>, what: string, factors: readonly number[], fix: string): T {
  const n = checkedCount(what, factors, fix);
  try {
    return new ctor(n);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new AllocError(`${what}: out of memory allocating ${n.toLocaleString('en-US')} elements; ${fix}`, { cause: e });
  }
}
