/**
 * The bagged-trees learner that random forests (models/ensemble) and decision trees (one tree,
 * no bootstrap: decision-tree.ts) are made of, on the hist engine. A classification tree grows on one
 * gradient channel per class (g = −w·[y = c], h = w): its split gain is then exactly the
 * weighted Gini impurity decrease and its leaves hold class proportions; a regression tree's
 * gain is the decrease of the weighted squared error and its leaves hold means. Forests
 * average their trees over bootstrap samples with per-split feature sampling
 * (scikit-learn's max_features).
 */
import { abortCheckpoint } from '../../core/abort.js';
import { readMatrix } from '../../core/read-matrix.js';
import { ParamError, ShapeError } from '../../core/errors.js';
import { SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../../core/estimator.js';
import { Matrix, type MatrixLike } from '../../core/matrix.js';
import { Rng } from '../../core/prng.js';
import type { BackendChoice, HistTreeParams } from '../../backend/backend.js';
import { accuracyScore, type Label } from '../../metrics/classification.js';
import { r2Score } from '../../metrics/regression.js';
import { classWeights, type ClassWeight } from '../common/class-weight.js';
import { encodeLabels, labelsOfMaxScore } from '../../core/labels.js';
import { readSampleWeight } from '../common/targets.js';
import { fitBinMapper } from './binning.js';
import { binMatrix, categoricalMask, growTree, treeBackend } from './engine.js';
import { TreeEnsemble } from './ensemble.js';
import { singleTarget, TreeModel, type FittedTrees } from './model.js';

export type MaxFeatures = 'sqrt' | 'log2' | number | null;

export interface TreeParams {
  /** null: grow until leaves are pure (or hold minSamplesLeaf rows). */
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxLeafNodes: number | null;
  /** Features drawn at each split: 'sqrt', 'log2', a share in (0, 1] (1 = all), a count ≥ 2, or null for all. */
  maxFeatures: MaxFeatures;
  /** A split must decrease the weighted impurity by at least this (scikit-learn's definition). */
  minImpurityDecrease: number;
  maxBins: number;
  categoricalFeatures: number[] | boolean[] | null;
  randomState: number;
  backend: BackendChoice;
}

export interface ForestParams extends TreeParams {
  nEstimators: number;
  bootstrap: boolean;
  /** Rows drawn per tree when bootstrapping: a share in (0, 1], a count, or null for all n. */
  maxSamples: number | null;
}

export const TREE_DEFAULTS: TreeParams = {
  maxDepth: null, minSamplesSplit: 2, minSamplesLeaf: 1, maxLeafNodes: null, maxFeatures: null, minImpurityDecrease: 0,
  maxBins: 255, categoricalFeatures: null, randomState: 0, backend: 'auto',
};

function checkTreeParams(p: TreeParams, owner: string): void {
  const int = (v: unknown, lo: number) => Number.isInteger(v) && (v as number) >= lo;
  if (p.maxDepth !== null && !int(p.maxDepth, 1)) throw new ParamError(`${owner}: maxDepth must be null or an integer >= 1`);
  if (!int(p.minSamplesSplit, 2)) throw new ParamError(`${owner}: minSamplesSplit must be an integer >= 2`);
  if (!int(p.minSamplesLeaf, 1)) throw new ParamError(`${owner}: minSamplesLeaf must be an integer >= 1`);
  if (p.maxLeafNodes !== null && !int(p.maxLeafNodes, 2)) throw new ParamError(`${owner}: maxLeafNodes must be null or an integer >= 2`);
  const mf = p.maxFeatures;
  if (!(mf === null || mf === 'sqrt' || mf === 'log2' || (typeof mf === 'number' && mf > 0 && (mf <= 1 || Number.isInteger(mf))))) {
    throw new ParamError(`${owner}: maxFeatures must be 'sqrt', 'log2', a share in (0, 1], an integer count >= 2 or null`);
  }
  if (!(p.minImpurityDecrease >= 0 && Number.isFinite(p.minImpurityDecrease))) throw new ParamError(`${owner}: minImpurityDecrease must be a finite number >= 0`);
  if (!int(p.maxBins, 2) || p.maxBins > 255) throw new ParamError(`${owner}: maxBins must be an integer in [2, 255]`);
  if (!int(p.randomState, 0) || p.randomState > 0xffffffff) throw new ParamError(`${owner}: randomState must be an integer in [0, 2^32)`);
}

function featuresPerSplit(mf: MaxFeatures, p: number): number {
  if (mf === null) return p;
  if (mf === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(p)));
  if (mf === 'log2') return Math.max(1, Math.floor(Math.log2(p)));
  return mf <= 1 ? Math.max(1, Math.floor(mf * p)) : Math.min(p, mf);
}

interface Task {
  /** Target per row and channel: class indicators (classifiers) or values. */
  targets: Float64Array;
  channels: number;
  w: Float64Array | null;
}

interface ForestState extends FittedTrees {
  classes?: Label[];
}

abstract class BaseForest<P extends ForestParams> extends TreeModel<P, ForestState> {
  protected checkParams(p: P): void {
    checkTreeParams(p, this.constructor.name);
    if (!Number.isInteger(p.nEstimators) || p.nEstimators < 1) throw new ParamError(`${this.constructor.name}: nEstimators must be an integer >= 1`);
    if (p.maxSamples !== null && !(p.maxSamples > 0 && (p.maxSamples <= 1 || Number.isInteger(p.maxSamples)))) {
      throw new ParamError(`${this.constructor.name}: maxSamples must be null, a share in (0, 1] or an integer count`);
    }
  }

  protected async fitTrees(X: MatrixLike, task: Task, rows: number, signal: AbortSignal | undefined): Promise<void> {
    const owner = `${this.constructor.name}.fit`;
    const Xm = readMatrix(X, `${owner}: X`, { nonFinite: 'keep' });
    if (Xm.rows !== rows) throw new ShapeError(`${owner}: X has ${Xm.rows} rows but y has ${rows}`);
    const p = this.params, n = Xm.rows, C = task.channels;
    const categorical = categoricalMask(p.categoricalFeatures, Xm.cols, this.constructor.name);
    const backend = await treeBackend(p.backend, n * Xm.cols * p.nEstimators, this.constructor.name);
    const mapper = fitBinMapper(Xm, categorical, p.maxBins, p.randomState, this.constructor.name);
    const data = await binMatrix(backend, Xm, mapper);
    const rng = new Rng(p.randomState);
    const perTree = p.bootstrap ? (p.maxSamples === null ? n : p.maxSamples <= 1 && !Number.isInteger(p.maxSamples) ? Math.max(1, Math.round(p.maxSamples * n)) : Math.min(n, p.maxSamples)) : n;
    const totalWeight = task.w ? task.w.reduce((a, b) => a + b, 0) : n;
    // A tree cannot have more leaves than rows per leaf allow (or than 2^depth): size its arrays to that.
    const byDepth = p.maxDepth !== null && p.maxDepth < 30 ? 2 ** p.maxDepth : Infinity;
    const maxLeaves = Math.max(2, Math.min(p.maxLeafNodes ?? Infinity, Math.floor(perTree / p.minSamplesLeaf), byDepth));
    const ensemble = new TreeEnsemble(C, C, Xm.cols);
    const gradHess = new Float64Array(n * (C + 1));
    const counts = new Float64Array(n);
    const checkpoint = abortCheckpoint(signal);
    for (let t = 0; t < p.nEstimators; t++) {
      await checkpoint();
      counts.fill(p.bootstrap ? 0 : 1);
      if (p.bootstrap) for (let i = 0; i < perTree; i++) counts[rng.int(n)]++;
      let inBag = 0;
      for (let i = 0; i < n; i++) {
        const w = counts[i] * (task.w ? task.w[i] : 1);
        for (let c = 0; c < C; c++) gradHess[i * (C + 1) + c] = -w * task.targets[i * C + c];
        gradHess[i * (C + 1) + C] = w;
        if (counts[i] > 0) inBag++;
      }
      const rowsInBag = inBag < n ? Int32Array.from({ length: inBag }) : null;
      if (rowsInBag) for (let i = 0, k = 0; i < n; i++) if (counts[i] > 0) rowsInBag[k++] = i;
      const params: HistTreeParams = {
        maxLeaves, maxDepth: p.maxDepth ?? -1, minDataInLeaf: p.minSamplesLeaf, minDataToSplit: p.minSamplesSplit,
        minSumHessianInLeaf: 0, minGainToSplit: p.minImpurityDecrease * totalWeight, lambdaL1: 0, lambdaL2: 0,
        catSmooth: 0, catL2: 0, maxCatToOnehot: 4, featureFractionByNode: featuresPerSplit(p.maxFeatures, Xm.cols) / Xm.cols,
        seed: rng.nextUint32() >>> 1, quantized: 0,
      };
      const out = await growTree(backend, data, gradHess, C, params, { rows: rowsInBag });
      ensemble.addTree(out, mapper, 0, 1 / p.nEstimators);
    }
    ensemble.truncate(ensemble.trees);
    this.state = { ensemble, baseScore: new Float64Array(C), features: Xm.cols };
  }
}

/** Classification targets as per-class indicators (n × K), with class weights folded into w. */
function classTask(y: ArrayLike<Label>, w0: ArrayLike<number> | undefined, classWeight: ClassWeight | null, owner: string): { task: Task; classes: Label[]; rows: number } {
  const { classes, codes } = encodeLabels(y, `${owner}: y`);
  const n = codes.length, K = classes.length;
  if (K < 2) throw new ParamError(`${owner}: y holds one class only (${String(classes[0])}); a classifier needs at least two`);
  let w = readSampleWeight(w0, n, `${owner}: sampleWeight`);
  if (classWeight !== null) {
    const cw = classWeights(classWeight, classes, codes, owner);
    w = Float64Array.from({ length: n }, (_, i) => (w ? w[i] : 1) * cw[codes[i]]);
  }
  const targets = new Float64Array(n * K);
  for (let i = 0; i < n; i++) targets[i * K + codes[i]] = 1;
  return { task: { targets, channels: K, w }, classes, rows: n };
}

function regressionTask(y: ArrayLike<number>, w0: ArrayLike<number> | undefined, owner: string): { task: Task; rows: number } {
  const targets = singleTarget(y, `${owner}: y`);
  return { task: { targets, channels: 1, w: readSampleWeight(w0, targets.length, `${owner}: sampleWeight`) }, rows: targets.length };
}

export interface ForestClassifierParams extends ForestParams { classWeight: ClassWeight | null }

export abstract class BaseForestClassifier<P extends ForestClassifierParams> extends BaseForest<P> {
  get classes(): Label[] { return [...this.fitted(this.state?.classes)]; }

  async fit(X: MatrixLike, y: ArrayLike<Label>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const owner = `${this.constructor.name}.fit`;
      const { task, classes, rows } = classTask(y, opts.sampleWeight, this.params.classWeight, owner);
      await this.fitTrees(X, task, rows, opts.signal);
      this.state!.classes = classes;
      return this;
    });
  }

  /** Mean of the trees' leaf class proportions. */
  async predictProba(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const raw = await this.raw(X, 'predictProba');
      const K = this.fitted(this.state).ensemble.outputs;
      return new Matrix(raw, raw.length / K, K);
    });
  }

  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Label[]> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const pr = await this.predictProba(X);
      return labelsOfMaxScore(this.classes, pr.data, pr.rows, pr.cols);
    });
  }

  predictProbaSync(X: MatrixLike): Matrix<Float64Array> {
    const raw = this.rawSync(X, 'predictProbaSync');
    const K = this.fitted(this.state).ensemble.outputs;
    return new Matrix(raw, raw.length / K, K);
  }

  predictSync(X: MatrixLike): Label[] {
    const pr = this.predictProbaSync(X);
    return labelsOfMaxScore(this.classes, pr.data, pr.rows, pr.cols);
  }

  async score(X: MatrixLike, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }
}

export abstract class BaseForestRegressor<P extends ForestParams> extends BaseForest<P> {
  async fit(X: MatrixLike, y: ArrayLike<number>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const { task, rows } = regressionTask(y, opts.sampleWeight, `${this.constructor.name}.fit`);
      await this.fitTrees(X, task, rows, opts.signal);
      return this;
    });
  }

  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      return this.raw(X, 'predict');
    });
  }

  predictSync(X: MatrixLike): Float64Array {
    return this.rawSync(X, 'predictSync');
  }

  async score(X: MatrixLike, y: ArrayLike<number>): Promise<number> {
    return r2Score(y, await this.predict(X));
  }
}
