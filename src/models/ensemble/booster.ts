/**
 * The boosting loop shared by GradientBoostingClassifier and GradientBoostingRegressor:
 * bin once, then per round compute gradients at the current scores (native kernel), grow
 * one tree per score column (scores updated by the grower), track training and validation
 * loss, and stop early when the validation loss stops improving.
 */
import { abortCheckpoint } from '../../core/abort.js';
import { ParamError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/prng.js';
import type { HistLoss, HistTreeParams } from '../../backend/backend.js';
import { fitBinMapper } from '../tree/binning.js';
import { binMatrix, growTree, type TreeBackend } from '../tree/engine.js';
import { TreeEnsemble } from '../tree/ensemble.js';

export interface BoostingParams {
  nEstimators: number;
  learningRate: number;
  maxLeaves: number;
  /** null: unlimited. */
  maxDepth: number | null;
  minDataInLeaf: number;
  minSumHessianInLeaf: number;
  minGainToSplit: number;
  lambdaL1: number;
  lambdaL2: number;
  maxBins: number;
  categoricalFeatures: number[] | boolean[] | null;
  catSmooth: number;
  catL2: number;
  maxCatToOnehot: number;
  /** Share of rows drawn (without replacement) for each round. */
  subsample: number;
  /** Share of features drawn for each tree, and for each node. */
  featureFraction: number;
  featureFractionByNode: number;
  /** Stop when the validation loss has not improved for this many rounds (null: off). */
  earlyStoppingRounds: number | null;
  /** Share of the training rows held out for early stopping when fit gets no evalSet. */
  validationFraction: number;
  /** int8 gradients with stochastic rounding: exact, order-free integer histograms. */
  quantizedGradients: boolean;
  randomState: number;
}

export const BOOSTING_DEFAULTS: BoostingParams = {
  nEstimators: 100, learningRate: 0.1, maxLeaves: 31, maxDepth: null, minDataInLeaf: 20, minSumHessianInLeaf: 1e-3,
  minGainToSplit: 0, lambdaL1: 0, lambdaL2: 0, maxBins: 255, categoricalFeatures: null, catSmooth: 10, catL2: 10,
  maxCatToOnehot: 4, subsample: 1, featureFraction: 1, featureFractionByNode: 1, earlyStoppingRounds: null,
  validationFraction: 0.1, quantizedGradients: false, randomState: 0,
};

export function checkBoostingParams(p: BoostingParams, owner: string): void {
  const bad = (name: string, want: string) => { throw new ParamError(`${owner}: ${name} must be ${want}, got ${String((p as unknown as Record<string, unknown>)[name])}`); };
  const int = (v: number, lo: number) => Number.isInteger(v) && v >= lo;
  if (!int(p.nEstimators, 1)) bad('nEstimators', 'an integer >= 1');
  if (!(p.learningRate > 0 && Number.isFinite(p.learningRate))) bad('learningRate', 'a finite number > 0');
  if (!int(p.maxLeaves, 2) || p.maxLeaves > 131072) bad('maxLeaves', 'an integer in [2, 131072]');
  if (p.maxDepth !== null && !int(p.maxDepth, 1)) bad('maxDepth', 'null or an integer >= 1');
  if (!int(p.minDataInLeaf, 1)) bad('minDataInLeaf', 'an integer >= 1');
  for (const k of ['minSumHessianInLeaf', 'minGainToSplit', 'lambdaL1', 'lambdaL2', 'catSmooth', 'catL2'] as const) {
    if (!(p[k] >= 0 && Number.isFinite(p[k]))) bad(k, 'a finite number >= 0');
  }
  if (!int(p.maxBins, 2) || p.maxBins > 255) bad('maxBins', 'an integer in [2, 255]');
  if (!int(p.maxCatToOnehot, 0)) bad('maxCatToOnehot', 'an integer >= 0');
  for (const k of ['subsample', 'featureFraction', 'featureFractionByNode'] as const) if (!(p[k] > 0 && p[k] <= 1)) bad(k, 'in (0, 1]');
  if (p.earlyStoppingRounds !== null && !int(p.earlyStoppingRounds, 1)) bad('earlyStoppingRounds', 'null or an integer >= 1');
  if (!(p.validationFraction > 0 && p.validationFraction < 1)) bad('validationFraction', 'in (0, 1)');
  if (!int(p.randomState, 0) || p.randomState > 0xffffffff) bad('randomState', 'an integer in [0, 2^32)');
}

export function treeParams(p: BoostingParams, seed: number): HistTreeParams {
  return {
    maxLeaves: p.maxLeaves, maxDepth: p.maxDepth ?? -1, minDataInLeaf: p.minDataInLeaf, minDataToSplit: 0,
    minSumHessianInLeaf: p.minSumHessianInLeaf, minGainToSplit: p.minGainToSplit, lambdaL1: p.lambdaL1, lambdaL2: p.lambdaL2,
    catSmooth: p.catSmooth, catL2: p.catL2, maxCatToOnehot: p.maxCatToOnehot, featureFractionByNode: p.featureFractionByNode,
    seed, quantized: p.quantizedGradients ? 1 : 0,
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
  huberDelta: number;
  /** Per-class strata for the hold-out split (classifiers), else null. */
  strata: Int32Array | null;
  valid: { X: Matrix; y: Float64Array; w: Float64Array | null } | null;
  onProgress?: (logs: RoundLogs) => void;
  signal?: AbortSignal;
  /** Leaf values re-fitted from the rows in each leaf (absolute error: weighted median of residuals). */
  refitLeaves?: (leafOfRow: Int32Array, scores: Float64Array, nodes: number, y: Float64Array, w: Float64Array | null) => Float64Array;
}

export interface BoostingResult {
  ensemble: TreeEnsemble;
  trainLoss: number[];
  validLoss: number[] | null;
  bestIteration: number;
}

const sum = (w: Float64Array | null, n: number) => (w ? w.reduce((a, b) => a + b, 0) : n);

export async function boost(backend: TreeBackend, X: Matrix, task: BoostingTask, p: BoostingParams, categorical: Uint8Array,
  owner: string): Promise<BoostingResult> {
  const { k, loss } = task;
  const n = X.rows, cols = X.cols;
  const mapper = fitBinMapper(X, categorical, p.maxBins, p.randomState, owner);
  const data = await binMatrix(backend, X, mapper);
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
  const validLossNow = async () => (await backend.gradients(loss, valid!.X.rows, k, valid!.y, validScores!, valid!.w,
    task.huberDelta, validGrad!)) / validWSum;

  const trainLoss: number[] = [], validLoss: number[] = [];
  let best = Infinity, bestIteration = 0;
  const leafOfRow = task.refitLeaves ? new Int32Array(n) : null;
  const bagSize = Math.max(1, Math.floor(p.subsample * n));
  const bag = p.subsample < 1 ? new Int32Array(n) : null;

  let lossBefore = (await backend.gradients(loss, n, k, task.y, scores, task.w, task.huberDelta, gradHess)) / wSum;
  const checkpoint = abortCheckpoint(task.signal);
  for (let round = 0; round < p.nEstimators; round++) {
    await checkpoint(); // rejects; the estimator keeps its previous state (EarlyStopping keeps what was trained)
    let rows: Int32Array | null = null;
    if (bag) { // rows for this round, without replacement, ascending for locality
      for (let i = 0; i < n; i++) bag[i] = i;
      for (let i = 0; i < bagSize; i++) { const j = i + rng.int(n - i); const t = bag[i]; bag[i] = bag[j]; bag[j] = t; }
      rows = bag.slice(0, bagSize).sort();
    }
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
        rows, featureAllowed, leafOfRow,
        scores: task.refitLeaves ? null : scores, scoreStride: k, scoreColumn: c, scale: p.learningRate,
      });
      if (task.refitLeaves) {
        const values = task.refitLeaves(leafOfRow!, scores, out.numNodes[0], task.y, task.w);
        ensemble.addTree(out, mapper, c, p.learningRate, values);
        await backend.predict({ x: X.data, n, p: cols, forest: ensemble.forest(), treeBegin: ensemble.trees - 1,
          treeEnd: ensemble.trees, out: scores, outCols: k, leafIndex: null });
      } else {
        ensemble.addTree(out, mapper, c, p.learningRate);
      }
    }
    lossBefore = (await backend.gradients(loss, n, k, task.y, scores, task.w, task.huberDelta, gradHess)) / wSum;
    trainLoss.push(lossBefore);
    const logs: RoundLogs = { round: round + 1, rounds: p.nEstimators, trainLoss: lossBefore };
    if (valid) {
      await backend.predict({ x: valid.X.data, n: valid.X.rows, p: cols, forest: ensemble.forest(), treeBegin,
        treeEnd: ensemble.trees, out: validScores, outCols: k, leafIndex: null });
      const v = await validLossNow();
      validLoss.push(v);
      logs.validLoss = v;
      if (v < best) { best = v; bestIteration = round + 1; }
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
