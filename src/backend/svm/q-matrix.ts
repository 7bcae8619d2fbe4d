/**
 * LIBSVM's Q matrices: Q[i][j] = y_i y_j K(x_i, x_j) for classification (SVC_Q; ONE_CLASS_Q with
 * every y = +1) and the 2l × 2l signed kernel of regression (SVR_Q). Rows come from the kernel
 * row cache; the solver permutes indices through `swapIndex` while it shrinks.
 */
import { KernelCache } from './cache.js';
import type { TrainKernel } from './kernel.js';

export interface QMatrix {
  /** Row i of Q, valid for columns [0, len): f32 values as LIBSVM keeps them. */
  getQ(i: number, len: number): Float32Array;
  /** The diagonal, in the solver's current order. */
  readonly QD: Float64Array;
  swapIndex(i: number, j: number): void;
}

/** SVC_Q / ONE_CLASS_Q over the training rows `rows` (row of X per problem index) and labels y (null: all +1). */
export class ClassQ implements QMatrix {
  readonly QD: Float64Array;
  private readonly idx: Int32Array;
  private readonly y: Int8Array | null;
  private readonly cache: KernelCache;
  private readonly buf: Float64Array;

  constructor(
    private readonly kernel: TrainKernel,
    rows: Int32Array,
    y: Int8Array | null,
    cacheBytes: number,
  ) {
    const l = rows.length;
    this.idx = Int32Array.from(rows);
    this.y = y ? Int8Array.from(y) : null;
    this.cache = new KernelCache(l, cacheBytes);
    this.buf = new Float64Array(l);
    this.QD = new Float64Array(l);
    for (let i = 0; i < l; i++) this.QD[i] = kernel.diag(rows[i]);
  }

  getQ(i: number, len: number): Float32Array {
    const start = this.cache.getData(i, len);
    const row = this.cache.row(i);
    if (start < len) {
      const { buf, y } = this;
      this.kernel.rowInto(this.idx[i], this.idx, start, len, buf);
      if (y) {
        const yi = y[i];
        for (let j = start; j < len; j++) row[j] = yi * y[j] * buf[j];
      } else for (let j = start; j < len; j++) row[j] = buf[j];
    }
    return row;
  }

  swapIndex(i: number, j: number): void {
    this.cache.swapIndex(i, j);
    const { idx, y, QD } = this;
    let t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
    if (y) {
      t = y[i];
      y[i] = y[j];
      y[j] = t;
    }
    const d = QD[i];
    QD[i] = QD[j];
    QD[j] = d;
  }
}

/** SVR_Q: index k < l is α_k (sign +1), k + l is α*_k (sign −1); both read row k of the kernel. */
export class RegressionQ implements QMatrix {
  readonly QD: Float64Array;
  private readonly sign: Int8Array;
  private readonly index: Int32Array;
  private readonly cache: KernelCache;
  private readonly rows: Int32Array;
  private readonly tmp: Float64Array;
  private readonly buffers: [Float32Array, Float32Array];
  private nextBuffer = 0;

  constructor(
    private readonly kernel: TrainKernel,
    rows: Int32Array,
    cacheBytes: number,
  ) {
    const l = rows.length;
    this.rows = rows;
    this.cache = new KernelCache(l, cacheBytes);
    this.QD = new Float64Array(2 * l);
    this.sign = new Int8Array(2 * l);
    this.index = new Int32Array(2 * l);
    for (let k = 0; k < l; k++) {
      this.sign[k] = 1;
      this.sign[k + l] = -1;
      this.index[k] = this.index[k + l] = k;
      this.QD[k] = this.QD[k + l] = kernel.diag(rows[k]);
    }
    this.tmp = new Float64Array(l);
    this.buffers = [new Float32Array(2 * l), new Float32Array(2 * l)];
  }

  getQ(i: number, len: number): Float32Array {
    const l = this.rows.length,
      real = this.index[i];
    if (this.cache.getData(real, l) < l) {
      const row = this.cache.row(real);
      this.kernel.rowInto(this.rows[real], this.rows, 0, l, this.tmp);
      for (let j = 0; j < l; j++) row[j] = this.tmp[j];
    }
    const data = this.cache.row(real);
    // two buffers: the solver holds Q_i and Q_j at once
    const buf = this.buffers[this.nextBuffer];
    this.nextBuffer = 1 - this.nextBuffer;
    const si = this.sign[i],
      { sign, index } = this;
    for (let j = 0; j < len; j++) buf[j] = si * sign[j] * data[index[j]];
    return buf;
  }

  swapIndex(i: number, j: number): void {
    const { sign, index, QD } = this;
    let t = sign[i];
    sign[i] = sign[j];
    sign[j] = t;
    t = index[i];
    index[i] = index[j];
    index[j] = t;
    const d = QD[i];
    QD[i] = QD[j];
    QD[j] = d;
  }
}
