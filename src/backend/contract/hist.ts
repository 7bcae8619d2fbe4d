/**
 * The hist family: the histogram tree engine behind gradient boosting, random forests and
 * decision trees (native/kernels/hist/hist.h is the C++ side). Binning raw columns to uint8
 * bins, per-row gradients of a boosting loss, leaf-wise growth of one tree on the bins, and
 * prediction with a flattened forest on raw values.
 */
import { ParamError, ShapeError } from '../../core/errors.js';
import type { FloatArray } from '../../core/matrix.js';

/**
 * Boosting losses of the hist engine (codes shared with native/kernels/hist/hist.h). 'poisson',
 * 'gamma' and 'tweedie' work on the log link (scores are log means); they and 'quantile' are
 * scikit-learn's half losses without their constant terms.
 */
export type HistLoss = 'logistic' | 'softmax' | 'squared_error' | 'absolute_error' | 'huber' | 'quantile' | 'poisson' | 'gamma' | 'tweedie';
export const HIST_LOSSES: readonly HistLoss[] = ['logistic', 'softmax', 'squared_error', 'absolute_error', 'huber', 'quantile', 'poisson', 'gamma', 'tweedie'];
/** Losses whose raw scores are log means: predictions are exp(score). */
export const HIST_LOG_LINK: ReadonlySet<HistLoss> = new Set(['poisson', 'gamma', 'tweedie']);

/** Bins per feature, the missing bin 0 included (hist.h kMaxBins). */
export const HIST_MAX_BINS = 256;

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

/** Binned rows (n × p), and on native also feature-major (p × n) for the grower's partitions. */
export interface HistBins {
  bins: Uint8Array;
  columns: Uint8Array | null;
}

/** One grown tree in bin space, arrays sized for 2 · maxLeaves − 1 nodes. */
export interface HistTreeOut {
  feature: Int32Array;
  threshold: Int32Array;
  defaultLeft: Uint8Array;
  isCategorical: Uint8Array;
  /** 8 words per node: the bins that go left. */
  catBits: Uint32Array;
  left: Int32Array;
  right: Int32Array;
  /** nodes × channels */
  value: Float64Array;
  gain: Float64Array;
  cover: Float64Array;
  count: Int32Array;
  depth: Int32Array;
  numNodes: Int32Array;
}

export interface HistTreeParams {
  maxLeaves: number;
  maxDepth: number;
  minDataInLeaf: number;
  minDataToSplit: number;
  minSumHessianInLeaf: number;
  minGainToSplit: number;
  lambdaL1: number;
  lambdaL2: number;
  catSmooth: number;
  catL2: number;
  maxCatToOnehot: number;
  featureFractionByNode: number;
  seed: number;
  quantized: number;
  /** 1: extremely randomised trees, each numerical feature tries one seeded random threshold per node. */
  randomThresholds: number;
}

export interface HistGrowArgs {
  bins: Uint8Array;
  n: number;
  p: number;
  binCount: Int32Array;
  categorical: Uint8Array;
  /** The same bins feature-major (p × n), when the backend's bin kernel made them: partitions read them densely. */
  columns?: Uint8Array | null;
  /** n × (channels + 1): gradient channels, then the hessian. */
  gradHess: Float64Array;
  channels: number;
  rows: Int32Array | null;
  featureAllowed: Uint8Array | null;
  /** Monotonic constraints per feature: -1 (decreasing), 0, 1 (increasing); single channel only. Absent or null: none. */
  monotone?: Int8Array | null;
  /**
   * Interaction constraints (scikit-learn's interaction_cst): interactionGroups rows of p flags; a
   * node splits only on features of the groups that hold every feature split on above it. Absent or null: none.
   */
  interaction?: Uint8Array | null;
  interactionGroups?: number;
  params: HistTreeParams;
  out: HistTreeOut;
  /** scores[r · scoreStride + scoreColumn] += scale · leaf value, for every row. */
  scores: Float64Array | null;
  scoreStride: number;
  scoreColumn: number;
  scale: number;
  leafOfRow: Int32Array | null;
}

/**
 * The packed forest node layout: the one TS definition (native/kernels/hist/hist.h and
 * shaders/forest.wgsl repeat it with a pointer here; test/backend/backend-contract.test.ts holds the
 * three to the same values). Bits of a packed node's feature word (see HistForest.nodes):
 */
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
  catOffset: Int32Array;
  catWords: Int32Array;
  catBits: Uint32Array;
  value: Float64Array;
  channels: number;
  roots: Int32Array;
  treeColumn: Int32Array;
  treeWeight: Float64Array;
}

/** Prediction: out (n × outCols) += the forest's trees [treeBegin, treeEnd); leafIndex: n × trees leaves. */
export interface HistPredictArgs {
  x: FloatArray;
  n: number;
  p: number;
  forest: HistForest;
  treeBegin: number;
  treeEnd: number;
  out: Float64Array | null;
  outCols: number;
  leafIndex: Int32Array | null;
}

/** Quantised gradients of the rows a tree grows from (native/kernels/hist/quantize.h). */
export interface QuantizedGradients {
  /** Per position (rows[j], or row j): (g << 16) | h. */
  gh: Int32Array;
  G: number;
  H: number;
  gScale: number;
  hScale: number;
}

/**
 * LambdaRank gradients (native/kernels/hist/rank.cc, RankArgs): LightGBM's lambdarank objective
 * over the queries rows [queryOffset[q], queryOffset[q + 1]) hold.
 */
export interface HistRankArgs {
  n: number;
  /** Relevance labels, integers in [0, 31] (gain 2^rel − 1). */
  y: Float64Array;
  scores: Float64Array;
  /** queries + 1 offsets, from 0 to n, strictly increasing. */
  queryOffset: Int32Array;
  sigma: number;
  /** Pairs count when their better-scored item ranks in the top `truncation`; the ideal DCG is cut there too. */
  truncation: number;
  /** LightGBM's lambdarank_norm: pair weights over 0.01 + |score gap|, lambdas scaled by log2(1 + S) / S per query. */
  norm: boolean;
  /** k of the NDCG@k whose 1 − NDCG the call sums over the queries. */
  evalAt: number;
  /** n × 2 out: gradient, hessian. */
  gradHess: Float64Array;
}

/**
 * Rows a boosting round grows from (native/kernels/hist/sample.h): 'bagging' keeps each row with
 * probability `rate`; 'goss' (LightGBM's gradient-based one-side sampling) keeps every row whose
 * Σ_classes |g · h| (as a float) reaches the ⌊n · topRate⌋-th largest, and each other row with
 * probability ⌊n · otherRate⌋ / (rows left), scaling that row's gradients and hessians (every
 * class block of gradHess, in place) by the inverse. Draws hash (seed, row): the same rows on any
 * backend and thread count; at least one row is kept.
 */
export interface HistSampleArgs {
  strategy: 'bagging' | 'goss';
  n: number;
  /** Class blocks of gradHess (each n × 2); 'goss' reads and scales them, 'bagging' ignores them. */
  k: number;
  gradHess: Float64Array | null;
  /** bagging: the share of rows kept, in (0, 1]. */
  rate: number;
  /** goss: shares of n kept by gradient (in (0, 1]) and drawn from the rest (in [0, 1]). */
  topRate: number;
  otherRate: number;
  /** An integer in [0, 2^31). */
  seed: number;
  /** n entries to write the rows into (reused round after round: fresh pages cost more than the draw); else a new array. */
  out?: Int32Array;
  /** goss: the keys of gradHess as `gradients` wrote them (n; saves a pass over gradHess), else computed here. */
  keys?: Uint32Array | null;
}

/** Binning's sample: feature c's non-NaN values on the drawn rows are values[c·k, c·k + counts[c]), in row order. */
export interface BinSample {
  values: Float64Array;
  counts: Int32Array;
}

/** The hist family, whole: what a model that trains or predicts trees calls. */
export interface HistKernels {
  /** Raw columns to uint8 bins. */
  bin(x: FloatArray, n: number, p: number, spec: HistBinSpec): Promise<HistBins>;
  /**
   * The rows and values bin edges are placed from: k of the n rows, drawn as
   * Rng.fromState(state).sampleIndices(n, k) draws them (state: the generator's 4 words), and the
   * listed features' values on them, NaNs dropped. Synchronous: a few milliseconds.
   */
  binSample(x: FloatArray, n: number, p: number, features: Int32Array, state: Uint32Array, k: number): BinSample;
  /**
   * Per-row gradients and hessians (k blocks of n × 2) at the scores; returns the summed loss.
   * lossParam: Huber's delta, the quantile's alpha in (0, 1), Tweedie's power in (1, 2); unused otherwise.
   * gossKeys (n), when given: each row's GOSS key of the gradients written, for sampleRows.
   */
  gradients(
    loss: HistLoss,
    n: number,
    k: number,
    y: Float64Array,
    scores: Float64Array,
    w: Float64Array | null,
    lossParam: number,
    gradHess: Float64Array,
    gossKeys?: Uint32Array | null,
  ): Promise<number>;
  /** LambdaRank gradients and hessians; returns Σ over queries of 1 − NDCG@evalAt (a query of equal labels scores NDCG 1). */
  rankGradients(args: HistRankArgs): Promise<number>;
  /** Grows one tree leaf-wise into args.out. */
  grow(args: HistGrowArgs): Promise<void>;
  predict(args: HistPredictArgs): Promise<void>;
  /** The integers quantised growth uses (int8 with stochastic rounding from the seed); gradHess is n × 2. */
  quantize(gradHess: Float64Array, rows: Int32Array | null, n: number, seed: number): QuantizedGradients;
  /** The kept rows, ascending (GOSS: the top rows ascending, then the drawn rows ascending; see HistSampleArgs). */
  sampleRows(args: HistSampleArgs): Promise<Int32Array>;
}

/** CPU backends also predict on the calling thread. */
export interface HistSyncKernels extends HistKernels {
  predictSync(args: HistPredictArgs): void;
  /**
   * The single-row latency path for `forest` on rows of p features, equal bit for bit to
   * predictSync on that row. Made once per forest (native prepares it then, and binds the row
   * buffer: per call, nothing is allocated, checked or converted).
   */
  rowPredictor(forest: HistForest, p: number, outCols: number): HistRowPredictor;
}

/** One forest's single-row scorer: write `row` and `scores` (the base scores), then run(). */
export interface HistRowPredictor {
  /** The row to score, p values. */
  readonly row: Float64Array;
  /** outCols values that run() adds every tree to. */
  readonly scores: Float64Array;
  run(): void;
}

/**
 * A device's share of the family (webgpu): it grows trees, and predicts the calls it takes;
 * `predict` resolves false for a call it declines (small or f64 batches, a forest over a
 * binding), which then runs on the next backend of the fallback order. Binning and gradients
 * are not in the share: they run on that backend too (select.ts composes them).
 */
export interface HistDeviceKernels {
  /** Why this device cannot grow the tree `args` asks for (null when it can). */
  unsupported(args: HistGrowArgs): string | null;
  /** Grows on the device from the integers `quantize` (the fallback's) gives, so both grow the same tree. */
  grow(args: HistGrowArgs, quantize: HistKernels['quantize']): Promise<void>;
  predict(args: HistPredictArgs): Promise<boolean>;
}

/** Throws unless the grow arguments are consistent (the native binding checks the same on its side). */
export function checkHistGrowArgs(a: HistGrowArgs): void {
  const { n, p } = a;
  if (!(n >= 1 && p >= 1)) throw new ShapeError('histGrow needs at least one row and one feature');
  if (a.bins.length !== n * p) throw new ShapeError(`histGrow: bins has ${a.bins.length} entries, expected n × p = ${n * p}`);
  if (a.binCount.length !== p || a.categorical.length !== p) throw new ShapeError('histGrow: binCount and categorical need p entries');
  for (let f = 0; f < p; f++) if (!(a.binCount[f] >= 1 && a.binCount[f] <= HIST_MAX_BINS)) throw new ParamError('binCount must be in [1, 256]');
  if (!(Number.isInteger(a.channels) && a.channels >= 1)) throw new ParamError(`histGrow: channels must be an integer >= 1, got ${a.channels}`);
  if (a.params.quantized && a.channels !== 1) throw new ParamError('histGrow: quantised gradients need a single channel');
  if (a.gradHess.length < (a.channels + 1) * n) {
    throw new ShapeError(`histGrow: gradHess has ${a.gradHess.length} entries, expected ${(a.channels + 1) * n}`);
  }
  if (a.featureAllowed && a.featureAllowed.length !== p) throw new ShapeError('histGrow: featureAllowed needs p entries');
  if (a.interaction) {
    const g = a.interactionGroups ?? 0;
    if (!(Number.isInteger(g) && g >= 1)) throw new ParamError('histGrow: interactionGroups must be an integer >= 1');
    if (a.interaction.length !== g * p) throw new ShapeError('histGrow: interaction needs interactionGroups × p flags');
  }
  if (a.monotone) {
    if (a.monotone.length !== p) throw new ShapeError('histGrow: monotone needs p entries');
    if (a.channels !== 1) throw new ParamError('histGrow: monotonic constraints need a single channel');
    for (let f = 0; f < p; f++) if (a.monotone[f] < -1 || a.monotone[f] > 1) throw new ParamError('histGrow: monotone entries must be -1, 0 or 1');
  }
  if (a.rows) {
    if (a.rows.length === 0) throw new ShapeError('histGrow: rows is empty');
    for (let i = 0; i < a.rows.length; i++) if (!(a.rows[i] >= 0 && a.rows[i] < n)) throw new ParamError('rows holds an index outside [0, n)');
  }
  if (!(a.params.maxLeaves >= 1)) throw new ParamError('maxLeaves must be at least 1');
  if (a.out.feature.length < 2 * a.params.maxLeaves - 1) throw new ShapeError('histGrow: out arrays need 2 · maxLeaves − 1 nodes');
  if (a.out.value.length < (2 * a.params.maxLeaves - 1) * a.channels) throw new ShapeError('histGrow: out.value needs (2 · maxLeaves − 1) × channels entries');
  if (a.scores && (a.scoreColumn >= a.scoreStride || a.scores.length < n * a.scoreStride || a.channels !== 1)) {
    throw new ParamError('scores are for single-channel trees: scoreColumn must be below scoreStride and scores must hold n × scoreStride values');
  }
  if (a.leafOfRow && a.leafOfRow.length < n) throw new ShapeError('histGrow: leafOfRow needs n entries');
}
