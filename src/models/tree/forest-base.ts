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
import { EmptyInputError, ParamError, ShapeError } from '../../core/errors.js';
import { bool, int, nullable, num, oneOf, union, type ParamSpecs } from '../../core/params.js';
import { BACKEND_CHOICE } from '../../backend/contract/names.js';
import { SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../../core/estimator.js';
import { Matrix, type MatrixLike, type SyncRows } from '../../core/matrix.js';
import { Rng } from '../../core/prng.js';
import type { BackendChoice, HistTreeParams } from '../../backend/backend.js';
import { accuracyScore, type Label } from '../../metrics/classification.js';
import { r2Score } from '../../metrics/regression.js';
import { CLASS_WEIGHT, classWeights, type ClassWeight } from '../common/class-weight.js';
import { encodeLabels, labelsOfMaxScore } from '../../core/labels.js';
import { readSampleWeight, readTarget, type RegressionTarget } from '../common/targets.js';
import { CATEGORICAL_FEATURES, categoricalMask, growTree, TREE_SEED, trainingBins, treeBackend } from './engine.js';
import { TreeEnsemble } from './ensemble.js';
import { TreeModel, type FittedTrees } from './model.js';

export type MaxFeatures = 'sqrt' | 'log2' | number | null;

export interface TreeParams {
  /** Deepest a tree may grow, an integer >= 1; null: until leaves are pure (or hold minSamplesLeaf rows). Default: null. */
  maxDepth: number | null;
  /** Fewest rows a node needs to be split, an integer >= 2. Default: 2. */
  minSamplesSplit: number;
  /** Fewest rows each leaf keeps, an integer >= 1. Default: 1. */
  minSamplesLeaf: number;
  /** Most leaves per tree (grown best-first), an integer >= 2; null: no limit. Default: null. */
  maxLeafNodes: number | null;
  /**
   * Features drawn at each split: 'sqrt' or 'log2' of the feature count, a share in (0, 1]
   * (1 = all), a count >= 2, or null for all. Default: null (decision trees), 'sqrt'
   * (RandomForestClassifier), 1 (RandomForestRegressor).
   */
  maxFeatures: MaxFeatures;
  /** A split must decrease the weighted impurity by at least this, a finite number >= 0 (scikit-learn's definition). Default: 0. */
  minImpurityDecrease: number;
  /** Value bins per numerical feature (bin 0, for missing values, comes on top), an integer in [2, 255]. Default: 255. */
  maxBins: number;
  /**
   * The categorical features, split by category rather than by threshold: column indices, a
   * boolean mask (one per column), or null for none. Default: null.
   */
  categoricalFeatures: number[] | boolean[] | null;
  /** Seed of the binning sample, the bootstrap and the feature draws, an integer in [0, 2^32). Default: 0. */
  randomState: number;
  /** Backend of the hist engine (binning, growing, prediction): 'auto', 'native', 'webgpu' or 'js'. Default: 'auto'. */
  backend: BackendChoice;
}

export interface ForestParams extends TreeParams {
  /** Trees in the forest, an integer >= 1. Default: 100. */
  nEstimators: number;
  /** Grow each tree on a bootstrap sample (rows drawn with replacement) instead of all rows. Default: true. */
  bootstrap: boolean;
  /** Rows drawn per tree when bootstrapping: a share in (0, 1], a count, or null for all n. Default: null. */
  maxSamples: number | null;
}

export const TREE_DEFAULTS: TreeParams = {
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxLeafNodes: null,
  maxFeatures: null,
  minImpurityDecrease: 0,
  maxBins: 255,
  categoricalFeatures: null,
  randomState: 0,
  backend: 'auto',
};

const SHARE = num({ min: 0, max: 1, minExclusive: true });

export const TREE_SPECS: ParamSpecs<TreeParams> = {
  maxDepth: nullable(int({ min: 1 })),
  minSamplesSplit: int({ min: 2 }),
  minSamplesLeaf: int({ min: 1 }),
  maxLeafNodes: nullable(int({ min: 2 })),
  maxFeatures: nullable(union(oneOf('sqrt', 'log2'), SHARE, int({ min: 2 }))),
  minImpurityDecrease: num({ min: 0, finite: true }),
  maxBins: int({ min: 2, max: 255 }),
  categoricalFeatures: CATEGORICAL_FEATURES,
  randomState: TREE_SEED,
  backend: BACKEND_CHOICE,
};

export const FOREST_SPECS: ParamSpecs<ForestParams> = {
  ...TREE_SPECS,
  nEstimators: int({ min: 1 }),
  bootstrap: bool(),
  maxSamples: nullable(union(SHARE, int({ min: 1 }))),
};

export const FOREST_CLASSIFIER_SPECS: ParamSpecs<ForestClassifierParams> = { ...FOREST_SPECS, classWeight: nullable(CLASS_WEIGHT) };

function featuresPerSplit(mf: MaxFeatures, p: number): number {
  if (mf === null) return p;
  if (mf === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(p)));
  if (mf === 'log2') return Math.max(1, Math.floor(Math.log2(p)));
  return mf <= 1 ? Math.max(1, Math.floor(mf * p)) : Math.min(p, mf);
}

interface Task {
  /** Target per row and channel: class indicators (classifiers) or values (one channel per output). */
  targets: Float64Array;
  channels: number;
  /**
   * What a split's gain (summed over channels) is per unit of scikit-learn's impurity decrease:
   * 1 for Gini, the output count for squared error (scikit-learn averages it over outputs).
   */
  impurityScale: number;
  w: Float64Array | null;
  /** Each row's class (classifiers). */
  classes?: RowClasses;
}

/** The rows' class indices (`codes`) into the sorted class labels. */
export interface RowClasses {
  codes: Int32Array;
  labels: Label[];
}

interface ForestState extends FittedTrees {
  classes?: Label[];
}

abstract class BaseForest<P extends ForestParams> extends TreeModel<P, ForestState> {
  /**
   * How often each row is drawn for the next tree: a bootstrap of perTree rows, or every row once.
   * A subclass may draw otherwise (the balanced forest under-samples the classes first); `classes`
   * holds the rows' class indices into the sorted labels (classifiers only).
   */
  protected drawRows(counts: Float64Array, rng: Rng, perTree: number, _classes: RowClasses | undefined): void {
    const n = counts.length;
    counts.fill(this.params.bootstrap ? 0 : 1);
    if (this.params.bootstrap) for (let i = 0; i < perTree; i++) counts[rng.int(n)]++;
  }

  /** Extra trees: one seeded random threshold per feature and node instead of the best one. */
  protected get randomThresholds(): boolean {
    return false;
  }

  protected async fitTrees(X: MatrixLike, task: Task, rows: number, signal: AbortSignal | undefined): Promise<void> {
    const owner = `${this.constructor.name}.fit`;
    const Xm = readMatrix(X, `${owner}: X`, { nonFinite: 'keep' });
    if (Xm.rows !== rows) throw new ShapeError(`${owner}: X has ${Xm.rows} rows but y has ${rows}`);
    const p = this.params,
      n = Xm.rows,
      C = task.channels;
    const categorical = categoricalMask(p.categoricalFeatures, Xm.cols, this.constructor.name);
    const backend = await treeBackend(p.backend, n * Xm.cols * p.nEstimators, this.constructor.name);
    const data = await trainingBins(backend, Xm, categorical, p.maxBins, p.randomState, this.constructor.name);
    const rng = new Rng(p.randomState);
    const perTree = p.bootstrap
      ? p.maxSamples === null
        ? n
        : p.maxSamples <= 1 && !Number.isInteger(p.maxSamples)
          ? Math.max(1, Math.round(p.maxSamples * n))
          : Math.min(n, p.maxSamples)
      : n;
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
      this.drawRows(counts, rng, perTree, task.classes);
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
        maxLeaves,
        maxDepth: p.maxDepth ?? -1,
        minDataInLeaf: p.minSamplesLeaf,
        minDataToSplit: p.minSamplesSplit,
        minSumHessianInLeaf: 0,
        minGainToSplit: p.minImpurityDecrease * totalWeight * task.impurityScale,
        lambdaL1: 0,
        lambdaL2: 0,
        catSmooth: 0,
        catL2: 0,
        maxCatToOnehot: 4,
        featureFractionByNode: featuresPerSplit(p.maxFeatures, Xm.cols) / Xm.cols,
        seed: rng.nextUint32() >>> 1,
        quantized: 0,
        randomThresholds: this.randomThresholds ? 1 : 0,
      };
      const out = await growTree(backend, data, gradHess, C, params, { rows: rowsInBag });
      ensemble.addTree(out, data.mapper, 0, 1 / p.nEstimators);
    }
    ensemble.truncate(ensemble.trees);
    this.state = { ensemble, baseScore: new Float64Array(C), features: Xm.cols };
  }
}

/** Classification targets as per-class indicators (n × K), with class weights folded into w. */
function classTask(
  y: ArrayLike<Label>,
  w0: ArrayLike<number> | undefined,
  classWeight: ClassWeight | null,
  owner: string,
): { task: Task; classes: Label[]; rows: number } {
  const { classes, codes } = encodeLabels(y, `${owner}: y`);
  const n = codes.length,
    K = classes.length;
  if (K < 2) throw new ParamError(`${owner}: y holds one class only (${String(classes[0])}); a classifier needs at least two`);
  let w = readSampleWeight(w0, n, `${owner}: sampleWeight`);
  if (classWeight !== null) {
    const cw = classWeights(classWeight, classes, codes, owner);
    w = Float64Array.from({ length: n }, (_, i) => (w ? w[i] : 1) * cw[codes[i]]);
  }
  const targets = new Float64Array(n * K);
  for (let i = 0; i < n; i++) targets[i * K + codes[i]] = 1;
  return { task: { targets, channels: K, impurityScale: 1, w, classes: { codes, labels: classes } }, classes, rows: n };
}

/**
 * Regression targets: one channel per output (a 1-D y, or a matrix / 2-D array of outputs). The
 * gradients −w·y with hessians w make a split's gain Σ over outputs of the decrease of the
 * weighted squared error, scikit-learn's multi-output criterion (times the output count).
 */
function regressionTask(y: RegressionTarget, w0: ArrayLike<number> | undefined, owner: string): { task: Task; rows: number } {
  const t = readTarget(y, `${owner}: y`);
  // A 1-D y of no rows is left to the row check against X, as before.
  if (t.outputs === 0 || (t.y.length === 0 && !t.oneD)) {
    throw new EmptyInputError(`${owner}: y has no ${t.outputs === 0 ? 'outputs' : 'rows'}; pass one row of targets per sample and at least one output`);
  }
  const rows = t.y.length / t.outputs;
  const task = { targets: t.y, channels: t.outputs, impurityScale: t.outputs, w: readSampleWeight(w0, rows, `${owner}: sampleWeight`) };
  return { task, rows };
}

export interface ForestClassifierParams extends ForestParams {
  /**
   * Weights of the classes: 'balanced' (n / (classes · count)) or a weight per class label (1 for
   * labels left out), multiplying the rows' sample weights; null weighs every class 1. Default: null.
   */
  classWeight: ClassWeight | null;
}

export abstract class BaseForestClassifier<P extends ForestClassifierParams> extends BaseForest<P> {
  get classes(): Label[] {
    return [...this.fitted(this.state?.classes)];
  }

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

  predictProbaSync(X: SyncRows): Matrix<Float64Array> {
    const raw = this.rawSync(X, 'predictProbaSync');
    const K = this.fitted(this.state).ensemble.outputs;
    return new Matrix(raw, raw.length / K, K);
  }

  predictSync(X: SyncRows): Label[] {
    const pr = this.predictProbaSync(X);
    return labelsOfMaxScore(this.fitted(this.state?.classes), pr.data, pr.rows, pr.cols);
  }

  async score(X: MatrixLike, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }
}

/**
 * Tree regressors: y is 1-D, or a matrix / 2-D array of outputs (multi-output regression, one tree
 * for all outputs, as scikit-learn's). Predictions are 1-D for one output (a one-column y
 * included, as scikit-learn's trees give) and a Matrix (rows × outputs) for several.
 */
export abstract class BaseForestRegressor<P extends ForestParams> extends BaseForest<P> {
  /** Outputs per row the model predicts (scikit-learn's n_outputs_). */
  get nOutputs(): number {
    return this.fitted(this.state).ensemble.outputs;
  }

  async fit(X: MatrixLike, y: RegressionTarget, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const { task, rows } = regressionTask(y, opts.sampleWeight, `${this.constructor.name}.fit`);
      await this.fitTrees(X, task, rows, opts.signal);
      return this;
    });
  }

  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array | Matrix<Float64Array>> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      return this.shaped(await this.raw(X, 'predict'));
    });
  }

  predictSync(X: SyncRows): Float64Array | Matrix<Float64Array> {
    return this.shaped(this.rawSync(X, 'predictSync'));
  }

  /** R² on (X, y); for several outputs their uniform average (scikit-learn's default). */
  async score(X: MatrixLike, y: RegressionTarget): Promise<number> {
    const owner = `${this.constructor.name}.score`;
    const t = readTarget(y, `${owner}: y`);
    const m = this.nOutputs;
    if (t.outputs !== m) throw new ShapeError(`${owner}: y has ${t.outputs} output${t.outputs === 1 ? '' : 's'} but the model predicts ${m}`);
    const pred = await this.predict(X);
    return r2Score(t.y, pred instanceof Matrix ? pred.data : pred, t.outputs);
  }

  private shaped(raw: Float64Array): Float64Array | Matrix<Float64Array> {
    const m = this.fitted(this.state).ensemble.outputs;
    return m === 1 ? raw : new Matrix(raw, raw.length / m, m);
  }
}
