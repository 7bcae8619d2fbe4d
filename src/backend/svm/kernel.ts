/**
 * The four kernels of LIBSVM (linear, poly, rbf, sigmoid) over f64 rows, shared by the js solver
 * and the SVM models (prediction, Platt's held-out decisions). Training reads kernel rows in blocks (`rowInto`: dot products first, then the
 * kernel's map over the block); prediction (`crossInto`) takes RBF from the squared difference,
 * as LIBSVM's k_function does.
 */
import type { KernelSpec } from '../contract/svm.js';

/** LIBSVM's powi: an integer power by repeated squaring (the same rounding as LIBSVM's poly kernel). */
export function powi(base: number, times: number): number {
  let tmp = base,
    ret = 1;
  for (let t = times; t > 0; t = Math.floor(t / 2)) {
    if (t % 2 === 1) ret *= tmp;
    tmp *= tmp;
  }
  return ret;
}

/** Maps a dot product (and, for rbf, the two squared norms) to the kernel's value. */
function fromDot(s: KernelSpec, dot: number, sqA: number, sqB: number): number {
  switch (s.kernel) {
    case 'linear':
      return dot;
    case 'poly':
      return powi(s.gamma * dot + s.coef0, s.degree);
    case 'rbf':
      return Math.exp(-s.gamma * (sqA + sqB - 2 * dot));
    default:
      return Math.tanh(s.gamma * dot + s.coef0);
  }
}

/** The kernel over the rows of one row-major f64 matrix (the training rows). */
export class TrainKernel {
  private readonly sq: Float64Array;

  constructor(
    readonly X: Float64Array,
    readonly p: number,
    readonly spec: KernelSpec,
  ) {
    const n = X.length / p;
    this.sq = new Float64Array(n);
    for (let r = 0; r < n; r++) this.sq[r] = dotRows(X, r * p, X, r * p, p);
  }

  /** K(row a, row a). */
  diag(a: number): number {
    return fromDot(this.spec, this.sq[a], this.sq[a], this.sq[a]);
  }

  /** out[j] = K(row a, row cols[j]) for j in [from, to). */
  rowInto(a: number, cols: Int32Array, from: number, to: number, out: Float64Array): void {
    const { X, p, sq, spec } = this;
    const oa = a * p;
    for (let j = from; j < to; j++) out[j] = dotRows(X, oa, X, cols[j] * p, p);
    const g = spec.gamma,
      c0 = spec.coef0;
    switch (spec.kernel) {
      case 'linear':
        return;
      case 'rbf': {
        const sa = sq[a];
        for (let j = from; j < to; j++) out[j] = Math.exp(-g * (sa + sq[cols[j]] - 2 * out[j]));
        return;
      }
      case 'poly':
        for (let j = from; j < to; j++) out[j] = powi(g * out[j] + c0, spec.degree);
        return;
      default:
        for (let j = from; j < to; j++) out[j] = Math.tanh(g * out[j] + c0);
    }
  }
}

function dotRows(A: Float64Array, oa: number, B: Float64Array, ob: number, p: number): number {
  let s = 0;
  for (let k = 0; k < p; k++) s += A[oa + k] * B[ob + k];
  return s;
}

/** out[r·m + s] = K(Q row r, V row s): the kernel between query rows and m support vectors. */
export function crossInto(spec: KernelSpec, Q: ArrayLike<number>, rows: number, V: Float64Array, m: number, p: number, out: Float64Array): void {
  const g = spec.gamma;
  const q = new Float64Array(p);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < p; k++) q[k] = Q[r * p + k];
    const o = r * m;
    if (spec.kernel === 'rbf') {
      for (let s = 0; s < m; s++) {
        let d2 = 0;
        for (let k = 0, ov = s * p; k < p; k++) {
          const d = q[k] - V[ov + k];
          d2 += d * d;
        }
        out[o + s] = Math.exp(-g * d2);
      }
    } else {
      for (let s = 0; s < m; s++) out[o + s] = fromDot(spec, dotRows(q, 0, V, s * p, p), 0, 0);
    }
  }
}
