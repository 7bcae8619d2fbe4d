/**
 * The C++ addon, loaded from one place, and the one way to call it (coded errors become
 * KilnErrors). When it cannot be loaded, the error lists every path tried and how to build
 * it, and kiln carries on with the other backends.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markAsUntransferable } from 'node:worker_threads';
import { BackendUnavailableError, fromNativeError, ParamError } from '../../core/errors.js';
import { setNonFiniteScanner } from '../../core/validate.js';
import { findAddon } from './addon-loader.js';
import type { FloatArray } from '../../core/matrix.js';
import type { HistForest, HistGrowArgs } from '../contract/hist.js';
import type { LogisticHessInputs, LogisticLossArgs } from '../contract/linear.js';

/** The addon's exports (native/binding/addon.cc). Each kernel has a Promise form and a Sync form. */
/** The GEMM bindings' arguments, in order: C = alpha·op(A)·op(B) + beta·C (row-major; A is m × k as used, B k × n). */
type GemmCall<In, Out> = [ta: boolean, tb: boolean, m: number, n: number, k: number, alpha: number, a: In, b: In, beta: number, c: Out];
type SgemmCall = GemmCall<Float32Array, Float32Array>;
/** dgemm widens f32 operands while packing: A and B may be either width, C is f64. */
type DgemmCall = GemmCall<Float64Array | Float32Array, Float64Array>;

/** histSampleRows' arguments: gradHess, n, k, goss, rate, topRate, otherRate, seed, out (n rows), count (1), GOSS keys (n) or undefined. */
type HistSampleRowsArgs = [
  gradHess: Float64Array | null,
  n: number,
  k: number,
  goss: boolean,
  rate: number,
  topRate: number,
  otherRate: number,
  seed: number,
  out: Int32Array,
  count: Float64Array,
  keys?: Uint32Array,
];

export interface NativeAddon {
  info(): {
    simd: 'avx512' | 'avx2' | 'scalar';
    gemmKernel: string;
    avx2Fma: boolean;
    avx512: boolean;
    threads: number;
    mallocTuned: boolean;
  };
  setThreads(n: number): number;
  /** Registers the function async calls apply to each ArrayBuffer they use (see pinForAsync). */
  setPin(pin: (buffer: ArrayBufferLike) => void): void;
  /** zeroed = false: contents undefined, for outputs a kernel overwrites entirely. */
  allocFloat32(n: number, zeroed: boolean): Float32Array;
  firstNonFiniteSync(x: FloatArray): number;
  groupSumsSync(values: Float64Array, codes: Int32Array, groups: number, sum: Float64Array, count: Float64Array): void;
  rowGroupsSync(columns: readonly (Float64Array | Int32Array)[], rows: number, codes: Int32Array): number;
  sortF64Sync(values: Float64Array, out: Float64Array): void;
  argsortF64Sync(values: Float64Array, order: Uint32Array): void;
  averageRanksF64Sync(values: Float64Array, ranks: Float64Array): void;
  shuffleI32Sync(values: Int32Array, state: Uint32Array): void;
  sgemm(...args: SgemmCall): Promise<void>;
  sgemmSync(...args: SgemmCall): void;
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
  weightedGram(
    x: FloatArray,
    n: number,
    p: number,
    y: Float64Array | null,
    t: number,
    w: Float64Array | null,
    center: boolean,
    xMean: Float64Array,
    yMean: Float64Array,
    gram: Float64Array,
    xty: Float64Array,
    wSum: Float64Array,
  ): Promise<void>;
  weightedGramSync(...args: Parameters<NativeAddon['weightedGram']>): void;
  logisticLossGrad(...args: [...LogisticLossArgs, grad: Float64Array, loss: Float64Array]): Promise<void>;
  logisticLossGradSync(...args: Parameters<NativeAddon['logisticLossGrad']>): void;
  logisticLossGradHess(...args: [...LogisticHessInputs, grad: Float64Array, hess: Float64Array | null, loss: Float64Array]): Promise<void>;
  logisticLossGradHessSync(...args: Parameters<NativeAddon['logisticLossGradHess']>): void;
  sgdEpoch(
    x: FloatArray,
    n: number,
    p: number,
    y: Float64Array,
    models: number,
    order: Int32Array,
    w: Float64Array | null,
    loss: number,
    epsilon: number,
    alpha: number,
    l1Ratio: number,
    rate: number,
    eta0: number,
    powerT: number,
    optimalInit: number,
    fitIntercept: boolean,
    coef: Float64Array,
    t: Float64Array,
    lossSum: Float64Array,
  ): Promise<void>;
  sgdEpochSync(...args: Parameters<NativeAddon['sgdEpoch']>): void;
  svmDualCd(
    x: FloatArray,
    n: number,
    p: number,
    y: Float64Array,
    models: number,
    squaredHinge: boolean,
    C: number,
    interceptScaling: number,
    maxIter: number,
    tol: number,
    seed: number,
    coef: Float64Array,
    iterations: Int32Array,
    weight: Float64Array | null,
  ): Promise<void>;
  svmDualCdSync(...args: Parameters<NativeAddon['svmDualCd']>): void;
  mlpEpoch(
    sizes: Int32Array,
    hidden: number,
    output: number,
    params: Float32Array,
    x: Float32Array,
    n: number,
    labels: Int32Array | null,
    targets: Float32Array | null,
    order: Int32Array,
    batch: number,
    dropout: number,
    seed: number,
    solver: number,
    lr: number,
    alpha: number,
    weightDecay: number,
    momentum: number,
    nesterov: boolean,
    beta1: number,
    beta2: number,
    eps: number,
    m: Float32Array,
    v: Float32Array,
    step: Float64Array,
    loss: Float64Array,
    weights: Float32Array | null,
  ): Promise<void>;
  mlpEpochSync(...args: Parameters<NativeAddon['mlpEpoch']>): void;
  mlpLossGradSync(
    sizes: Int32Array,
    hidden: number,
    output: number,
    params: Float32Array,
    x: Float32Array,
    n: number,
    labels: Int32Array | null,
    targets: Float32Array | null,
    alpha: number,
    grad: Float32Array,
    loss: Float64Array,
    weights: Float32Array | null,
  ): void;
  mlpForward(sizes: Int32Array, hidden: number, output: number, params: Float32Array, x: Float32Array, n: number, out: Float32Array): Promise<void>;
  mlpForwardSync(...args: Parameters<NativeAddon['mlpForward']>): void;
  affineColumns(
    x: FloatArray,
    rows: number,
    cols: number,
    shift: Float64Array,
    scale: Float64Array,
    fill: Float64Array | null,
    out: Float64Array,
  ): Promise<void>;
  affineColumnsSync(...args: Parameters<NativeAddon['affineColumns']>): void;
  knnPrepare(base: FloatArray, n: number, d: number, metric: number, packed: Float32Array, sqnorm: Float32Array, norms: Float64Array): Promise<void>;
  knnSearch(
    base: FloatArray,
    n: number,
    d: number,
    queries: FloatArray,
    nq: number,
    k: number,
    metric: number,
    excludeSelf: boolean,
    budgetBytes: number,
    distances: Float64Array,
    indices: Int32Array,
    packed?: Float32Array,
    sqnorm?: Float32Array,
    norms?: Float64Array,
  ): Promise<void>;
  knnSearchSync(...args: Parameters<NativeAddon['knnSearch']>): void;
  knnRadius(
    base: FloatArray,
    n: number,
    d: number,
    queries: FloatArray,
    nq: number,
    radius: number,
    metric: number,
    excludeSelf: boolean,
    offsets: Float64Array,
    indices: Int32Array,
    distances: Float64Array,
    needed: Float64Array,
    packed?: Float32Array,
    sqnorm?: Float32Array,
    norms?: Float64Array,
  ): Promise<void>;
  knnRadiusSync(...args: Parameters<NativeAddon['knnRadius']>): void;
  kmeansAssign(
    x: FloatArray,
    n: number,
    d: number,
    weights: Float64Array | null,
    centers: Float64Array,
    k: number,
    labels: Int32Array,
    dist2: Float64Array | null,
    sums: Float64Array | null,
    weightSums: Float64Array | null,
    inertia: Float64Array | null,
  ): Promise<void>;
  kmeansAssignSync(...args: Parameters<NativeAddon['kmeansAssign']>): void;
  kmeansAssignBounded(
    x: FloatArray,
    n: number,
    d: number,
    weights: Float64Array | null,
    centers: Float64Array,
    prevCenters: Float64Array | null,
    k: number,
    groups: number,
    labels: Int32Array,
    epoch: Int32Array,
    upper: Float64Array,
    lower: Float32Array,
    epochs: number,
    drift: Float64Array,
    driftNow: Float64Array,
    sums: Float64Array,
    weightSums: Float64Array,
    distances: boolean,
    dist2: Float64Array,
    out: Float64Array,
  ): Promise<void>;
  kmeansAssignBoundedSync(...args: Parameters<NativeAddon['kmeansAssignBounded']>): void;
  kmeansDistances(x: FloatArray, n: number, d: number, centers: Float64Array, k: number, out: Float64Array): Promise<void>;
  kmeansDistancesSync(...args: Parameters<NativeAddon['kmeansDistances']>): void;
  tsneGradient(
    indptr: Int32Array,
    indices: Int32Array,
    values: Float64Array,
    y: Float64Array,
    n: number,
    angle: number,
    exaggeration: number,
    grad: Float64Array,
    kl: Float64Array | null,
  ): Promise<void>;
  tsneGradientSync(...args: Parameters<NativeAddon['tsneGradient']>): void;
  svmSolve(
    x: Float64Array,
    n: number,
    d: number,
    rows: Int32Array,
    q: number,
    kernel: number,
    gamma: number,
    degree: number,
    coef0: number,
    y: Int8Array,
    p: Float64Array,
    alpha0: Float64Array,
    C: Float64Array,
    eps: number,
    shrinking: boolean,
    maxIter: number,
    nu: boolean,
    cacheBytes: number,
    stop: Int32Array | null,
    alpha: Float64Array,
    info: Float64Array,
  ): Promise<void>;
  svmSolveSync(...args: Parameters<NativeAddon['svmSolve']>): void;
  svmCross(
    q: Float64Array,
    rows: number,
    d: number,
    v: Float64Array,
    m: number,
    kernel: number,
    gamma: number,
    degree: number,
    coef0: number,
    out: Float64Array,
  ): Promise<void>;
  svmCrossSync(...args: Parameters<NativeAddon['svmCross']>): void;
  histBin(
    x: FloatArray,
    n: number,
    p: number,
    edges: Float64Array,
    edgeOffset: Int32Array,
    categorical: Uint8Array,
    catTable: Uint8Array,
    catOffset: Int32Array,
    out: Uint8Array,
    outColumns: Uint8Array | null,
  ): Promise<void>;
  histBinSync(...args: Parameters<NativeAddon['histBin']>): void;
  histGrow(args: HistGrowArgs): Promise<void>;
  histGrowSync(args: HistGrowArgs): void;
  histGradients(
    loss: number,
    n: number,
    k: number,
    y: Float64Array,
    scores: Float64Array,
    w: Float64Array | null,
    lossParam: number,
    gradHess: Float64Array,
    lossSum: Float64Array,
    gossKeys?: Uint32Array,
  ): Promise<void>;
  histGradientsSync(...args: Parameters<NativeAddon['histGradients']>): void;
  histRankGradients(
    n: number,
    y: Float64Array,
    scores: Float64Array,
    queryOffset: Int32Array,
    sigma: number,
    truncation: number,
    norm: boolean,
    evalAt: number,
    gradHess: Float64Array,
    lossSum: Float64Array,
  ): Promise<void>;
  histRankGradientsSync(...args: Parameters<NativeAddon['histRankGradients']>): void;
  histPredict(
    x: FloatArray,
    n: number,
    p: number,
    forest: HistForest,
    treeBegin: number,
    treeEnd: number,
    out: Float64Array | null,
    outCols: number,
    leafIndex: Int32Array | null,
  ): Promise<void>;
  histPredictSync(...args: Parameters<NativeAddon['histPredict']>): void;
  histForestPrepare(forest: HistForest, p: number, outCols: number): object;
  histForestPredictSync(handle: object, x: FloatArray, n: number, out: Float64Array): void;
  /** Binds the prepared forest's single-row buffer: the row (p values), then the scores (outCols). */
  histForestBindRow(handle: object, buffer: Float64Array): void;
  /** scores += every tree on the bound row: the bitvector scorer, or the tree walk when `walk` or when the forest does not suit the scorer. */
  histForestPredictRow(handle: object, walk?: boolean): void;
  /** Whether single rows of this prepared forest take the bitvector scorer (trees of at most 64 leaves; built by histForestBindRow). */
  histForestRowScorer(handle: object): boolean;
  histQuantizeSync(gradHess: Float64Array, n: number, rows: Int32Array | null, seed: number, out: Int32Array, info: Float64Array): void;
  histBinSampleSync(
    x: Float32Array | Float64Array,
    n: number,
    p: number,
    features: Int32Array,
    state: Uint32Array,
    k: number,
    values: Float64Array,
    counts: Int32Array,
  ): void;
  histSampleRows(...args: HistSampleRowsArgs): Promise<void>;
  histSampleRowsSync(...args: HistSampleRowsArgs): void;
  dgemm(...args: DgemmCall): Promise<void>;
  dgemmSync(...args: DgemmCall): void;
  symEig(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): Promise<void>;
  symEigSync(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): void;
  thinQr(a: Float64Array, m: number, n: number, q: Float64Array, r: Float64Array): Promise<void>;
  thinQrSync(a: Float64Array, m: number, n: number, q: Float64Array, r: Float64Array): void;
}

/**
 * Outputs from this size on come from the native allocator: huge pages, and freed
 * blocks reused (native/runtime/large_alloc.h), because faulting in fresh pages
 * costs more than the kernels that fill them. Smaller outputs stay in V8's memory:
 * native blocks return to the cache only when Node runs their finalizers on a later
 * event-loop turn, which a tight loop of inline calls never reaches.
 */
export const NATIVE_OUTPUT_BYTES = 4 << 20;

/**
 * Work below these sizes runs inline on the calling thread (still on the native
 * pool): the hop to a libuv worker and back costs 50-80 µs, a quarter of such a
 * kernel, while the thread is blocked for at most ~0.3 ms.
 */
export const INLINE_MAX_FLOPS = 2 ** 26; // e.g. 256 × 784 · 784 × 128 (≈ 0.3 ms on one core)
export const INLINE_MAX_ELEMENTS = 2 ** 18;

// src/backend/native/addon.ts and dist/backend/native/addon.js both sit three levels below the package root.
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

let loaded: { addon: NativeAddon } | { error: string } | undefined;

/**
 * Applied by the addon to every ArrayBuffer an async call reads or writes, before the
 * kernel starts on another thread. A reference to a TypedArray does not keep a
 * transferred backing store alive, so the buffer is made untransferable: a later
 * structuredClone / postMessage transfer copies it instead of detaching (and
 * possibly freeing) memory a kernel is using. Resizable buffers could shrink under
 * the kernel, so async calls refuse them.
 */
function pinForAsync(buffer: ArrayBufferLike): void {
  if ((buffer as ArrayBuffer & { resizable?: boolean }).resizable === true) {
    throw new ParamError(
      'an argument is a view of a resizable ArrayBuffer, which could shrink while an async kernel runs; ' +
        'pass a fixed-length copy (e.g. new Float32Array(x)) or use the Sync form',
    );
  }
  markAsUntransferable(buffer);
}

/** Loads the addon once (addon-loader.ts says from where); returns it, or the reason it could not be loaded. */
export function loadNativeAddon(): { addon: NativeAddon } | { error: string } {
  if (loaded) return loaded;
  const r = findAddon<NativeAddon>({ packageRoot, overridePath: process.env.KILN_NATIVE_PATH || undefined });
  if ('addon' in r) {
    const addon = r.addon;
    addon.setPin(pinForAsync);
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

/** Calls the addon, turning its coded errors (sync throws or rejections) into KilnErrors. */
export function callNative<T>(kernel: string, call: () => T): T {
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
