/**
 * Multi-layer perceptrons (scikit-learn's MLPClassifier / MLPRegressor): dense
 * layers, relu/tanh/logistic/identity, softmax cross-entropy or squared error,
 * SGD (momentum, Nesterov), Adam and AdamW, L2 penalty, dropout, mini-batches,
 * seeded initialisation and shuffling, partialFit, callbacks and cancellation.
 * Each epoch is one backend call (the native loop runs every mini-batch in C++).
 */
import { BackendLimitError, ParamError, ShapeError } from '../../core/errors.js';
import { Estimator } from '../../core/estimator.js';
import { Matrix, type MatrixLike } from '../../core/matrix.js';
import { Rng } from '../../core/prng.js';
import type { Backend, BackendChoice, MlpActivation, MlpData, MlpNetwork } from '../../backend/backend.js';
import { resolveBackend } from '../../backend/select.js';
import { accuracyScore, type Label } from '../../metrics/classification.js';
import { r2Score } from '../../metrics/regression.js';
import type { Callback, EpochLogs, TrainingControl } from '../../training/callbacks.js';
import { encodeLabels } from '../common/labels.js';
import { readTarget, shapeOutput, type RegressionTarget } from '../common/targets.js';
import { readX } from '../linear/base.js';

export interface MLPParams {
  hiddenLayerSizes: number[];
  activation: MlpActivation;
  solver: 'adam' | 'adamw' | 'sgd';
  /** L2 penalty (scikit-learn's alpha). */
  alpha: number;
  /** Decoupled weight decay for 'adamw'. */
  weightDecay: number;
  batchSize: number | 'auto';
  learningRateInit: number;
  maxIter: number;
  shuffle: boolean;
  randomState: number;
  /** Stop when the training loss improves by less than tol for more than nIterNoChange epochs (null: never). */
  tol: number | null;
  nIterNoChange: number;
  momentum: number;
  nesterovs: boolean;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Dropout rate on hidden units (native backend). */
  dropout: number;
  callbacks: Callback[];
  backend: BackendChoice | undefined;
}

const DEFAULTS: MLPParams = {
  hiddenLayerSizes: [100], activation: 'relu', solver: 'adam', alpha: 1e-4, weightDecay: 0.01, batchSize: 'auto',
  learningRateInit: 1e-3, maxIter: 200, shuffle: true, randomState: 0, tol: 1e-4, nIterNoChange: 10, momentum: 0.9,
  nesterovs: true, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, dropout: 0, callbacks: [], backend: undefined,
};

interface State {
  net: MlpNetwork;
  m: Float32Array;
  v: Float32Array;
  step: Float64Array;
  rng: Rng;
  lr: number;
  best: number;
  noImprove: number;
  backend: Backend;
}

export interface FitOptions {
  /** Stops at the next epoch boundary, keeping the weights trained so far. */
  signal?: AbortSignal;
}

abstract class MLPBase extends Estimator<MLPParams> {
  protected state: State | undefined;
  /** Loss (and learning rate) per epoch, across fit and partialFit calls. */
  history: EpochLogs[] = [];

  protected checkParams(p: MLPParams): void {
    const name = this.constructor.name;
    if (!Array.isArray(p.hiddenLayerSizes) || p.hiddenLayerSizes.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new ParamError(`${name}: hiddenLayerSizes must be positive integers (a zero-width layer cannot learn), got ${JSON.stringify(p.hiddenLayerSizes)}`);
    }
    if (!['identity', 'relu', 'tanh', 'logistic'].includes(p.activation)) throw new ParamError(`${name}: unknown activation ${JSON.stringify(p.activation)}`);
    if (!['adam', 'adamw', 'sgd'].includes(p.solver)) throw new ParamError(`${name}: solver must be 'adam', 'adamw' or 'sgd'`);
    if (p.batchSize !== 'auto' && !(Number.isInteger(p.batchSize) && p.batchSize >= 1)) {
      throw new ParamError(`${name}: batchSize must be 'auto' or an integer >= 1, got ${p.batchSize}`);
    }
    if (!(p.learningRateInit > 0)) throw new ParamError(`${name}: learningRateInit must be > 0`);
    if (!(p.alpha >= 0)) throw new ParamError(`${name}: alpha must be >= 0`);
    if (!(p.dropout >= 0 && p.dropout < 1)) throw new ParamError(`${name}: dropout must be in [0, 1)`);
    if (!Number.isInteger(p.maxIter) || p.maxIter < 1) throw new ParamError(`${name}: maxIter must be a positive integer`);
  }

  /** Epochs run so far. */
  get nIter(): number {
    return this.history.length;
  }

  /** Weights and biases per layer: coefs[l] is sizes[l] × sizes[l+1]. */
  get coefs(): Matrix<Float32Array>[] {
    const { net } = this.fitted(this.state);
    const out: Matrix<Float32Array>[] = [];
    let off = 0;
    for (let l = 0; l + 1 < net.sizes.length; l++) {
      const len = net.sizes[l] * net.sizes[l + 1];
      out.push(new Matrix(net.params.slice(off, off + len), net.sizes[l], net.sizes[l + 1]));
      off += len + net.sizes[l + 1];
    }
    return out;
  }

  /** Creates the network (scikit-learn's Glorot-uniform initialisation) and the optimiser state. */
  protected async init(inputs: number, outputs: number, output: MlpNetwork['output']): Promise<State> {
    const p = this.params;
    const backend = await resolveBackend(p.backend, inputs * outputs);
    if (!backend.mlpEpoch || !backend.mlpForward) throw new BackendLimitError(`${this.constructor.name}: the training loop runs on 'native' or 'js', not '${backend.name}'`);
    if (p.dropout > 0 && backend.name !== 'native') throw new BackendLimitError(`${this.constructor.name}: dropout needs the native backend`);
    const sizes = Int32Array.from([inputs, ...p.hiddenLayerSizes, outputs]);
    let total = 0;
    for (let l = 0; l + 1 < sizes.length; l++) total += sizes[l] * sizes[l + 1] + sizes[l + 1];
    const params = new Float32Array(total), rng = new Rng(p.randomState);
    let off = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const bound = Math.sqrt((p.activation === 'logistic' ? 2 : 6) / (sizes[l] + sizes[l + 1]));
      const len = sizes[l] * sizes[l + 1] + sizes[l + 1];
      for (let i = 0; i < len; i++) params[off + i] = (rng.random() * 2 - 1) * bound;
      off += len;
    }
    this.history = [];
    return {
      net: { sizes, hidden: p.activation, output, params }, m: new Float32Array(total), v: new Float32Array(total),
      step: new Float64Array(1), rng, lr: p.learningRateInit, best: Infinity, noImprove: 0, backend,
    };
  }

  /** Runs epochs on (X, targets): up to maxIter for fit, one for partialFit. */
  protected async train(x: Float32Array, n: number, data: Omit<MlpData, 'x' | 'n'>, epochs: number, opts: FitOptions): Promise<void> {
    const st = this.fitted(this.state);
    const p = this.params;
    const batch = p.batchSize === 'auto' ? Math.min(200, n) : Math.min(p.batchSize, n);
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const control: TrainingControl = {
      lr: st.lr, stop: false,
      snapshot: () => Float32Array.from(st.net.params),
      restore: (w) => st.net.params.set(w),
    };
    for (let e = 0; e < epochs; e++) {
      if (opts.signal?.aborted) break;
      if (p.shuffle) st.rng.shuffle(order);
      const loss = await st.backend.mlpEpoch!({
        net: st.net, data: { x, n, ...data }, order, batch, dropout: p.dropout, seed: 1 + st.rng.int(0x7ffffffe),
        solver: p.solver === 'sgd' ? 'sgd' : 'adam', lr: control.lr, alpha: p.alpha,
        weightDecay: p.solver === 'adamw' ? p.weightDecay : 0, momentum: p.momentum, nesterov: p.nesterovs,
        beta1: p.beta1, beta2: p.beta2, eps: p.epsilon, m: st.m, v: st.v, step: st.step,
      });
      if (!Number.isFinite(loss)) throw new ParamError(`${this.constructor.name}: the loss diverged at epoch ${this.history.length + 1}; lower learningRateInit or scale the features`);
      const logs: EpochLogs = { epoch: this.history.length, loss, lr: control.lr };
      this.history.push(logs);
      for (const cb of p.callbacks) cb.onEpochEnd?.(logs, control);
      st.lr = control.lr;
      if (p.tol !== null && epochs > 1) {
        st.noImprove = loss > st.best - p.tol ? st.noImprove + 1 : 0;
        st.best = Math.min(st.best, loss);
        if (st.noImprove > p.nIterNoChange) control.stop = true;
      }
      if (control.stop) break;
    }
    for (const cb of p.callbacks) cb.onTrainEnd?.(control);
  }

  protected async outputs(X: MatrixLike, method: string): Promise<{ out: Float32Array; rows: number; cols: number }> {
    const st = this.fitted(this.state);
    const Xm = readX(X, `${this.constructor.name}.${method}: X`);
    if (Xm.cols !== st.net.sizes[0]) {
      throw new ShapeError(`${this.constructor.name}.${method}: X has ${Xm.cols} features but the network takes ${st.net.sizes[0]}`);
    }
    const cols = st.net.sizes[st.net.sizes.length - 1];
    return { out: await st.backend.mlpForward!(st.net, f32(Xm), Xm.rows), rows: Xm.rows, cols };
  }
}

function f32(m: Matrix): Float32Array {
  return m.data instanceof Float32Array ? m.data : Float32Array.from(m.data);
}

export class MLPClassifier extends MLPBase {
  private labels: Label[] | undefined;

  constructor(params: Partial<MLPParams> = {}) {
    super(DEFAULTS, params);
  }

  get classes(): Label[] { return [...this.fitted(this.labels)]; }

  async fit(X: MatrixLike, y: ArrayLike<Label>, opts: FitOptions = {}): Promise<this> {
    const Xm = readX(X, 'MLPClassifier.fit: X');
    const { classes, codes } = encodeLabels(y, 'MLPClassifier.fit: y');
    if (codes.length !== Xm.rows) throw new ShapeError(`MLPClassifier.fit: X has ${Xm.rows} rows but y has ${codes.length} labels`);
    if (classes.length < 2) throw new ParamError(`MLPClassifier.fit: y has a single class (${String(classes[0])}); a classifier needs at least 2`);
    this.labels = classes;
    this.state = await this.init(Xm.cols, classes.length, 'softmax');
    await this.train(f32(Xm), Xm.rows, { labels: codes, targets: null }, this.params.maxIter, opts);
    return this;
  }

  /** One epoch on this batch. The first call must list every class in `classes`. */
  async partialFit(X: MatrixLike, y: ArrayLike<Label>, opts: FitOptions & { classes?: Label[] } = {}): Promise<this> {
    const Xm = readX(X, 'MLPClassifier.partialFit: X');
    if (!this.state) {
      if (!opts.classes) throw new ParamError('MLPClassifier.partialFit: the first call needs { classes: [...every label] }');
      this.labels = encodeLabels(opts.classes, 'MLPClassifier.partialFit: classes').classes;
      this.state = await this.init(Xm.cols, this.labels.length, 'softmax');
    }
    const index = new Map(this.labels!.map((c, i) => [c, i]));
    if (y.length !== Xm.rows) throw new ShapeError(`MLPClassifier.partialFit: X has ${Xm.rows} rows but y has ${y.length} labels`);
    const codes = Int32Array.from({ length: y.length }, (_, i) => {
      const c = index.get(y[i]);
      if (c === undefined) throw new ParamError(`MLPClassifier.partialFit: y[${i}] = ${JSON.stringify(y[i])} is not one of the classes given at the first call`);
      return c;
    });
    await this.train(f32(Xm), Xm.rows, { labels: codes, targets: null }, 1, opts);
    return this;
  }

  async predictProba(X: MatrixLike): Promise<Matrix<Float64Array>> {
    const { out, rows, cols } = await this.outputs(X, 'predictProba');
    return new Matrix(Float64Array.from(out), rows, cols);
  }

  async predict(X: MatrixLike): Promise<Label[]> {
    const classes = this.fitted(this.labels);
    const { out, rows, cols } = await this.outputs(X, 'predict');
    return Array.from({ length: rows }, (_, r) => {
      let best = 0;
      for (let k = 1; k < cols; k++) if (out[r * cols + k] > out[r * cols + best]) best = k;
      return classes[best];
    });
  }

  async score(X: MatrixLike, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }
}

export class MLPRegressor extends MLPBase {
  private oneD = true;

  constructor(params: Partial<MLPParams> = {}) {
    super(DEFAULTS, params);
  }

  async fit(X: MatrixLike, y: RegressionTarget, opts: FitOptions = {}): Promise<this> {
    const Xm = readX(X, 'MLPRegressor.fit: X');
    const t = readTarget(y, 'MLPRegressor.fit: y');
    if (t.y.length / t.outputs !== Xm.rows) throw new ShapeError(`MLPRegressor.fit: X has ${Xm.rows} rows but y has ${t.y.length / t.outputs}`);
    this.oneD = t.oneD;
    this.state = await this.init(Xm.cols, t.outputs, 'identity');
    await this.train(f32(Xm), Xm.rows, { labels: null, targets: Float32Array.from(t.y) }, this.params.maxIter, opts);
    return this;
  }

  async partialFit(X: MatrixLike, y: RegressionTarget, opts: FitOptions = {}): Promise<this> {
    const Xm = readX(X, 'MLPRegressor.partialFit: X');
    const t = readTarget(y, 'MLPRegressor.partialFit: y');
    if (t.y.length / t.outputs !== Xm.rows) throw new ShapeError(`MLPRegressor.partialFit: X has ${Xm.rows} rows but y has ${t.y.length / t.outputs}`);
    if (!this.state) {
      this.oneD = t.oneD;
      this.state = await this.init(Xm.cols, t.outputs, 'identity');
    }
    await this.train(f32(Xm), Xm.rows, { labels: null, targets: Float32Array.from(t.y) }, 1, opts);
    return this;
  }

  async predict(X: MatrixLike): Promise<Float64Array | Matrix<Float64Array>> {
    const { out, rows, cols } = await this.outputs(X, 'predict');
    return shapeOutput(Float64Array.from(out), rows, cols, this.oneD);
  }

  async score(X: MatrixLike, y: RegressionTarget): Promise<number> {
    const t = readTarget(y, 'MLPRegressor.score: y');
    const pred = await this.predict(X);
    return r2Score(t.y, pred instanceof Matrix ? pred.data : pred, t.outputs);
  }
}
