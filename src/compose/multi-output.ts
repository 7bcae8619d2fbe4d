/**
 * MultiOutputClassifier and MultiOutputRegressor (scikit-learn 1.2's): one clone of the estimator
 * per output column of Y, each fitted on X and its own column; predictions side by side.
 */
import { ParamError } from '../core/errors.js';
import { Estimator, SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../core/estimator.js';
import type { Label } from '../core/labels.js';
import type { Matrix } from '../core/matrix.js';
import { custom, optional, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import { r2Score } from '../metrics/regression.js';
import { asColumns } from './ensemble-members.js';
import { readTargets, stackColumns } from './multi-targets.js';
import { cloneDeep, isEstimatorLike } from './params-path.js';

export interface MultiOutputParams {
  /** The estimator fitted once per output column (cloned); fit needs one. Default: undefined. */
  estimator: unknown;
}

const SPECS: ParamSpecs<MultiOutputParams> = {
  estimator: optional(custom<unknown>('a kiln estimator (something with fit)', isEstimatorLike, { probes: [1] })),
};

interface MultiState {
  nFeatures: number;
  estimators: unknown[];
  /** Each output's classes (classifier only). */
  classes?: Label[][];
}

type Fittable = { fit: (...a: unknown[]) => Promise<unknown>; predict: (X: unknown) => Promise<ArrayLike<Label>> };

abstract class BaseMultiOutput extends Estimator<MultiOutputParams> {
  protected state: MultiState | undefined;

  constructor(params: Partial<MultiOutputParams>) {
    super({ estimator: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<MultiOutputParams> {
    return SPECS;
  }

  /** The fitted estimators, one per output (scikit-learn's estimators_). */
  get estimators(): unknown[] {
    return [...this.fitted(this.state).estimators];
  }

  protected async fitOutputs(X: unknown, Y: unknown, opts: WeightedFitOptions, classifier: boolean): Promise<void> {
    const owner = `${this.constructor.name}.fit`;
    const base = this.params.estimator;
    if (base === undefined) throw new ParamError(`${owner}: no estimator; pass { estimator: new LogisticRegression() } (or any kiln estimator)`);
    const Xm = readMatrix(X as never, `${owner}: X`, { nonFinite: 'keep' });
    const T = readTargets(Y, Xm.rows, owner);
    if (opts.sampleWeight && opts.sampleWeight.length !== Xm.rows)
      throw new ParamError(`${owner}: sampleWeight has ${opts.sampleWeight.length} entries but X has ${Xm.rows} rows`);
    const fo = { ...(opts.sampleWeight ? { sampleWeight: opts.sampleWeight } : {}), ...(opts.signal ? { signal: opts.signal } : {}) };
    const estimators: unknown[] = [];
    const classes: Label[][] = [];
    for (const y of T.columns) {
      opts.signal?.throwIfAborted();
      const est = cloneDeep(base) as Fittable & { classes?: Label[] };
      await (Object.keys(fo).length ? est.fit(Xm, y, fo) : est.fit(Xm, y));
      estimators.push(est);
      if (classifier) classes.push([...(est.classes ?? [...new Set(y)].sort())]);
    }
    this.state = { nFeatures: Xm.cols, estimators, ...(classifier ? { classes } : {}) };
  }

  protected input(X: unknown, fn: string): Matrix {
    return readMatrix(X as never, `${this.constructor.name}.${fn}: X`, { nonFinite: 'keep', features: this.fitted(this.state).nFeatures });
  }

  protected async predictColumns(X: unknown, fn: string): Promise<ArrayLike<Label>[]> {
    const Xm = this.input(X, fn);
    const out: ArrayLike<Label>[] = [];
    for (const est of this.fitted(this.state).estimators) out.push(await (est as Fittable).predict(Xm));
    return out;
  }
}

export class MultiOutputClassifier extends BaseMultiOutput {
  constructor(params: Partial<MultiOutputParams> = {}) {
    super(params);
  }

  /** Each output's classes, in the order of its predictProba columns. */
  get classes(): Label[][] {
    return this.fitted(this.state?.classes).map((c) => [...c]);
  }

  async fit(X: unknown, Y: unknown, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, () => this.fitOutputs(X, Y, opts, true));
  }

  /** One label per row and output: a Matrix (rows × outputs) when the labels are numbers, else rows of labels. */
  async predict(X: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array> | Label[][]> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const cols = await this.predictColumns(X, 'predict');
      return stackColumns(cols, cols[0].length);
    });
  }

  /** Each output's class probabilities, rows × its classes (a list, one Matrix per output, as scikit-learn). */
  async predictProba(X: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>[]> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const Xm = this.input(X, 'predictProba');
      const out: Matrix<Float64Array>[] = [];
      for (const est of this.fitted(this.state).estimators) {
        const m = est as { predictProba?: (X: unknown) => Promise<unknown> };
        if (typeof m.predictProba !== 'function')
          throw new ParamError(`MultiOutputClassifier.predictProba: ${(est as object).constructor.name} has no predictProba`);
        out.push(asColumns(await m.predictProba(Xm)));
      }
      return out;
    });
  }

  /** Subset accuracy: the share of rows whose every output is right (scikit-learn's score). */
  async score(X: unknown, Y: unknown): Promise<number> {
    const cols = await this.predictColumns(X, 'score');
    const T = readTargets(Y, cols[0].length, 'MultiOutputClassifier.score');
    let hit = 0;
    for (let r = 0; r < T.rows; r++) if (T.columns.every((c, j) => c[r] === cols[j][r])) hit++;
    return hit / T.rows;
  }
}

export class MultiOutputRegressor extends BaseMultiOutput {
  constructor(params: Partial<MultiOutputParams> = {}) {
    super(params);
  }

  async fit(X: unknown, Y: unknown, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, () => this.fitOutputs(X, Y, opts, false));
  }

  /** Predictions, rows × outputs. */
  async predict(X: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const cols = await this.predictColumns(X, 'predict');
      return stackColumns(cols, cols[0].length) as Matrix<Float64Array>;
    });
  }

  /** R² averaged over the outputs (scikit-learn's uniform_average). */
  async score(X: unknown, Y: unknown): Promise<number> {
    const p = await this.predict(X);
    const T = readTargets(Y, p.rows, 'MultiOutputRegressor.score');
    if (!T.numeric) throw new ParamError('MultiOutputRegressor.score: Y must hold numbers');
    return r2Score(stackColumns(T.columns, T.rows) as Matrix<Float64Array>, p);
  }
}
