/**
 * The Backend interface: the only door from the TypeScript layer to kernels.
 * Kernel arguments are raw typed arrays plus shapes; the ops layer validates
 * user input before it gets here, and each backend re-checks what it must.
 */
import type { FloatArray } from '../core/matrix.js';

export type BackendName = 'native' | 'webgpu' | 'js';
export type BackendChoice = BackendName | 'auto';
export const BACKEND_NAMES: readonly BackendName[] = ['native', 'webgpu', 'js'];

/** C = alpha · op(A) · op(B) + beta · C over row-major f32; op(A) is m×k, op(B) is k×n. */
export interface SgemmArgs {
  transA: boolean; // A is stored k×m
  transB: boolean; // B is stored n×k
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: Float32Array;
  b: Float32Array;
  beta: number; // 0 overwrites C, so NaN already in C does not propagate
  c: Float32Array; // m×n, read when beta ≠ 0, always written
}

/** Per-column statistics; non-finite values are skipped and counted in `nonFinite`. */
export interface RawColumnStats {
  count: Float64Array;
  nonFinite: Float64Array;
  sum: Float64Array;
  mean: Float64Array;
  /** Sum of squared deviations from the mean (variance × count). */
  m2: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

export const STATS_FIELDS = ['count', 'nonFinite', 'sum', 'mean', 'm2', 'min', 'max'] as const;

/** Splits a packed [count | nonFinite | sum | mean | m2 | min | max] buffer into views. */
export function unpackStats(packed: Float64Array, cols: number): RawColumnStats {
  const view = (i: number) => packed.subarray(i * cols, (i + 1) * cols);
  return {
    count: view(0), nonFinite: view(1), sum: view(2), mean: view(3), m2: view(4), min: view(5), max: view(6),
  };
}

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';
export type UnaryOp = 'scale' | 'clamp' | 'relu' | 'sigmoid' | 'tanh';
/** Op codes shared with the native binding and the WGSL kernels. */
export const BINARY_OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div'];
export const UNARY_OPS: readonly UnaryOp[] = ['scale', 'clamp', 'relu', 'sigmoid', 'tanh'];

/** A row-major f32 operand of an elementwise op; shapes broadcast numpy-style. */
export interface Operand {
  data: Float32Array;
  rows: number;
  cols: number;
}

export type KnnMetric = 'sqeuclidean' | 'euclidean' | 'cosine' | 'inner_product' | 'manhattan';
/** Metric codes shared with the native binding. */
export const KNN_METRICS: readonly KnnMetric[] = ['sqeuclidean', 'euclidean', 'cosine', 'inner_product', 'manhattan'];

/** A k-NN base as a backend holds it between searches (packed, or resident on a device). */
export interface KnnIndex {
  readonly backend: BackendName;
  readonly base: FloatArray;
  readonly n: number;
  readonly d: number;
  readonly metric: KnnMetric;
  /** Releases what the backend holds for this index (device buffers); idempotent. */
  dispose(): void;
}

export interface KnnResult {
  /** nq × k, row-major: ascending distances (descending inner products). */
  distances: Float64Array;
  indices: Int32Array;
}

/** Weighted, centred cross-products for linear models (all f64). */
export interface GramResult {
  xMean: Float64Array;
  yMean: Float64Array;
  /** p × p: Σ w (x − x̄)(x − x̄)ᵀ */
  gram: Float64Array;
  /** p × t: Σ w (x − x̄)(y − ȳ)ᵀ */
  xty: Float64Array;
  wSum: number;
}

/** Logistic loss Σ w·logloss and its gradient for coef (scores × (p + 1), intercept last). */
export interface LogisticResult {
  loss: number;
  grad: Float64Array;
}

export type SgdLossName = 'hinge' | 'log_loss' | 'squared_error' | 'huber' | 'squared_hinge' | 'modified_huber';
export const SGD_LOSSES: readonly SgdLossName[] = ['hinge', 'log_loss', 'squared_error', 'huber', 'squared_hinge', 'modified_huber'];
export type SgdRateName = 'optimal' | 'constant' | 'invscaling';
export const SGD_RATES: readonly SgdRateName[] = ['optimal', 'constant', 'invscaling'];

/** One SGD epoch over rows in `order` for `models` independent linear models (updated in place). */
export interface SgdEpochArgs {
  x: FloatArray;
  n: number;
  p: number;
  /** models × n targets (classification: ±1 per one-vs-all model). */
  y: Float64Array;
  models: number;
  order: Int32Array;
  w: Float64Array | null;
  loss: SgdLossName;
  epsilon: number;
  alpha: number;
  l1Ratio: number;
  rate: SgdRateName;
  eta0: number;
  powerT: number;
  optimalInit: number;
  fitIntercept: boolean;
  /** models × (p + 1): weights then intercept. */
  coef: Float64Array;
  /** models: update counters (start at 1). */
  t: Float64Array;
  /** models: Σ w·loss over the epoch (output). */
  lossSum: Float64Array;
}

/** Linear SVM by dual coordinate descent, one binary problem per model (in place). */
export interface SvmArgs {
  x: FloatArray;
  n: number;
  p: number;
  /** models × n labels, +1 / −1. */
  y: Float64Array;
  models: number;
  squaredHinge: boolean;
  C: number;
  /** The constant intercept feature's value (0: no intercept). */
  interceptScaling: number;
  maxIter: number;
  tol: number;
  seed: number;
  /** models × (p + 1), output. */
  coef: Float64Array;
  /** models: sweeps run, output. */
  iterations: Int32Array;
  /** n positive row weights (LIBLINEAR's instance weights: row i's C is C · weight[i]); null: all 1. */
  weight: Float64Array | null;
}

export type MlpActivation = 'identity' | 'relu' | 'tanh' | 'logistic';
export const MLP_ACTIVATIONS: readonly MlpActivation[] = ['identity', 'relu', 'tanh', 'logistic'];

/**
 * A dense network: layer l maps sizes[l] → sizes[l + 1]; params hold, layer by
 * layer, W_l (sizes[l] × sizes[l + 1], row-major) then b_l. Output 'softmax' trains
 * with cross-entropy on class codes, 'identity' with squared error on targets.
 */
export interface MlpNetwork {
  sizes: Int32Array;
  hidden: MlpActivation;
  output: 'softmax' | 'identity';
  params: Float32Array;
}

export interface MlpData {
  x: Float32Array;
  n: number;
  labels: Int32Array | null;
  targets: Float32Array | null;
  /** Per-row loss weights (sample × class weights), or null. */
  weights?: Float32Array | null;
}

export interface MlpEpochArgs {
  net: MlpNetwork;
  data: MlpData;
  order: Int32Array;
  batch: number;
  dropout: number;
  seed: number;
  solver: 'sgd' | 'adam';
  lr: number;
  /** L2 penalty as scikit-learn's alpha. */
  alpha: number;
  /** Decoupled weight decay (AdamW). */
  weightDecay: number;
  momentum: number;
  nesterov: boolean;
  beta1: number;
  beta2: number;
  eps: number;
  /** Optimiser state, same length as params. */
  m: Float32Array;
  v: Float32Array;
  /** Adam step counter, in/out. */
  step: Float64Array;
}

/**
 * Every kernel, on every backend. Each returns freshly allocated output.
 * The `...Sync` variants run on the calling thread; backends that are
 * asynchronous by nature (webgpu) leave them out.
 */
/** Boosting losses of the hist engine (codes shared with native/kernels/hist/hist.h). */
export type HistLoss = 'logistic' | 'softmax' | 'squared_error' | 'absolute_error' | 'huber';
export const HIST_LOSSES: readonly HistLoss[] = ['logistic', 'softmax', 'squared_error', 'absolute_error', 'huber'];

/** How raw columns become uint8 bins (0 = missing): see native/kernels/hist/hist.h. */
export interface HistBinSpec {
  /** Upper edges of numerical features, concatenated; feature f's are edges[edgeOffset[f]..edgeOffset[f+1]). */
  edges: Float64Array;
  edgeOffset: Int32Array;
  categorical: Uint8Array;
  /** Categorical code → bin, concatenated per feature like the edges. */
  catTable: Uint8Array;
  catOffset: Int32Array;
}

/** One grown tree in bin space, arrays sized for 2 · maxLeaves − 1 nodes. */
export interface HistTreeOut {
  feature: Int32Array; threshold: Int32Array; defaultLeft: Uint8Array; isCategorical: Uint8Array;
  /** 8 words per node: the bins that go left. */
  catBits: Uint32Array;
  left: Int32Array; right: Int32Array;
  /** nodes × channels */
  value: Float64Array;
  gain: Float64Array; cover: Float64Array; count: Int32Array; depth: Int32Array;
  numNodes: Int32Array;
}

export interface HistTreeParams {
  maxLeaves: number; maxDepth: number; minDataInLeaf: number; minDataToSplit: number; minSumHessianInLeaf: number; minGainToSplit: number;
  lambdaL1: number; lambdaL2: number; catSmooth: number; catL2: number; maxCatToOnehot: number;
  featureFractionByNode: number; seed: number; quantized: number;
}

export interface HistGrowArgs {
  bins: Uint8Array; n: number; p: number; binCount: Int32Array; categorical: Uint8Array;
  /** The same bins feature-major (p × n), when the backend's histBin made them: partitions read them densely. */
  columns?: Uint8Array | null;
  /** n × (channels + 1): gradient channels, then the hessian. */
  gradHess: Float64Array; channels: number;
  rows: Int32Array | null; featureAllowed: Uint8Array | null;
  params: HistTreeParams; out: HistTreeOut;
  /** scores[r · scoreStride + scoreColumn] += scale · leaf value, for every row. */
  scores: Float64Array | null; scoreStride: number; scoreColumn: number; scale: number;
  leafOfRow: Int32Array | null;
}

/** Bits of a packed node's feature word (see HistForest.nodes). */
export const HIST_NODE_CATEGORICAL = 1 << 30;
export const HIST_NODE_MISSING_LEFT = 1 << 29;
export const HIST_NODE_FEATURE_MASK = (1 << 24) - 1;
/** The word of a leaf (negative, missing-left, feature 0); a leaf points to itself with threshold +∞, so walks can step past it. */
export const HIST_NODE_LEAF = -(2 ** 31) + HIST_NODE_MISSING_LEFT;

/**
 * A flattened forest on raw values (native/kernels/hist/hist.h, Forest). Each node is one
 * 16-byte record in `nodes` (two f64 slots): the numerical threshold (x <= threshold goes
 * left), then two int32 — the feature word (HIST_NODE_LEAF for a leaf, which points to itself;
 * else the feature index with HIST_NODE_CATEGORICAL / HIST_NODE_MISSING_LEFT set) and the left
 * child; the right child is always left + 1.
 */
export interface HistForest {
  nodes: Float64Array;
  /** Categorical nodes: their bitset of raw codes going left, catBits[catOffset .. + catWords). */
  catOffset: Int32Array; catWords: Int32Array; catBits: Uint32Array;
  value: Float64Array; channels: number;
  roots: Int32Array; treeColumn: Int32Array; treeWeight: Float64Array;
}

/** Prediction: out (n × outCols) += the forest's trees [treeBegin, treeEnd); leafIndex: n × trees leaves. */
export interface HistPredictArgs {
  x: FloatArray; n: number; p: number; forest: HistForest; treeBegin: number; treeEnd: number;
  out: Float64Array | null; outCols: number; leafIndex: Int32Array | null;
}

export interface Backend {
  readonly name: BackendName;
  /**
   * An f32 output buffer in memory that suits this backend (huge pages on native).
   * Zeroed, unless `overwritten` promises that a kernel writes every element before
   * anyone reads it (its contents are then undefined).
   */
  allocF32(length: number, opts?: { overwritten?: boolean }): Float32Array;
  sgemm(args: SgemmArgs): Promise<void>;
  sgemmSync?(args: SgemmArgs): void;
  columnStats(x: FloatArray, rows: number, cols: number): Promise<RawColumnStats>;
  columnStatsSync?(x: FloatArray, rows: number, cols: number): RawColumnStats;
  /** Euclidean norm (or its square) of each row, accumulated in f64. */
  rowNorms(x: FloatArray, rows: number, cols: number, squared: boolean): Promise<Float64Array>;
  rowNormsSync?(x: FloatArray, rows: number, cols: number, squared: boolean): Float64Array;
  /** a op b over the broadcast shape (max rows × max cols). */
  binary(op: BinaryOp, a: Operand, b: Operand): Promise<Float32Array>;
  binarySync?(op: BinaryOp, a: Operand, b: Operand): Float32Array;
  /** f(x) elementwise; `scale` multiplies by p0, `clamp` bounds to [p0, p1]. */
  unary(op: UnaryOp, x: Float32Array, p0: number, p1: number): Promise<Float32Array>;
  unarySync?(op: UnaryOp, x: Float32Array, p0: number, p1: number): Float32Array;
  softmaxRows(x: Float32Array, rows: number, cols: number): Promise<Float32Array>;
  softmaxRowsSync?(x: Float32Array, rows: number, cols: number): Float32Array;
  /** Index of each row's largest value (the first on ties). */
  argmaxRows(x: Float32Array, rows: number, cols: number): Promise<Int32Array>;
  argmaxRowsSync?(x: Float32Array, rows: number, cols: number): Int32Array;
  /** Prepares a base for exact k-NN (kept by reference: it must not change afterwards). */
  knnIndex(base: FloatArray, n: number, d: number, metric: KnnMetric, budgetBytes: number): Promise<KnnIndex>;
  /**
   * The k nearest base points of each query, exactly (ties: smaller index first).
   * excludeSelf: the queries are the base and query i never returns point i.
   */
  knnSearch(index: KnnIndex, queries: FloatArray, nq: number, k: number, excludeSelf: boolean): Promise<KnnResult>;
  /**
   * f64 kernels of the linear models: CPU backends only (WGSL has no f64, and these
   * feed solvers that need it); absent on webgpu.
   */
  weightedGram?(x: FloatArray, n: number, p: number, y: Float64Array | null, t: number, w: Float64Array | null,
                center: boolean): Promise<GramResult>;
  /** classes = 2: one score (sigmoid); more: one score per class (softmax). */
  logisticLossGrad?(x: FloatArray, n: number, p: number, y: Int32Array, classes: number, coef: Float64Array,
                    fitIntercept: boolean, w: Float64Array | null): Promise<LogisticResult>;
  sgdEpoch?(args: SgdEpochArgs): Promise<void>;
  svmDualCd?(args: SvmArgs): Promise<void>;
  /** (x − shift) · scale per column in f64; NaN cells become fill (when given) first. CPU backends. */
  affineColumns?(x: FloatArray, rows: number, cols: number, shift: Float64Array, scale: Float64Array,
                 fill: Float64Array | null): Promise<Float64Array>;
  /** One training epoch (all mini-batches and optimiser steps); returns the mean loss. */
  mlpEpoch?(args: MlpEpochArgs): Promise<number>;
  /** Outputs of the network (softmax probabilities or identity values), n × outputs. */
  mlpForward?(net: MlpNetwork, x: Float32Array, n: number): Promise<Float32Array>;
  /** Whole-data loss (one batch, no dropout) and its gradient: gradient checks. */
  mlpLossGrad?(net: MlpNetwork, data: MlpData, alpha: number): { loss: number; grad: Float32Array };
  /** Raw columns to uint8 bins (n × p), and on native also feature-major (p × n) for the grower. */
  histBin?(x: FloatArray, n: number, p: number, spec: HistBinSpec): Promise<{ bins: Uint8Array; columns: Uint8Array | null }>;
  /** Per-row gradients and hessians (k blocks of n × 2) at the scores; returns the summed loss. */
  histGradients?(loss: HistLoss, n: number, k: number, y: Float64Array, scores: Float64Array, w: Float64Array | null,
                 huberDelta: number, gradHess: Float64Array): Promise<number>;
  /** Grows one tree leaf-wise into args.out (native: the hist engine). */
  histGrow?(args: HistGrowArgs): Promise<void>;
  histPredict?(args: HistPredictArgs): Promise<void>;
  histPredictSync?(args: HistPredictArgs): void;
}

export interface BackendInfo {
  name: BackendName;
  available: boolean;
  /** What runs it: CPU features and threads, the GPU adapter, ... */
  description: string;
  /** Why it is unavailable, and how to fix that. */
  reason?: string;
  /** webgpu only: true for a hardware adapter, false for a CPU one such as lavapipe. */
  hardware?: boolean;
}
