/**
 * The arrays a split cuts: their common row count, and their rows taken at given
 * indices in the same container type (Matrix in → Matrix out), so splits stay aligned.
 */
import { DTypeError, LengthError, ParamError } from '../../core/errors.js';
import { Matrix, describeValue } from '../../core/matrix.js';

type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** Anything with rows: a Matrix, nested arrays, a typed array, or a plain array. */
export type Splittable = Matrix | TypedArray | readonly unknown[];

/** What taking rows of T gives back: the same kind of container. */
export type Taken<T> = T extends Matrix<infer D> ? Matrix<D> : T extends TypedArray ? T : T extends readonly (infer E)[] ? E[] : never;

/** Row count of one array, or a DTypeError for something that has no rows. */
export function rowCount(a: unknown, name: string): number {
  if (a instanceof Matrix) return a.rows;
  if (Array.isArray(a) || (ArrayBuffer.isView(a) && !(a instanceof DataView))) return (a as ArrayLike<unknown>).length;
  throw new DTypeError(`${name} must be a Matrix, number[][], typed array or array, got ${describeValue(a)}`);
}

/** The row count all arrays share; E_LENGTH naming the first one that differs. */
export function commonRows(arrays: readonly unknown[], fn: string): number {
  if (arrays.length === 0) throw new ParamError(`${fn}: at least one array is required, e.g. ${fn}(X, y)`);
  const n = rowCount(arrays[0], `${fn}: array 0`);
  for (let i = 1; i < arrays.length; i++) {
    const m = rowCount(arrays[i], `${fn}: array ${i}`);
    if (m !== n) {
      throw new LengthError(`${fn}: array ${i} has ${m} rows but array 0 has ${n}; every array needs one entry per sample`);
    }
  }
  return n;
}

/** Rows of `a` at `idx`, in that order. Plain arrays are taken shallowly (as scikit-learn does). */
export function takeRows<T extends Splittable>(a: T, idx: Int32Array): Taken<T> {
  if (a instanceof Matrix) return a.takeRows(idx) as Taken<T>;
  if (ArrayBuffer.isView(a)) {
    const src = a as unknown as { [i: number]: unknown; constructor: new (n: number) => { [i: number]: unknown } };
    const out = new src.constructor(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = src[idx[i]];
    return out as Taken<T>;
  }
  const src = a as readonly unknown[];
  const out: unknown[] = []; // pushed, not preallocated: a packed array, faster for every reader than a holey one
  for (let i = 0; i < idx.length; i++) out.push(src[idx[i]]);
  return out as Taken<T>;
}
