/** Baselines that ignore the features (scikit-learn's DummyClassifier / DummyRegressor). */
import { readMatrix } from '../../core/read-matrix.js';
import { ParamError, ShapeError } from '../../core/errors.js';
import { Estimator, SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../../core/estimator.js';
import { Matrix, type MatrixLike } from '../../core/matrix.js';
import { Rng } from '../../core/prng.js';
import { int, list, num, oneOf, optional, str, union, type ParamSpecs } from '../../core/params.js';
import { accuracyScore, type Label } from '../../metrics/classification.js';
import { r2Score } from '../../metrics/regression.js';
import { encodeLabels } from '../../core/labels.js';
import { readSampleWeight, readTarget, shapeOutput, type RegressionTarget } from '../common/targets.js';

function rowsOf(X: MatrixLike, name: string): number {
  return readMatrix(X, name, { nonFinite: 'keep' }).rows;
}

export interface DummyClassifierParams {
  /**
   * What is predicted: 'prior' and 'most_frequent' the most frequent class (predictProba: the class
   * frequencies for 'prior', one-hot for 'most_frequent'); 'stratified' labels drawn by the class
   * frequencies; 'uniform' labels drawn uniformly; 'constant' the label `constant`. Default: 'prior'.
   */
  strategy: 'prior' | 'most_frequent' | 'stratified' | 'uniform' | 'constant';
  /** The label predicted by the 'constant' strategy (needed there, ignored otherwise). Default: undefined. */
  constant: Label | undefined;
  /** Seed of the draws of 'stratified' and 'uniform' (any integer). Default: 0. */
  randomState: number;
}

const DUMMY_CLASSIFIER_SPECS: ParamSpecs<DummyClassifierParams> = {
  strategy: oneOf('prior', 'most_frequent', 'stratified', 'uniform', 'constant'),
  constant: optional(union(str(), num({ finite: true }))),
  randomState: int(),
};

export class DummyClassifier extends Estimator<DummyClassifierParams> {
  private state: { classes: Label[]; prior: Float64Array } | undefined;

  constructor(params: Partial<DummyClassifierParams> = {}) {
    super({ strategy: 'prior', constant: undefined, randomState: 0 }, params);
  }

  protected get paramSpecs(): ParamSpecs<DummyClassifierParams> {
    return DUMMY_CLASSIFIER_SPECS;
  }

  protected override checkTogether(p: DummyClassifierParams): void {
    if (p.strategy === 'constant' && p.constant === undefined) throw new ParamError("DummyClassifier: strategy 'constant' needs `constant`");
  }

  get classes(): Label[] {
    return [...this.fitted(this.state).classes];
  }
  get classPrior(): Float64Array {
    return Float64Array.from(this.fitted(this.state).prior);
  }

  async fit(X: MatrixLike, y: ArrayLike<Label>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const rows = rowsOf(X, 'DummyClassifier.fit: X');
      const { classes, codes } = encodeLabels(y, 'DummyClassifier.fit: y');
      if (codes.length !== rows) throw new ShapeError(`DummyClassifier.fit: X has ${rows} rows but y has ${codes.length} labels`);
      const w = readSampleWeight(opts.sampleWeight, rows, 'DummyClassifier.fit: sampleWeight');
      const prior = new Float64Array(classes.length);
      codes.forEach((c, i) => (prior[c] += w ? w[i] : 1));
      const total = prior.reduce((a, b) => a + b, 0);
      for (let k = 0; k < prior.length; k++) prior[k] /= total;
      if (this.params.strategy === 'constant' && !classes.includes(this.params.constant!)) {
        throw new ParamError(`DummyClassifier: constant ${JSON.stringify(this.params.constant)} is not one of the classes in y`);
      }
      this.state = { classes, prior };
      return this;
    });
  }

  async predictProba(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { classes, prior } = this.fitted(this.state);
      const rows = rowsOf(X, 'DummyClassifier.predictProba: X');
      const K = classes.length,
        out = new Float64Array(rows * K);
      const rng = new Rng(this.params.randomState);
      for (let r = 0; r < rows; r++) {
        switch (this.params.strategy) {
          case 'prior':
            out.set(prior, r * K);
            break;
          case 'most_frequent':
            out[r * K + argmaxFirst(prior)] = 1;
            break;
          case 'uniform':
            out.fill(1 / K, r * K, r * K + K);
            break;
          case 'constant':
            out[r * K + classes.indexOf(this.params.constant!)] = 1;
            break;
          case 'stratified': {
            let u = rng.random(),
              k = 0;
            while (k < K - 1 && u >= prior[k]) u -= prior[k++];
            out[r * K + k] = 1;
            break;
          }
        }
      }
      return new Matrix(out, rows, K);
    });
  }

  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Label[]> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { classes, prior } = this.fitted(this.state);
      if (this.params.strategy === 'prior' || this.params.strategy === 'most_frequent') {
        return new Array(rowsOf(X, 'DummyClassifier.predict: X')).fill(classes[argmaxFirst(prior)]);
      }
      const p = await this.predictProba(X);
      if (this.params.strategy === 'uniform') {
        const rng = new Rng(this.params.randomState);
        return Array.from({ length: p.rows }, () => classes[rng.int(classes.length)]);
      }
      return Array.from({ length: p.rows }, (_, r) => classes[argmaxFirst(p.data.subarray(r * p.cols, (r + 1) * p.cols))]);
    });
  }

  async score(X: MatrixLike, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }
}

export interface DummyRegressorParams {
  /**
   * What is predicted: the training target's 'mean', 'median', 'quantile' (the quantile-th
   * quantile) or 'constant' (the value `constant`), each weighted by sampleWeight. Default: 'mean'.
   */
  strategy: 'mean' | 'median' | 'quantile' | 'constant';
  /** The quantile predicted by the 'quantile' strategy, in [0, 1] (needed there). Default: undefined. */
  quantile: number | undefined;
  /** The value predicted by the 'constant' strategy: a number, or one per output (needed there). Default: undefined. */
  constant: number | number[] | undefined;
}

const DUMMY_REGRESSOR_SPECS: ParamSpecs<DummyRegressorParams> = {
  strategy: oneOf('mean', 'median', 'quantile', 'constant'),
  quantile: optional(num({ min: 0, max: 1 })),
  constant: optional(union(num({ finite: true }), list(num({ finite: true }), { minLength: 1 }))),
};

export class DummyRegressor extends Estimator<DummyRegressorParams> {
  private state: { value: Float64Array; oneD: boolean } | undefined;

  constructor(params: Partial<DummyRegressorParams> = {}) {
    super({ strategy: 'mean', quantile: undefined, constant: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<DummyRegressorParams> {
    return DUMMY_REGRESSOR_SPECS;
  }

  protected override checkTogether(p: DummyRegressorParams): void {
    if (p.strategy === 'quantile' && p.quantile === undefined) throw new ParamError("DummyRegressor: strategy 'quantile' needs `quantile` in [0, 1]");
    if (p.strategy === 'constant' && p.constant === undefined) throw new ParamError("DummyRegressor: strategy 'constant' needs `constant`");
  }

  /** The value predicted for every row, one per output. */
  get constant(): Float64Array {
    return Float64Array.from(this.fitted(this.state).value);
  }

  async fit(X: MatrixLike, y: RegressionTarget, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const rows = rowsOf(X, 'DummyRegressor.fit: X');
      const t = readTarget(y, 'DummyRegressor.fit: y');
      if (t.y.length / t.outputs !== rows) throw new ShapeError(`DummyRegressor.fit: X has ${rows} rows but y has ${t.y.length / t.outputs}`);
      const w = readSampleWeight(opts.sampleWeight, rows, 'DummyRegressor.fit: sampleWeight');
      const value = new Float64Array(t.outputs);
      for (let o = 0; o < t.outputs; o++) {
        const col = Float64Array.from({ length: rows }, (_, r) => t.y[r * t.outputs + o]);
        switch (this.params.strategy) {
          case 'mean': {
            let s = 0,
              sw = 0;
            col.forEach((v, r) => {
              s += (w ? w[r] : 1) * v;
              sw += w ? w[r] : 1;
            });
            value[o] = s / sw;
            break;
          }
          case 'median':
            value[o] = quantileOf(col, 0.5);
            break;
          case 'quantile':
            value[o] = quantileOf(col, this.params.quantile!);
            break;
          case 'constant': {
            const c = this.params.constant!;
            const v = Array.isArray(c) ? c[o] : c;
            if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParamError(`DummyRegressor: constant for output ${o} must be a finite number`);
            value[o] = v;
            break;
          }
        }
      }
      this.state = { value, oneD: t.oneD };
      return this;
    });
  }

  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array | Matrix<Float64Array>> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { value, oneD } = this.fitted(this.state);
      const rows = rowsOf(X, 'DummyRegressor.predict: X');
      const out = new Float64Array(rows * value.length);
      for (let r = 0; r < rows; r++) out.set(value, r * value.length);
      return shapeOutput(out, rows, value.length, oneD);
    });
  }

  async score(X: MatrixLike, y: RegressionTarget): Promise<number> {
    const t = readTarget(y, 'DummyRegressor.score: y');
    const pred = await this.predict(X);
    return r2Score(t.y, pred instanceof Matrix ? pred.data : pred, t.outputs);
  }
}

function argmaxFirst(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

/** numpy's default (linear interpolation) quantile. */
function quantileOf(values: Float64Array, q: number): number {
  const s = Float64Array.from(values).sort();
  const pos = q * (s.length - 1),
    lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
