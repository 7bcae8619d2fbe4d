/** Regression targets: a 1-D array of numbers, or a matrix with one column per output. */
import { DTypeError, NonFiniteError, ShapeError } from '../../core/errors.js';
import { describeValue, Matrix, toMatrix, type MatrixLike } from '../../core/matrix.js';

export type RegressionTarget = ArrayLike<number> | MatrixLike;

export interface Target {
  /** rows × outputs, row-major, f64. */
  y: Float64Array;
  outputs: number;
  /** Given as a 1-D array (predictions then come back 1-D). */
  oneD: boolean;
}

export function readTarget(y: RegressionTarget, name: string): Target {
  const first = (y as ArrayLike<unknown>)[0];
  const twoD = y instanceof Matrix || Array.isArray(first);
  let data: Float64Array,
    outputs = 1;
  if (twoD) {
    const m = toMatrix(y as MatrixLike, name);
    data = Float64Array.from(m.data);
    outputs = m.cols;
  } else {
    if (typeof (y as ArrayLike<number>).length !== 'number') throw new DTypeError(`${name} must be an array of numbers or a matrix`);
    data = Float64Array.from(y as ArrayLike<number>);
    for (let i = 0; i < data.length; i++) {
      if (typeof (y as ArrayLike<unknown>)[i] !== 'number') throw new DTypeError(`${name}[${i}] is not a number`);
    }
  }
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new NonFiniteError(`${name} has a non-finite value (${data[bad]}) at position ${bad}`);
  return { y: data, outputs, oneD: !twoD };
}

/** Sample weights: finite, non-negative, one per row, not all zero; null when not given. */
export function readSampleWeight(w: ArrayLike<number> | undefined, rows: number, name: string): Float64Array | null {
  if (w === undefined) return null;
  if (typeof (w as ArrayLike<number>).length !== 'number') throw new DTypeError(`${name} must be an array of numbers`);
  if (w.length !== rows) throw new ShapeError(`${name} has ${w.length} weights but X has ${rows} rows`);
  if (w instanceof BigInt64Array || w instanceof BigUint64Array) throw new DTypeError(`${name} is a ${w.constructor.name}; weights must be numbers`);
  if (!ArrayBuffer.isView(w)) {
    // Float64Array.from would turn '1' or true into 1: a weight must already be a number
    for (let i = 0; i < w.length; i++) {
      if (typeof w[i] !== 'number') throw new DTypeError(`${name}[${i}] is ${describeValue(w[i])}; weights must be numbers (convert strings with Number())`);
    }
  }
  const out = Float64Array.from(w);
  let total = 0;
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]) || out[i] < 0) throw new NonFiniteError(`${name}[${i}] is ${out[i]}; weights must be finite and >= 0`);
    total += out[i];
  }
  if (!(total > 0)) throw new NonFiniteError(`${name} sums to 0; at least one sample needs a positive weight`);
  return out;
}

/** A matrix from row-major values with `outputs` columns (1-D when the target was). */
export function shapeOutput(values: Float64Array, rows: number, outputs: number, oneD: boolean): Float64Array | Matrix<Float64Array> {
  return oneD ? values : new Matrix(values, rows, outputs);
}
