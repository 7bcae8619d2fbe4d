/**
 * Reference kernels in plain TypeScript: the oracle every other backend is tested
 * against, and the fallback when neither native nor webgpu can run. Written for
 * clarity and accuracy (f64 accumulation), not speed.
 */
import type { FloatArray } from '../core/matrix.js';
import type {
  Backend, BinaryOp, GramResult, KnnIndex, KnnMetric, KnnResult, LogisticResult, Operand, RawColumnStats, SgdEpochArgs, SgemmArgs, SvmArgs, UnaryOp, MlpData, MlpEpochArgs, MlpNetwork,
  HistBinSpec, HistLoss, HistPredictArgs,
} from './backend.js';
import { BackendLimitError } from '../core/errors.js';
import { bruteForce, rowNorms64 } from './knn-reference.js';
import { logisticLossGradRef, sgdEpochRef, svmDualCdRef, weightedGramRef } from './linear-reference.js';
import { mlpEpochRef, mlpForwardRef, mlpLossGradRef } from './mlp-reference.js';
import { histBinRef, histGradientsRef, histPredictRef } from './hist-reference.js';

export class JsBackend implements Backend {
  readonly name = 'js' as const;

  allocF32(length: number): Float32Array {
    return new Float32Array(length);
  }

  async sgemm(args: SgemmArgs): Promise<void> {
    this.sgemmSync(args);
  }

  sgemmSync({ transA, transB, m, n, k, alpha, a, b, beta, c }: SgemmArgs): void {
    const row = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * m + i] : a[i * k + p];
        if (transB) {
          for (let j = 0; j < n; j++) row[j] += aip * b[j * k + p];
        } else {
          const off = p * n;
          for (let j = 0; j < n; j++) row[j] += aip * b[off + j];
        }
      }
      const off = i * n;
      for (let j = 0; j < n; j++) c[off + j] = alpha * row[j] + (beta === 0 ? 0 : beta * c[off + j]);
    }
  }

  async columnStats(x: FloatArray, rows: number, cols: number): Promise<RawColumnStats> {
    return this.columnStatsSync(x, rows, cols);
  }

  columnStatsSync(x: FloatArray, rows: number, cols: number): RawColumnStats {
    const s: RawColumnStats = {
      count: new Float64Array(cols),
      nonFinite: new Float64Array(cols),
      sum: new Float64Array(cols),
      mean: new Float64Array(cols),
      m2: new Float64Array(cols),
      min: new Float64Array(cols).fill(Infinity),
      max: new Float64Array(cols).fill(-Infinity),
    };
    // Two passes per column: the sum for the mean, then squared deviations (exact-ish, the oracle).
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = x[r * cols + c];
        if (!Number.isFinite(v)) {
          s.nonFinite[c]++;
          continue;
        }
        s.count[c]++;
        s.sum[c] += v;
        if (v < s.min[c]) s.min[c] = v;
        if (v > s.max[c]) s.max[c] = v;
      }
    }
    for (let c = 0; c < cols; c++) s.mean[c] = s.count[c] > 0 ? s.sum[c] / s.count[c] : 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = x[r * cols + c];
        if (Number.isFinite(v)) s.m2[c] += (v - s.mean[c]) ** 2;
      }
    }
    return s;
  }

  async rowNorms(x: FloatArray, rows: number, cols: number, squared: boolean): Promise<Float64Array> {
    return this.rowNormsSync(x, rows, cols, squared);
  }

  rowNormsSync(x: FloatArray, rows: number, cols: number, squared: boolean): Float64Array {
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += x[r * cols + c] * x[r * cols + c];
      out[r] = squared ? s : Math.sqrt(s);
    }
    return out;
  }

  async binary(op: BinaryOp, a: Operand, b: Operand): Promise<Float32Array> {
    return this.binarySync(op, a, b);
  }

  binarySync(op: BinaryOp, a: Operand, b: Operand): Float32Array {
    const rows = Math.max(a.rows, b.rows), cols = Math.max(a.cols, b.cols);
    const out = new Float32Array(rows * cols);
    const f = BINARY[op];
    for (let r = 0; r < rows; r++) {
      const ar = a.rows === 1 ? 0 : r * a.cols, br = b.rows === 1 ? 0 : r * b.cols;
      for (let c = 0; c < cols; c++) {
        out[r * cols + c] = f(a.data[ar + (a.cols === 1 ? 0 : c)], b.data[br + (b.cols === 1 ? 0 : c)]);
      }
    }
    return out;
  }

  async unary(op: UnaryOp, x: Float32Array, p0: number, p1: number): Promise<Float32Array> {
    return this.unarySync(op, x, p0, p1);
  }

  unarySync(op: UnaryOp, x: Float32Array, p0: number, p1: number): Float32Array {
    const out = new Float32Array(x.length);
    const f = UNARY[op];
    for (let i = 0; i < x.length; i++) out[i] = f(x[i], Math.fround(p0), Math.fround(p1));
    return out;
  }

  async softmaxRows(x: Float32Array, rows: number, cols: number): Promise<Float32Array> {
    return this.softmaxRowsSync(x, rows, cols);
  }

  softmaxRowsSync(x: Float32Array, rows: number, cols: number): Float32Array {
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      let max = -Infinity;
      for (let c = 0; c < cols; c++) max = Math.max(max, x[r * cols + c]);
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += Math.exp(x[r * cols + c] - max);
      for (let c = 0; c < cols; c++) out[r * cols + c] = Math.exp(x[r * cols + c] - max) / sum;
    }
    return out;
  }

  async argmaxRows(x: Float32Array, rows: number, cols: number): Promise<Int32Array> {
    return this.argmaxRowsSync(x, rows, cols);
  }

  argmaxRowsSync(x: Float32Array, rows: number, cols: number): Int32Array {
    const out = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      let best = 0, bestV = x[r * cols];
      for (let c = 1; c < cols; c++) {
        const v = x[r * cols + c];
        // NaN never wins, unless the whole row is NaN (then 0)
        if (v > bestV || (Number.isNaN(bestV) && !Number.isNaN(v))) {
          bestV = v;
          best = c;
        }
      }
      out[r] = best;
    }
    return out;
  }

  async weightedGram(x: FloatArray, n: number, p: number, y: Float64Array | null, t: number, w: Float64Array | null,
                     center: boolean): Promise<GramResult> {
    return weightedGramRef(x, n, p, y, t, w, center);
  }

  async logisticLossGrad(x: FloatArray, n: number, p: number, y: Int32Array, classes: number, coef: Float64Array,
                         fitIntercept: boolean, w: Float64Array | null): Promise<LogisticResult> {
    return logisticLossGradRef(x, n, p, y, classes, coef, fitIntercept, w);
  }

  async sgdEpoch(args: SgdEpochArgs): Promise<void> {
    sgdEpochRef(args);
  }

  async svmDualCd(args: SvmArgs): Promise<void> {
    svmDualCdRef(args);
  }

  async affineColumns(x: FloatArray, rows: number, cols: number, shift: Float64Array, scale: Float64Array,
                      fill: Float64Array | null): Promise<Float64Array> {
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = x[r * cols + c];
        out[r * cols + c] = ((Number.isNaN(v) && fill ? fill[c] : v) - shift[c]) * scale[c];
      }
    }
    return out;
  }

  async mlpEpoch(args: MlpEpochArgs): Promise<number> {
    if (args.dropout > 0) throw new BackendLimitError("js backend: dropout is not implemented in the reference loop; use backend 'native'");
    return mlpEpochRef(args);
  }

  async mlpForward(net: MlpNetwork, x: Float32Array, n: number): Promise<Float32Array> {
    return mlpForwardRef(net, x, n);
  }

  mlpLossGrad(net: MlpNetwork, data: MlpData, alpha: number): { loss: number; grad: Float32Array } {
    return mlpLossGradRef(net, data, alpha);
  }

  async knnIndex(base: FloatArray, n: number, d: number, metric: KnnMetric): Promise<KnnIndex> {
    return { backend: 'js', base, n, d, metric, norms: rowNorms64(base, n, d), dispose() {} } as JsKnnIndex;
  }

  async knnSearch(index: KnnIndex, queries: FloatArray, nq: number, k: number, excludeSelf: boolean): Promise<KnnResult> {
    const ix = index as JsKnnIndex;
    return bruteForce({
      metric: ix.metric, base: ix.base, n: ix.n, d: ix.d, baseNorms: ix.norms,
      queries, queryNorms: rowNorms64(queries, nq, ix.d), k, excludeSelf,
    }, nq);
  }

  async histBin(x: FloatArray, n: number, p: number, spec: HistBinSpec): Promise<{ bins: Uint8Array; columns: null }> {
    return { bins: histBinRef(x, n, p, spec), columns: null };
  }

  async histGradients(loss: HistLoss, n: number, k: number, y: Float64Array, scores: Float64Array, w: Float64Array | null,
    huberDelta: number, gradHess: Float64Array): Promise<number> {
    return histGradientsRef(loss, n, k, y, scores, w, huberDelta, gradHess);
  }

  async histPredict(args: HistPredictArgs): Promise<void> {
    histPredictRef(args);
  }

  histPredictSync(args: HistPredictArgs): void {
    histPredictRef(args);
  }

}

interface JsKnnIndex extends KnnIndex {
  norms: Float64Array;
}

const BINARY: Record<BinaryOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
};

const UNARY: Record<UnaryOp, (x: number, p0: number, p1: number) => number> = {
  scale: (x, p0) => x * p0,
  clamp: (x, p0, p1) => (x < p0 ? p0 : x > p1 ? p1 : x),
  relu: (x) => (x < 0 ? 0 : x),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: (x) => Math.tanh(x),
};
