/**
 * The boosting loop shared by GradientBoostingClassifier, GradientBoostingRegressor and
 * GradientBoostingRanker: bin once, then per round compute gradients at the current scores
 * (native kernel; per query for the ranker's LambdaRank), grow
 * one tree per score column (scores updated by the grower), track training and validation
 * loss, and stop early when the validation loss stops improving.
 */
import { abortCheckpoint } from '../../core/abort.js';
import { bool, int, list, nullable, num, oneOf, type ParamSpecs } from '../../core/params.js';
import { ParamError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/prng.js';
import type { HistLoss, HistSampleArgs, HistTreeParams } from '../../backend/backend.js';
import { CATEGORICAL_FEATURES, growTree, TREE_SEED, trainingBins, type TreeBackend } from '../tree/engine.js';
import { TreeEnsemble } from '../tree/ensemble.js';

export interface BoostingParams {
  /** Boosting rounds (one tree per round, one per class for a multiclass classifier), an integer >= 1. Default: 100. */
  nEstimators: number;
  /** Shrinkage of each tree's contribution, a finite number > 0. Default: 0.1. */
  learningRate: number;
  /** Most leaves per tree (trees grow leaf-wise, best gain first), an integer in [2, 131072]. Default: 31. */
  maxLeaves: number;
  /** Deepest a tree may grow, an integer >= 1; null: unlimited (maxLeaves still bounds it). Default: null. */
  maxDepth: number | null;
  /** Fewest rows in a leaf, an integer >= 1. Default: 20. */
  minDataInLeaf: number;
  /** Smallest sum of hessians in a leaf, a finite number >= 0. Default: 1e-3. */
  minSumHessianInLeaf: number;
  /** Smallest gain a split must bring, a finite number >= 0. Default: 0. */
  minGainToSplit: number;
  /** L1 regularisation of the leaf values, a finite number >= 0. Default: 0. */
  lambdaL1: number;
  /** L2 regularisation of the leaf values, a finite number >= 0. Default: 0. */
  lambdaL2: number;
  /** Value bins per numerical feature (bin 0, for missing values, comes on top), an integer in [2, 255]. Default: 255. */
  maxBins: number;
  /**
   * The categorical features, split by category rather than by threshold (LightGBM's native
   * categorical splits): column indices, a boolean mask (one per column), or null for none. Default: null.
   */
  categoricalFeatures: number[] | boolean[] | null;
  /** Added to each category's hessian sum when categories are ordered by gradient ratio for a split (LightGBM's cat_smooth), a finite number >= 0. Default: 10. */
  catSmooth: number;
  /** Extra L2 regularisation of categorical splits (LightGBM's cat_l2), a finite number >= 0. Default: 10. */
  catL2: number;
  /** A categorical feature with at most this many categories present is split one category against the rest, an integer >= 0. Default: 4. */
  maxCatToOnehot: number;
  /**
   * Bagging: each row is kept for a round with this probability (LightGBM's and XGBoost's row
   * subsampling; at least one row), in (0, 1]; 1 keeps every row. Only with dataSampleStrategy
   * 'bagging'. Default: 1.
   */
  subsample: number;
  /**
   * How rows are drawn for each round: 'bagging' (subsample), or 'goss', LightGBM's gradient-based
   * one-side sampling: after the first ⌊1 / learningRate⌋ rounds (which use every row), each round
   * keeps the topRate share of rows with the largest |gradient × hessian| and draws an otherRate
   * share (of all rows) from the rest, their gradients scaled up to keep the sums unbiased. Trees
   * then grow from about topRate + otherRate of the rows. Not with subsample < 1, nor with the
   * absolute-error and quantile losses (their leaves are refitted from the rows). Default: 'bagging'.
   */
  dataSampleStrategy: 'bagging' | 'goss';
  /** GOSS: the share of rows kept by gradient, in (0, 1). Default: 0.2. */
  topRate: number;
  /** GOSS: the share of rows (of all) drawn from the others, in (0, 1); topRate + otherRate must stay <= 1. Default: 0.1. */
  otherRate: number;
  /** Share of features drawn for each tree, in (0, 1]. Default: 1. */
  featureFraction: number;
  /** Share of (the tree's) features drawn for each node, in (0, 1]. Default: 1. */
  featureFractionByNode: number;
  /**
   * Stop when the validation loss (evalSet, or a validationFraction hold-out) has not improved for
   * this many rounds, an integer >= 1; null: no early stopping. Default: null.
   */
  earlyStoppingRounds: number | null;
  /** Share of the training rows held out for early stopping when fit gets no evalSet, in (0, 1). Default: 0.1. */
  validationFraction: number;
  /** int8 gradients with stochastic rounding: exact, order-free integer histograms (the WebGPU grower needs them). Default: false. */
  quantizedGradients: boolean;
  /**
   * Monotonic constraints, one per feature: 1 (predictions never decrease as it grows), -1
   * (never increase) or 0 (free), as scikit-learn's HistGradientBoosting (splits against the
   * direction are rejected, leaf values bounded); null for none. Not for categorical features,
   * multiclass classifiers, or the absolute-error and quantile losses. Default: null.
   */
  monotonicConstraints: number[] | null;
  /**
   * Interaction constraints, as scikit-learn's HistGradientBoosting interaction_cst: groups of
   * feature indices allowed to interact (features in no group form one more group); below a split,
   * a branch splits only on features sharing a group with every feature split on above it; null
   * for none. Default: null.
   */
  interactionConstraints: number[][] | null;
  /** Seed of the binning sample, row and feature draws, the hold-out and the gradient rounding, an integer in [0, 2^32). Default: 0. */
  randomState: number;
}

export const BOOSTING_DEFAULTS: BoostingParams = {
  nEstimators: 100,
  learningRate: 0.1,
  maxLeaves: 31,
  maxDepth: null,
  minDataInLeaf: 20,
  minSumHessianInLeaf: 1e-3,
  minGainToSplit: 0,
  lambdaL1: 0,
  lambdaL2: 0,
  maxBins: 255,
  categoricalFeatures: null,
  catSmooth: 10,
  catL2: 10,
  maxCatToOnehot: 4,
  subsample: 1,
  dataSampleStrategy: 'bagging',
  topRate: 0.2,
  otherRate: 0.1,
  featureFraction: 1,
  featureFractionByNode: 1,
  earlyStoppingRounds: null,
  validationFraction: 0.1,
  quantizedGradients: false,
  monotonicConstraints: null,
  interactionConstraints: null,
  randomState: 0,
};

const NON_NEGATIVE = num({ min: 0, finite: true });
const SHARE = num({ min: 0, max: 1, minExclusive: true });
const OPEN_SHARE = num({ min: 0, max: 1, minExclusive: true, maxExclusive: true });

export const BOOSTING_SPECS: ParamSpecs<BoostingParams> = {
  nEstimators: int({ min: 1 }),
  learningRate: num({ min: 0, minExclusive: true, finite: true }),
  maxLeaves: int({ min: 2, max: 131072 }),
  maxDepth: nullable(int({ min: 1 })),
  minDataInLeaf: int({ min: 1 }),
  minSumHessianInLeaf: NON_NEGATIVE,
  minGainToSplit: NON_NEGATIVE,
  lambdaL1: NON_NEGATIVE,
  lambdaL2: NON_NEGATIVE,
  maxBins: int({ min: 2, max: 255 }),
  categoricalFeatures: CATEGORICAL_FEATURES,
  catSmooth: NON_NEGATIVE,
  catL2: NON_NEGATIVE,
  maxCatToOnehot: int({ min: 0 }),
  subsample: SHARE,
  dataSampleStrategy: oneOf('bagging', 'goss'),
  topRate: OPEN_SHARE,
  otherRate: OPEN_SHARE,
  featureFraction: SHARE,
  featureFractionByNode: SHARE,
  earlyStoppingRounds: nullable(int({ min: 1 })),
  validationFraction: num({ min: 0, max: 1, minExclusive: true, maxExclusive: true }),
  quantizedGradients: bool(),
  monotonicConstraints: nullable(list(int({ min: -1, max: 1 }))),
  interactionConstraints: nullable(list(list(int({ min: 0 })))),
  randomState: TREE_SEED,
};

export function treeParams(p: BoostingParams, seed: number): HistTreeParams {
  return {
    maxLeaves: p.maxLeaves,
    maxDepth: p.maxDepth ?? -1,
    minDataInLeaf: p.minDataInLeaf,
    minDataToSplit: 0,
    minSumHessianInLeaf: p.minSumHessianInLeaf,
    minGainToSplit: p.minGainToSplit,
    lambdaL1: p.lambdaL1,
    lambdaL2: p.lambdaL2,
    catSmooth: p.catSmooth,
    catL2: p.catL2,
    maxCatToOnehot: p.maxCatToOnehot,
    featureFractionByNode: p.featureFractionByNode,
    seed,
    quantized: p.quantizedGradients ? 1 : 0,
    randomThresholds: 0,
  };
}

export interface RoundLogs {
  round: number;
  rounds: number;
  /** Mean training loss after this round. */
  trainLoss: number;
  validLoss?: number;
}

export interface BoostingTask {
  loss: HistLoss;
  /** Score columns: 1, or the classes for softmax. */
  k: number;
  y: Float64Array;
  w: Float64Array | null;
  /** Initial raw score per column. */
  init: Float64Array;
  /** The loss's parameter (HistKernels.gradients): Huber's delta, the quantile's alpha, Tweedie's power. */
  lossParam: number;
  /** Per-class strata for the hold-out split (classifiers), else null. */
  strata: Int32Array | null;
  valid: { X: Matrix; y: Float64Array; w: Float64Array | null } | null;
  onProgress?: (logs: RoundLogs) => void;
  signal?: AbortSignal;
  /** LambdaRank (the ranker): gradients per query from HistKernels.rankGradients instead of `loss`. */
  rank?: RankObjective;
  /** Leaf values re-fitted from the rows in each leaf (absolute error and quantile: a quantile of the residuals). */
  refitLeaves?: (leafOfRow: Int32Array, scores: Float64Array, nodes: number, y: Float64Array, w: Float64Array | null) => Float64Array;
}

/** LambdaRank's settings and query groups; its loss is the mean over queries of 1 − NDCG@evalAt. */
export interface RankObjective {
  sigma: number;
  truncation: number;
  norm: boolean;
  evalAt: number;
  /** Query offsets of the training rows (queries + 1, from 0 to n). */
  queryOffset: Int32Array;
  /** Query offsets of the validation rows, when there are some. */
  validQueryOffset: Int32Array | null;
}

export interface BoostingResult {
  ensemble: TreeEnsemble;
  trainLoss: number[];
  validLoss: number[] | null;
  bestIteration: number;
}

const sum = (w: Float64Array | null, n: number) => (w ? w.reduce((a, b) => a + b, 0) : n);

export async function boost(
  backend: TreeBackend,
  X: Matrix,
  task: BoostingTask,
  p: BoostingParams,
  categorical: Uint8Array,
  owner: string,
): Promise<BoostingResult> {
  const { k, loss } = task;
  const n = X.rows,
    cols = X.cols;
  const monotone = monotoneOf(p.monotonicConstraints, task, categorical, owner);
  const interaction = interactionsOf(p.interactionConstraints, cols, owner);
  const data = await trainingBins(backend, X, categorical, p.maxBins, p.randomState, owner);
  const scores = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) scores[i * k + c] = task.init[c];
  const gradHess = new Float64Array(2 * n * k);
  const ensemble = new TreeEnsemble(1, k, cols);
  const rng = new Rng(p.randomState);
  const wSum = sum(task.w, n);

  const valid = task.valid;
  const validScores = valid ? new Float64Array(valid.X.rows * k) : null;
  if (validScores) for (let i = 0; i < validScores.length; i++) validScores[i] = task.init[i % k];
  const validGrad = valid ? new Float64Array(2 * valid.X.rows * k) : null;
  const validWSum = valid ? sum(valid.w, valid.X.rows) : 0;
  const rank = task.rank;
  const sampling = samplingOf(p, task, owner);
  const sampleOut = sampling ? new Int32Array(n) : undefined;
  // GOSS ranks rows by keys of their gradients: the gradients kernel writes them while it has the
  // gradients in cache (LambdaRank's kernel does not: the sampler then computes them).
  const gossKeys = sampling?.args.strategy === 'goss' && !rank ? new Uint32Array(n) : null;
  // The mean loss at the scores, gradients into gh (and their GOSS keys into keys); ranking sums over queries, not rows.
  const lossAt = async (
    y: Float64Array,
    s: Float64Array,
    w: Float64Array | null,
    gh: Float64Array,
    total: number,
    queryOffset: Int32Array | null,
    keys: Uint32Array | null,
  ) =>
    rank
      ? (await backend.rankGradients({
          n: y.length,
          y,
          scores: s,
          queryOffset: queryOffset!,
          sigma: rank.sigma,
          truncation: rank.truncation,
          norm: rank.norm,
          evalAt: rank.evalAt,
          gradHess: gh,
        })) /
        (queryOffset!.length - 1)
      : (await backend.gradients(loss, y.length, k, y, s, w, task.lossParam, gh, keys)) / total;
  const validLossNow = () => lossAt(valid!.y, validScores!, valid!.w, validGrad!, validWSum, rank?.validQueryOffset ?? null, null);
  const trainLossNow = () => lossAt(task.y, scores, task.w, gradHess, wSum, rank?.queryOffset ?? null, gossKeys);

  const trainLoss: number[] = [],
    validLoss: number[] = [];
  let best = Infinity,
    bestIteration = 0;
  const leafOfRow = task.refitLeaves ? new Int32Array(n) : null;

  let lossBefore = await trainLossNow();
  const checkpoint = abortCheckpoint(task.signal);
  for (let round = 0; round < p.nEstimators; round++) {
    await checkpoint(); // rejects; the estimator keeps its previous state (EarlyStopping keeps what was trained)
    // This round's rows (GOSS also scales the gradients of the rows it draws).
    const rows =
      sampling && round >= sampling.fromRound
        ? await backend.sampleRows({ ...sampling.args, n, k, gradHess, seed: rng.nextUint32() >>> 1, out: sampleOut, keys: gossKeys })
        : null;
    let featureAllowed: Uint8Array | null = null;
    if (p.featureFraction < 1) {
      const order = rng.shuffle(Int32Array.from({ length: cols }, (_, f) => f));
      featureAllowed = new Uint8Array(cols);
      for (let i = 0; i < Math.max(1, Math.round(p.featureFraction * cols)); i++) featureAllowed[order[i]] = 1;
    }
    const treeBegin = ensemble.trees;
    for (let c = 0; c < k; c++) {
      const seed = rng.nextUint32() >>> 1; // 31 bits: the binding takes non-negative int32 dimensions
      const gh = k === 1 ? gradHess : gradHess.subarray(2 * n * c, 2 * n * (c + 1));
      const out = await growTree(backend, data, gh, 1, treeParams(p, seed), {
        rows,
        featureAllowed,
        leafOfRow,
        scores: task.refitLeaves ? null : scores,
        scoreStride: k,
        scoreColumn: c,
        scale: p.learningRate,
        monotone,
        interaction,
      });
      if (task.refitLeaves) {
        const values = task.refitLeaves(leafOfRow!, scores, out.numNodes[0], task.y, task.w);
        ensemble.addTree(out, data.mapper, c, p.learningRate, values);
        await backend.predict({
          x: X.data,
          n,
          p: cols,
          forest: ensemble.forest(),
          treeBegin: ensemble.trees - 1,
          treeEnd: ensemble.trees,
          out: scores,
          outCols: k,
          leafIndex: null,
        });
      } else {
        ensemble.addTree(out, data.mapper, c, p.learningRate);
      }
    }
    lossBefore = await trainLossNow();
    trainLoss.push(lossBefore);
    const logs: RoundLogs = { round: round + 1, rounds: p.nEstimators, trainLoss: lossBefore };
    if (valid) {
      await backend.predict({
        x: valid.X.data,
        n: valid.X.rows,
        p: cols,
        forest: ensemble.forest(),
        treeBegin,
        treeEnd: ensemble.trees,
        out: validScores,
        outCols: k,
        leafIndex: null,
      });
      const v = await validLossNow();
      validLoss.push(v);
      logs.validLoss = v;
      if (v < best) {
        best = v;
        bestIteration = round + 1;
      }
    } else {
      bestIteration = round + 1;
    }
    task.onProgress?.(logs);
    if (valid && p.earlyStoppingRounds !== null && round + 1 - bestIteration >= p.earlyStoppingRounds) break;
  }
  if (!(valid && p.earlyStoppingRounds !== null)) bestIteration = trainLoss.length;
  ensemble.truncate(bestIteration * k);
  return { ensemble, trainLoss, validLoss: valid ? validLoss : null, bestIteration };
}

/** How each round draws its rows (null: every row, every round); refuses combinations that cannot hold. */
function samplingOf(
  p: BoostingParams,
  task: BoostingTask,
  owner: string,
): { args: Pick<HistSampleArgs, 'strategy' | 'rate' | 'topRate' | 'otherRate'>; fromRound: number } | null {
  if (p.dataSampleStrategy === 'bagging')
    return p.subsample < 1 ? { args: { strategy: 'bagging', rate: p.subsample, topRate: 1, otherRate: 0 }, fromRound: 0 } : null;
  if (p.subsample < 1)
    throw new ParamError(
      `${owner}: subsample (${p.subsample}) is bagging; with dataSampleStrategy 'goss' set topRate and otherRate instead, and leave subsample at 1`,
    );
  if (p.topRate + p.otherRate > 1)
    throw new ParamError(`${owner}: topRate + otherRate is ${p.topRate + p.otherRate}, above 1; lower one of them so that their sum is at most 1`);
  if (task.refitLeaves)
    throw new ParamError(
      `${owner}: dataSampleStrategy 'goss' is not supported for loss '${task.loss}' (its leaves are refitted from the rows' residuals); use subsample for bagging`,
    );
  // LightGBM's rule: the first 1 / learningRate rounds see every row (the gradients are still large everywhere).
  return { args: { strategy: 'goss', rate: 1, topRate: p.topRate, otherRate: p.otherRate }, fromRound: Math.floor(1 / p.learningRate) };
}

/** The constraints as the grower takes them, or null; refuses what they cannot hold (scikit-learn's rules). */
function monotoneOf(c: number[] | null, task: BoostingTask, categorical: Uint8Array, owner: string): Int8Array | null {
  if (c === null || c.every((v) => v === 0)) return null;
  if (c.length !== categorical.length)
    throw new ParamError(`${owner}: monotonicConstraints has ${c.length} entries but X has ${categorical.length} features; give one per feature`);
  if (task.k !== 1) throw new ParamError(`${owner}: monotonicConstraints are not supported for multiclass classification`);
  if (task.refitLeaves) throw new ParamError(`${owner}: monotonicConstraints are not supported for loss '${task.loss}' (its leaves are refitted)`);
  const f = c.findIndex((v, i) => v !== 0 && categorical[i]);
  if (f >= 0) throw new ParamError(`${owner}: feature ${f} is categorical and cannot have a monotonic constraint`);
  return Int8Array.from(c);
}

/** Interaction groups as flags (groups × p), the features in no group as one more group (scikit-learn's rule); null: none. */
function interactionsOf(groups: number[][] | null, p: number, owner: string): { flags: Uint8Array; groups: number } | null {
  if (groups === null) return null;
  const listed = new Uint8Array(p);
  for (const g of groups)
    for (const f of g) {
      if (f >= p) throw new ParamError(`${owner}: interactionConstraints names feature ${f}, but X has ${p} features (0 .. ${p - 1})`);
      listed[f] = 1;
    }
  const all = listed.every((v) => v === 1) ? groups : [...groups, Array.from({ length: p }, (_, f) => f).filter((f) => !listed[f])];
  const flags = new Uint8Array(all.length * p);
  all.forEach((g, i) => {
    for (const f of g) flags[i * p + f] = 1;
  });
  return { flags, groups: all.length };
}
