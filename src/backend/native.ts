/**
 * The native backend: the C++ addon, loaded from one place (addon-loader.ts).
 * When it cannot be loaded, the error lists every place tried and how to fix it,
 * and kiln carries on with the other backends.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendUnavailableError, fromNativeError } from '../core/errors.js';
import { findAddon } from './addon-loader.js';
import { setNonFiniteScanner } from '../core/validate.js';
import type { FloatArray } from '../core/matrix.js';
import {
  BINARY_OPS, STATS_FIELDS, UNARY_OPS, unpackStats,
  KNN_METRICS, type Backend, type BinaryOp, type GramResult, type KnnIndex, type KnnMetric, type KnnResult,
  type LogisticResult, type Operand, SGD_LOSSES, SGD_RATES, type SgdEpochArgs, type SvmArgs, MLP_ACTIVATIONS, type MlpData, type MlpEpochArgs,
  type MlpNetwork,
  type RawColumnStats, type SgemmArgs, type UnaryOp,
  HIST_LOSSES, type HistBinSpec, type HistForest, type HistGrowArgs, type HistLoss, type HistPredictArgs,
} from './backend.js';

interface NativeKnnIndex extends KnnIndex {
  budgetBytes: number;
  prepared?: { packed: Float32Array; sqnorm: Float32Array; norms: Float64Array };
}

/** The addon's exports (native/binding/addon.cc). Each kernel has a Promise form and a Sync form. */
export interface NativeAddon {
  info(): {
    simd: 'avx512' | 'avx2' | 'scalar'; gemmKernel: string; avx2Fma: boolean; avx512: boolean; threads: number;
    mallocTuned: boolean;
  };
  setThreads(n: number): number;
  /** zeroed = false: contents undefined, for outputs a kernel overwrites entirely. */
  allocFloat32(n: number, zeroed: boolean): Float32Array;
  firstNonFiniteSync(x: FloatArray): number;
  sgemm(ta: boolean, tb: boolean, m: number, n: number, k: number, alpha: number,
        a: Float32Array, b: Float32Array, beta: number, c: Float32Array): Promise<void>;
  sgemmSync(ta: boolean, tb: boolean, m: number, n: number, k: number, alpha: number,
            a: Float32Array, b: Float32Array, beta: number, c: Float32Array): void;
  columnStats(x: FloatArray, rows: number, cols: number, out: Float64Array): Promise<void>;
  columnStatsSync(x: FloatArray, rows: number, cols: number, out: Float64Array): void;
  rowNorms(x: FloatArray, rows: number, cols: number, squared: boolean, out: Float64Array): Promise<void>;
  rowNormsSync(x: FloatArray, rows: number, cols: number, squared: boolean, out: Float64Array): void;
  binary(op: number, a: Float32Array, ar: number, ac: number, b: Float32Array, br: number, bc: number, out: Float32Array): Promise<void>;
  binarySync(op: number, a: Float32Array, ar: number, ac: number, b: Float32Array, br: number, bc: number, out: Float32Array): void;
  unary(op: number, x: Float32Array, out: Float32Array, p0: number, p1: number): Promise<void>;
  unarySync(op: number, x: Float32Array, out: Float32Array, p0: number, p1: number): void;
  softmaxRows(x: Float32Array, rows: number, cols: number, out: Float32Array): Promise<void>;
  softmaxRowsSync(x: Float32Array, rows: number, cols: number, out: Float32Array): void;
  argmaxRows(x: Float32Array, rows: number, cols: number, out: Int32Array): Promise<void>;
  argmaxRowsSync(x: Float32Array, rows: number, cols: number, out: Int32Array): void;
  knnLayoutSync(n: number, d: number): { packedFloats: number; paddedPoints: number };
  weightedGram(x: FloatArray, n: number, p: number, y: Float64Array | null, t: number, w: Float64Array | null,
               center: boolean, xMean: Float64Array, yMean: Float64Array, gram: Float64Array, xty: Float64Array,
               wSum: Float64Array): Promise<void>;
  weightedGramSync(...args: Parameters<NativeAddon['weightedGram']>): void;
  logisticLossGrad(x: FloatArray, n: number, p: number, y: Int32Array, classes: number, coef: Float64Array,
                   fitIntercept: boolean, w: Float64Array | null, grad: Float64Array, loss: Float64Array): Promise<void>;
  logisticLossGradSync(...args: Parameters<NativeAddon['logisticLossGrad']>): void;
  sgdEpoch(x: FloatArray, n: number, p: number, y: Float64Array, models: number, order: Int32Array, w: Float64Array | null,
           loss: number, epsilon: number, alpha: number, l1Ratio: number, rate: number, eta0: number, powerT: number,
           optimalInit: number, fitIntercept: boolean, coef: Float64Array, t: Float64Array, lossSum: Float64Array): Promise<void>;
  sgdEpochSync(...args: Parameters<NativeAddon['sgdEpoch']>): void;
  svmDualCd(x: FloatArray, n: number, p: number, y: Float64Array, models: number, squaredHinge: boolean, C: number,
            interceptScaling: number, maxIter: number, tol: number, seed: number, coef: Float64Array,
            iterations: Int32Array): Promise<void>;
  svmDualCdSync(...args: Parameters<NativeAddon['svmDualCd']>): void;
  mlpEpoch(sizes: Int32Array, hidden: number, output: number, params: Float32Array, x: Float32Array, n: number,
           labels: Int32Array | null, targets: Float32Array | null, order: Int32Array, batch: number, dropout: number,
           seed: number, solver: number, lr: number, alpha: number, weightDecay: number, momentum: number,
           nesterov: boolean, beta1: number, beta2: number, eps: number, m: Float32Array, v: Float32Array,
           step: Float64Array, loss: Float64Array, weights: Float32Array | null): Promise<void>;
  mlpEpochSync(...args: Parameters<NativeAddon['mlpEpoch']>): void;
  mlpLossGradSync(sizes: Int32Array, hidden: number, output: number, params: Float32Array, x: Float32Array, n: number,
                  labels: Int32Array | null, targets: Float32Array | null, alpha: number, grad: Float32Array,
                  loss: Float64Array, weights: Float32Array | null): void;
  mlpForward(sizes: Int32Array, hidden: number, output: number, params: Float32Array, x: Float32Array, n: number,
             out: Float32Array): Promise<void>;
  mlpForwardSync(...args: Parameters<NativeAddon['mlpForward']>): void;
  affineColumns(x: FloatArray, rows: number, cols: number, shift: Float64Array, scale: Float64Array,
                fill: Float64Array | null, out: Float64Array): Promise<void>;
  affineColumnsSync(...args: Parameters<NativeAddon['affineColumns']>): void;
  knnPrepare(base: FloatArray, n: number, d: number, metric: number, packed: Float32Array, sqnorm: Float32Array,
             norms: Float64Array): Promise<void>;
  knnSearch(base: FloatArray, n: number, d: number, queries: FloatArray, nq: number, k: number, metric: number,
            excludeSelf: boolean, budgetBytes: number, distances: Float64Array, indices: Int32Array,
            packed?: Float32Array, sqnorm?: Float32Array, norms?: Float64Array): Promise<void>;
  knnSearchSync(base: FloatArray, n: number, d: number, queries: FloatArray, nq: number, k: number, metric: number,
                excludeSelf: boolean, budgetBytes: number, distances: Float64Array, indices: Int32Array,
                packed?: Float32Array, sqnorm?: Float32Array, norms?: Float64Array): void;
  histBin(x: FloatArray, n: number, p: number, edges: Float64Array, edgeOffset: Int32Array, categorical: Uint8Array,
          catTable: Uint8Array, catOffset: Int32Array, out: Uint8Array, outColumns: Uint8Array | null): Promise<void>;
  histBinSync(...args: Parameters<NativeAddon['histBin']>): void;
  histGrow(args: HistGrowArgs): Promise<void>;
  histGrowSync(args: HistGrowArgs): void;
  histGradients(loss: number, n: number, k: number, y: Float64Array, scores: Float64Array, w: Float64Array | null,
                huberDelta: number, gradHess: Float64Array, lossSum: Float64Array): Promise<void>;
  histGradientsSync(...args: Parameters<NativeAddon['histGradients']>): void;
  histPredict(x: FloatArray, n: number, p: number, forest: HistForest, treeBegin: number, treeEnd: number,
              out: Float64Array | null, outCols: number, leafIndex: Int32Array | null): Promise<void>;
  histPredictSync(...args: Parameters<NativeAddon['histPredict']>): void;
  histForestPrepare(forest: HistForest, p: number, outCols: number): object;
  histForestPredictSync(handle: object, x: FloatArray, n: number, out: Float64Array): void;
  histQuantizeSync(gradHess: Float64Array, n: number, rows: Int32Array | null, seed: number, out: Int32Array, info: Float64Array): void;
}

/**
 * Outputs from this size on come from the native allocator: huge pages, and freed
 * blocks reused (native/runtime/large_alloc.h), because faulting in fresh pages
 * costs more than the kernels that fill them. Smaller outputs stay in V8's memory:
 * native blocks return to the cache only when Node runs their finalizers on a later
 * event-loop turn, which a tight loop of inline calls never reaches.
 */
const NATIVE_OUTPUT_BYTES = 4 << 20;

/** Forests prepared for synchronous prediction, by their packed node array (freed with it). */
const preparedForests = new WeakMap<Float64Array, { handle: object; p: number; outCols: number }>();

/**
 * Work below these sizes runs inline on the calling thread (still on the native
 * pool): the hop to a libuv worker and back costs 50-80 µs, a quarter of such a
 * kernel, while the thread is blocked for at most ~0.3 ms.
 */
const INLINE_MAX_FLOPS = 2 ** 26; // e.g. 256 × 784 · 784 × 128 (≈ 0.3 ms on one core)
const INLINE_MAX_ELEMENTS = 2 ** 18;

// src/backend/native.ts and dist/backend/native.js both sit two levels below the package root.
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let loaded: { addon: NativeAddon } | { error: string } | undefined;

/** Loads the addon once (addon-loader.ts says from where); returns it, or the reason it could not be loaded. */
export function loadNativeAddon(): { addon: NativeAddon } | { error: string } {
  if (loaded) return loaded;
  const r = findAddon<NativeAddon>({ packageRoot, overridePath: process.env.KILN_NATIVE_PATH || undefined });
  if ('addon' in r) {
    const addon = r.addon;
    setNonFiniteScanner((x) => addon.firstNonFiniteSync(x));
    loaded = { addon };
  } else {
    loaded = r;
  }
  return loaded;
}

export function nativeAddon(): NativeAddon {
  const r = loadNativeAddon();
  if ('error' in r) throw new BackendUnavailableError(r.error);
  return r.addon;
}

export class NativeBackend implements Backend {
  readonly name = 'native' as const;
  constructor(readonly addon: NativeAddon) {}

  private externalAllowed = true;

  allocF32(length: number, opts: { overwritten?: boolean } = {}): Float32Array {
    if (length * 4 >= NATIVE_OUTPUT_BYTES && this.externalAllowed) {
      try {
        return this.addon.allocFloat32(length, !opts.overwritten);
      } catch (e) {
        if ((e as { code?: string }).code === 'E_ALLOC') throw fromNativeError(e, 'native allocFloat32');
        this.externalAllowed = false; // e.g. Electron forbids external buffers: use JS memory from now on
      }
    }
    if (opts.overwritten && length >= 4096) {
      // Skips the zero fill (~5% of a 256³ sgemm): the kernel writes every element.
      const b = Buffer.allocUnsafeSlow(length * 4);
      return new Float32Array(b.buffer, b.byteOffset, length);
    }
    return new Float32Array(length);
  }

  describe(): string {
    const i = this.addon.info();
    return `C++ ${i.simd} kernels (sgemm ${i.gemmKernel}), ${i.threads} thread${i.threads === 1 ? '' : 's'}`;
  }

  async sgemm(g: SgemmArgs): Promise<void> {
    if (2 * g.m * g.n * g.k <= INLINE_MAX_FLOPS) return this.sgemmSync(g);
    await this.run('sgemm', () => this.addon.sgemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.b, g.beta, g.c));
  }
  sgemmSync(g: SgemmArgs): void {
    this.run('sgemm', () => this.addon.sgemmSync(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.b, g.beta, g.c));
  }

  async columnStats(x: FloatArray, rows: number, cols: number): Promise<RawColumnStats> {
    if (x.length <= INLINE_MAX_ELEMENTS) return this.columnStatsSync(x, rows, cols);
    const out = new Float64Array(STATS_FIELDS.length * cols);
    await this.run('columnStats', () => this.addon.columnStats(x, rows, cols, out));
    return unpackStats(out, cols);
  }
  columnStatsSync(x: FloatArray, rows: number, cols: number): RawColumnStats {
    const out = new Float64Array(STATS_FIELDS.length * cols);
    this.run('columnStats', () => this.addon.columnStatsSync(x, rows, cols, out));
    return unpackStats(out, cols);
  }

  async rowNorms(x: FloatArray, rows: number, cols: number, squared: boolean): Promise<Float64Array> {
    if (x.length <= INLINE_MAX_ELEMENTS) return this.rowNormsSync(x, rows, cols, squared);
    const out = new Float64Array(rows);
    await this.run('rowNorms', () => this.addon.rowNorms(x, rows, cols, squared, out));
    return out;
  }
  rowNormsSync(x: FloatArray, rows: number, cols: number, squared: boolean): Float64Array {
    const out = new Float64Array(rows);
    this.run('rowNorms', () => this.addon.rowNormsSync(x, rows, cols, squared, out));
    return out;
  }

  async binary(op: BinaryOp, a: Operand, b: Operand): Promise<Float32Array> {
    if (Math.max(a.rows, b.rows) * Math.max(a.cols, b.cols) <= INLINE_MAX_ELEMENTS) return this.binarySync(op, a, b);
    const out = this.allocF32(Math.max(a.rows, b.rows) * Math.max(a.cols, b.cols), { overwritten: true });
    const code = BINARY_OPS.indexOf(op);
    await this.run('binary', () => this.addon.binary(code, a.data, a.rows, a.cols, b.data, b.rows, b.cols, out));
    return out;
  }
  binarySync(op: BinaryOp, a: Operand, b: Operand): Float32Array {
    const out = this.allocF32(Math.max(a.rows, b.rows) * Math.max(a.cols, b.cols), { overwritten: true });
    const code = BINARY_OPS.indexOf(op);
    this.run('binary', () => this.addon.binarySync(code, a.data, a.rows, a.cols, b.data, b.rows, b.cols, out));
    return out;
  }

  async unary(op: UnaryOp, x: Float32Array, p0: number, p1: number): Promise<Float32Array> {
    if (x.length <= INLINE_MAX_ELEMENTS) return this.unarySync(op, x, p0, p1);
    const out = this.allocF32(x.length, { overwritten: true });
    await this.run('unary', () => this.addon.unary(UNARY_OPS.indexOf(op), x, out, p0, p1));
    return out;
  }
  unarySync(op: UnaryOp, x: Float32Array, p0: number, p1: number): Float32Array {
    const out = this.allocF32(x.length, { overwritten: true });
    this.run('unary', () => this.addon.unarySync(UNARY_OPS.indexOf(op), x, out, p0, p1));
    return out;
  }

  async softmaxRows(x: Float32Array, rows: number, cols: number): Promise<Float32Array> {
    if (x.length <= INLINE_MAX_ELEMENTS) return this.softmaxRowsSync(x, rows, cols);
    const out = this.allocF32(rows * cols, { overwritten: true });
    await this.run('softmaxRows', () => this.addon.softmaxRows(x, rows, cols, out));
    return out;
  }
  softmaxRowsSync(x: Float32Array, rows: number, cols: number): Float32Array {
    const out = this.allocF32(rows * cols, { overwritten: true });
    this.run('softmaxRows', () => this.addon.softmaxRowsSync(x, rows, cols, out));
    return out;
  }

  async argmaxRows(x: Float32Array, rows: number, cols: number): Promise<Int32Array> {
    if (x.length <= INLINE_MAX_ELEMENTS) return this.argmaxRowsSync(x, rows, cols);
    const out = new Int32Array(rows);
    await this.run('argmaxRows', () => this.addon.argmaxRows(x, rows, cols, out));
    return out;
  }
  argmaxRowsSync(x: Float32Array, rows: number, cols: number): Int32Array {
    const out = new Int32Array(rows);
    this.run('argmaxRows', () => this.addon.argmaxRowsSync(x, rows, cols, out));
    return out;
  }

  /**
   * A base that fits the memory budget is packed once here (panels for the GEMM
   * tiles, norms) and reused by every search; a larger one is packed chunk by chunk
   * within the budget at each search.
   */
  async knnIndex(base: FloatArray, n: number, d: number, metric: KnnMetric, budgetBytes: number): Promise<KnnIndex> {
    const index: NativeKnnIndex = { backend: 'native', base, n, d, metric, budgetBytes, dispose() {} };
    const layout = this.addon.knnLayoutSync(n, d);
    const bytes = layout.packedFloats * 4 + layout.paddedPoints * 4 + n * 8;
    if (metric !== 'manhattan' && bytes <= budgetBytes) {
      const packed = this.allocF32(layout.packedFloats, { overwritten: true });
      const sqnorm = new Float32Array(layout.paddedPoints);
      const norms = new Float64Array(n);
      await this.run('knnPrepare', () => this.addon.knnPrepare(base, n, d, KNN_METRICS.indexOf(metric), packed, sqnorm, norms));
      index.prepared = { packed, sqnorm, norms };
    }
    return index;
  }

  async knnSearch(index: KnnIndex, queries: FloatArray, nq: number, k: number, excludeSelf: boolean): Promise<KnnResult> {
    const ix = index as NativeKnnIndex;
    const distances = new Float64Array(nq * k), indices = new Int32Array(nq * k);
    const p = ix.prepared;
    const args = [ix.base, ix.n, ix.d, queries, nq, k, KNN_METRICS.indexOf(ix.metric), excludeSelf, ix.budgetBytes,
      distances, indices, p?.packed, p?.sqnorm, p?.norms] as const;
    if (2 * nq * ix.n * ix.d <= INLINE_MAX_FLOPS) this.run('knnSearch', () => this.addon.knnSearchSync(...args));
    else await this.run('knnSearch', () => this.addon.knnSearch(...args));
    return { distances, indices };
  }

  async weightedGram(x: FloatArray, n: number, p: number, y: Float64Array | null, t: number, w: Float64Array | null,
                     center: boolean): Promise<GramResult> {
    const xMean = new Float64Array(p), yMean = new Float64Array(t), gram = new Float64Array(p * p);
    const xty = new Float64Array(p * t), wSum = new Float64Array(1);
    const args = [x, n, p, y, t, w, center, xMean, yMean, gram, xty, wSum] as const;
    if (n * p * p <= INLINE_MAX_FLOPS) this.run('weightedGram', () => this.addon.weightedGramSync(...args));
    else await this.run('weightedGram', () => this.addon.weightedGram(...args));
    return { xMean, yMean, gram, xty, wSum: wSum[0] };
  }

  async logisticLossGrad(x: FloatArray, n: number, p: number, y: Int32Array, classes: number, coef: Float64Array,
                         fitIntercept: boolean, w: Float64Array | null): Promise<LogisticResult> {
    const grad = new Float64Array(coef.length), loss = new Float64Array(1);
    const args = [x, n, p, y, classes, coef, fitIntercept, w, grad, loss] as const;
    if (n * p * classes <= INLINE_MAX_ELEMENTS) this.run('logisticLossGrad', () => this.addon.logisticLossGradSync(...args));
    else await this.run('logisticLossGrad', () => this.addon.logisticLossGrad(...args));
    return { loss: loss[0], grad };
  }

  async sgdEpoch(a: SgdEpochArgs): Promise<void> {
    const args = [a.x, a.n, a.p, a.y, a.models, a.order, a.w, SGD_LOSSES.indexOf(a.loss), a.epsilon, a.alpha, a.l1Ratio,
      SGD_RATES.indexOf(a.rate), a.eta0, a.powerT, a.optimalInit, a.fitIntercept, a.coef, a.t, a.lossSum] as const;
    if (a.n * a.p * a.models <= INLINE_MAX_ELEMENTS) this.run('sgdEpoch', () => this.addon.sgdEpochSync(...args));
    else await this.run('sgdEpoch', () => this.addon.sgdEpoch(...args));
  }

  async svmDualCd(a: SvmArgs): Promise<void> {
    const args = [a.x, a.n, a.p, a.y, a.models, a.squaredHinge, a.C, a.interceptScaling, a.maxIter, a.tol, a.seed >>> 0,
      a.coef, a.iterations] as const;
    if (a.n * a.p * a.models <= INLINE_MAX_ELEMENTS) this.run('svmDualCd', () => this.addon.svmDualCdSync(...args));
    else await this.run('svmDualCd', () => this.addon.svmDualCd(...args));
  }

  async affineColumns(x: FloatArray, rows: number, cols: number, shift: Float64Array, scale: Float64Array,
                      fill: Float64Array | null): Promise<Float64Array> {
    const out = new Float64Array(rows * cols);
    const args = [x, rows, cols, shift, scale, fill, out] as const;
    if (rows * cols <= INLINE_MAX_ELEMENTS) this.run('affineColumns', () => this.addon.affineColumnsSync(...args));
    else await this.run('affineColumns', () => this.addon.affineColumns(...args));
    return out;
  }

  async mlpEpoch(a: MlpEpochArgs): Promise<number> {
    const loss = new Float64Array(1);
    const net = a.net;
    await this.run('mlpEpoch', () => this.addon.mlpEpoch(net.sizes, MLP_ACTIVATIONS.indexOf(net.hidden),
      net.output === 'softmax' ? 0 : 1, net.params, a.data.x, a.data.n, a.data.labels, a.data.targets, a.order, a.batch,
      a.dropout, a.seed >>> 1, a.solver === 'adam' ? 1 : 0, a.lr, a.alpha, a.weightDecay, a.momentum, a.nesterov,
      a.beta1, a.beta2, a.eps, a.m, a.v, a.step, loss, a.data.weights ?? null));
    return loss[0];
  }

  async mlpForward(net: MlpNetwork, x: Float32Array, n: number): Promise<Float32Array> {
    const out = new Float32Array(n * net.sizes[net.sizes.length - 1]);
    const args = [net.sizes, MLP_ACTIVATIONS.indexOf(net.hidden), net.output === 'softmax' ? 0 : 1, net.params, x, n, out] as const;
    if (x.length <= INLINE_MAX_ELEMENTS) this.run('mlpForward', () => this.addon.mlpForwardSync(...args));
    else await this.run('mlpForward', () => this.addon.mlpForward(...args));
    return out;
  }

  mlpLossGrad(net: MlpNetwork, data: MlpData, alpha: number): { loss: number; grad: Float32Array } {
    const grad = new Float32Array(net.params.length), loss = new Float64Array(1);
    this.run('mlpLossGrad', () => this.addon.mlpLossGradSync(net.sizes, MLP_ACTIVATIONS.indexOf(net.hidden),
      net.output === 'softmax' ? 0 : 1, net.params, data.x, data.n, data.labels, data.targets, alpha, grad, loss,
      data.weights ?? null));
    return { loss: loss[0], grad };
  }

  async histBin(x: FloatArray, n: number, p: number, spec: HistBinSpec): Promise<{ bins: Uint8Array; columns: Uint8Array | null }> {
    const out = new Uint8Array(n * p), columns = new Uint8Array(n * p);
    const args = [x, n, p, spec.edges, spec.edgeOffset, spec.categorical, spec.catTable, spec.catOffset, out, columns] as const;
    if (n * p <= INLINE_MAX_ELEMENTS) this.run('histBin', () => this.addon.histBinSync(...args));
    else await this.run('histBin', () => this.addon.histBin(...args));
    return { bins: out, columns };
  }

  async histGradients(loss: HistLoss, n: number, k: number, y: Float64Array, scores: Float64Array, w: Float64Array | null,
    huberDelta: number, gradHess: Float64Array): Promise<number> {
    const sum = new Float64Array(1);
    const args = [HIST_LOSSES.indexOf(loss), n, k, y, scores, w, huberDelta, gradHess, sum] as const;
    if (n * k <= INLINE_MAX_ELEMENTS) this.run('histGradients', () => this.addon.histGradientsSync(...args));
    else await this.run('histGradients', () => this.addon.histGradients(...args));
    return sum[0];
  }

  async histGrow(args: HistGrowArgs): Promise<void> {
    if ((args.rows?.length ?? args.n) * args.p <= INLINE_MAX_ELEMENTS) this.run('histGrow', () => this.addon.histGrowSync(args));
    else await this.run('histGrow', () => this.addon.histGrow(args));
  }

  async histPredict(a: HistPredictArgs): Promise<void> {
    if (a.n * (a.treeEnd - a.treeBegin) <= INLINE_MAX_ELEMENTS / 8) return this.histPredictSync(a);
    await this.run('histPredict', () => this.addon.histPredict(a.x, a.n, a.p, a.forest, a.treeBegin, a.treeEnd, a.out, a.outCols, a.leafIndex));
  }

  histPredictSync(a: HistPredictArgs): void {
    if (a.out && !a.leafIndex && a.treeBegin === 0 && a.treeEnd === a.forest.roots.length) {
      // Whole-forest scores: a forest checked and copied into native memory once, so a
      // single row costs one short call (the latency path of predictSync).
      let prepared = preparedForests.get(a.forest.nodes);
      if (!prepared || prepared.p !== a.p || prepared.outCols !== a.outCols) {
        const handle = this.run('histForestPrepare', () => this.addon.histForestPrepare(a.forest, a.p, a.outCols));
        preparedForests.set(a.forest.nodes, (prepared = { handle, p: a.p, outCols: a.outCols }));
      }
      const { handle } = prepared;
      this.run('histForestPredict', () => this.addon.histForestPredictSync(handle, a.x, a.n, a.out!));
      return;
    }
    this.run('histPredict', () => this.addon.histPredictSync(a.x, a.n, a.p, a.forest, a.treeBegin, a.treeEnd, a.out, a.outCols, a.leafIndex));
  }

  /** Calls the addon, turning its coded errors (sync throws or rejections) into KilnErrors. */
  private run<T>(kernel: string, call: () => T): T {
    let result: T;
    try {
      result = call();
    } catch (e) {
      throw fromNativeError(e, `native ${kernel}`);
    }
    if (result instanceof Promise) {
      return result.catch((e) => {
        throw fromNativeError(e, `native ${kernel}`);
      }) as T;
    }
    return result;
  }
}
