/**
 * Multi-layer perceptrons (scikit-learn's MLPClassifier / MLPRegressor): dense
 * layers, relu/tanh/logistic/identity, softmax cross-entropy or squared error,
 * SGD (momentum, Nesterov), Adam and AdamW, L2 penalty, dropout, mini-batches,
 * seeded initialisation and shuffling, partialFit, callbacks and cancellation.
 * Each epoch is one backend call (the native loop runs every mini-batch in C++).
 */
import { abortCheckpoint } from '../../core/abort.js';
import { readMatrix } from '../../core/read-matrix.js';
import { classWeights } from '../common/class-weight.js';
import { allocArray } from '../../core/alloc.js';
import { BackendLimitError, ParamError, ShapeError } from '../../core/errors.js';
import { Estimator, SIGNAL_ONLY, type CallOptions, type WeightedFitOptions } from '../../core/estimator.js';
import { Matrix, type MatrixLike } from '../../core/matrix.js';
import { Rng } from '../../core/prng.js';
import { shuffleInPlace } from '../../ops/shuffle.js';
import type { MlpData, MlpKernels, MlpNetwork } from '../../backend/backend.js';
import { mlpParamCount } from '../../backend/contract/mlp.js';
import { resolveKernels } from '../../backend/select.js';
import type { ParamSpecs } from '../../core/params.js';
import { accuracyScore, type Label } from '../../metrics/classification.js';
import { r2Score } from '../../metrics/regression.js';
import type { EpochLogs, TrainingControl } from '../../training/callbacks.js';
import { readCheckpoint, writeCheckpoint } from '../../training/checkpoint.js';
import { encodeLabels, labelsOfMaxScore } from '../../core/labels.js';
import { MLP_DEFAULTS, MLP_SPECS, type MLPParams } from './mlp-params.js';
import { readSampleWeight, readTarget, shapeOutput, type RegressionTarget } from '../common/targets.js';

interface State {
  net: MlpNetwork;
  m: Float32Array;
  v: Float32Array;
  step: Float64Array;
  rng: Rng;
  lr: number;
  best: number;
  noImprove: number;
  /** The mlp kernels of the chosen backend (resolved again when a saved model loads). */
  kernels: MlpKernels;
}

export interface FitOptions extends WeightedFitOptions {
  /** Held-out rows: their loss is reported as valLoss each epoch (for EarlyStopping etc.). */
  validationData?: [MatrixLike, unknown];
  /** Continues a run from a checkpoint (ModelCheckpoint / saveCheckpoint) up to maxIter epochs in all. */
  resumeFrom?: string;
}

const FIT_KEYS = ['sampleWeight', 'signal', 'validationData', 'resumeFrom'] as const;

interface Prepared {
  x: Float32Array;
  n: number;
  data: Omit<MlpData, 'x' | 'n'>;
}

abstract class MLPBase extends Estimator<MLPParams> {
  protected state: State | undefined;
  /** Loss (and learning rate) per epoch, across fit and partialFit calls. */
  history: EpochLogs[] = [];

  protected get paramSpecs(): ParamSpecs<MLPParams> {
    return MLP_SPECS;
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
    const { kernels, backend } = await resolveKernels('mlp', p.backend, inputs * outputs, this.constructor.name);
    if (p.dropout > 0 && backend !== 'native') throw new BackendLimitError(`${this.constructor.name}: dropout needs the native backend`);
    const sizes = Int32Array.from([inputs, ...p.hiddenLayerSizes, outputs]);
    const total = mlpParamCount(sizes);
    // the weights, and Adam's two moment vectors of the same size
    const what = `${this.constructor.name}: hiddenLayerSizes ${JSON.stringify(p.hiddenLayerSizes)} with ${inputs} inputs and ${outputs} outputs`;
    const fix = 'use narrower hidden layers';
    const params = allocArray(Float32Array, what, [total], fix),
      rng = new Rng(p.randomState);
    let off = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const bound = Math.sqrt((p.activation === 'logistic' ? 2 : 6) / (sizes[l] + sizes[l + 1]));
      const len = sizes[l] * sizes[l + 1] + sizes[l + 1];
      for (let i = 0; i < len; i++) params[off + i] = (rng.random() * 2 - 1) * bound;
      off += len;
    }
    this.history = [];
    return {
      net: { sizes, hidden: p.activation, output, params },
      m: allocArray(Float32Array, what, [total], fix),
      v: allocArray(Float32Array, what, [total], fix),
      step: new Float64Array(1),
      rng,
      lr: p.learningRateInit,
      best: Infinity,
      noImprove: 0,
      kernels,
    };
  }

  /** The rows and targets of (X, y) as the training loop takes them. */
  protected abstract prepare(X: MatrixLike, y: unknown, sampleWeight: ArrayLike<number> | undefined, method: string): Prepared;

  /** Mean loss of held-out rows under the current weights (cross-entropy or ½ squared error). */
  private async validationLoss(v: Prepared): Promise<number> {
    const st = this.fitted(this.state);
    const out = await st.kernels.forward(st.net, v.x, v.n);
    const k = st.net.sizes[st.net.sizes.length - 1];
    let loss = 0;
    for (let r = 0; r < v.n; r++) {
      if (v.data.labels) loss -= Math.log(Math.max(out[r * k + v.data.labels[r]], 1e-30));
      else for (let c = 0; c < k; c++) loss += (0.5 * (out[r * k + c] - v.data.targets![r * k + c]) ** 2) / k;
    }
    return loss / v.n;
  }

  /** Writes a checkpoint of the weights, optimiser state, RNG stream and history. */
  async saveCheckpoint(path: string): Promise<void> {
    const st = this.fitted(this.state);
    await writeCheckpoint(
      path,
      this.constructor.name,
      {
        sizes: Array.from(st.net.sizes),
        hidden: st.net.hidden,
        output: st.net.output,
        lr: st.lr,
        best: st.best,
        noImprove: st.noImprove,
        rng: st.rng.getState(),
        history: this.history,
        extra: this.checkpointExtra(),
      },
      { params: st.net.params, m: st.m, v: st.v, step: st.step },
    );
  }

  protected abstract checkpointExtra(): Record<string, unknown>;
  protected abstract restoreExtra(extra: Record<string, any>): void;

  /** Restores a checkpoint written by saveCheckpoint. */
  protected async resume(path: string): Promise<void> {
    const { state, arrays } = await readCheckpoint(path, this.constructor.name);
    const { kernels } = await resolveKernels('mlp', this.params.backend, 1, this.constructor.name);
    this.state = {
      net: { sizes: Int32Array.from(state.sizes), hidden: state.hidden, output: state.output, params: arrays.params as Float32Array },
      m: arrays.m as Float32Array,
      v: arrays.v as Float32Array,
      step: arrays.step as Float64Array,
      rng: Rng.fromState(state.rng),
      lr: state.lr,
      best: state.best ?? Infinity,
      noImprove: state.noImprove,
      kernels,
    };
    this.history = state.history;
    this.restoreExtra(state.extra);
  }

  /** Runs epochs on (X, targets): up to maxIter for fit, one for partialFit. */
  protected async train(x: Float32Array, n: number, data: Omit<MlpData, 'x' | 'n'>, epochs: number, opts: FitOptions): Promise<void> {
    const st = this.fitted(this.state);
    const p = this.params;
    const validation = opts.validationData ? this.prepare(opts.validationData[0], opts.validationData[1], undefined, 'fit (validationData)') : undefined;
    const batch = p.batchSize === 'auto' ? Math.min(200, n) : Math.min(p.batchSize, n);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const control: TrainingControl = {
      lr: st.lr,
      stop: false,
      snapshot: () => Float32Array.from(st.net.params),
      restore: (w) => st.net.params.set(w),
      saveCheckpoint: (path) => this.saveCheckpoint(path),
    };
    const checkpoint = abortCheckpoint(opts.signal);
    for (let e = 0; e < epochs; e++) {
      await checkpoint(); // the fit's transaction then restores the state from before the call
      if (p.shuffle) {
        // each epoch's permutation depends on the RNG state only (so a resumed run matches)
        for (let i = 0; i < n; i++) order[i] = i;
        shuffleInPlace(order, st.rng);
      }
      const loss = await st.kernels.epoch({
        net: st.net,
        data: { x, n, ...data },
        order,
        batch,
        dropout: p.dropout,
        seed: 1 + st.rng.int(0x7ffffffe),
        solver: p.solver === 'sgd' ? 'sgd' : 'adam',
        lr: control.lr,
        alpha: p.alpha,
        weightDecay: p.solver === 'adamw' ? p.weightDecay : 0,
        momentum: p.momentum,
        nesterov: p.nesterovs,
        beta1: p.beta1,
        beta2: p.beta2,
        eps: p.epsilon,
        m: st.m,
        v: st.v,
        step: st.step,
      });
      if (!Number.isFinite(loss))
        throw new ParamError(`${this.constructor.name}: the loss diverged at epoch ${this.history.length + 1}; lower learningRateInit or scale the features`);
      const logs: EpochLogs = { epoch: this.history.length, epochs: this.history.length + epochs - e, loss, lr: control.lr };
      if (validation) logs.valLoss = await this.validationLoss(validation);
      this.history.push(logs);
      st.lr = control.lr;
      for (const cb of p.callbacks) await cb.onEpochEnd?.(logs, control);
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
    const Xm = readMatrix(X, `${this.constructor.name}.${method}: X`, { sparse: 'densify' });
    if (Xm.cols !== st.net.sizes[0]) {
      throw new ShapeError(`${this.constructor.name}.${method}: X has ${Xm.cols} features but the network takes ${st.net.sizes[0]}`);
    }
    const cols = st.net.sizes[st.net.sizes.length - 1];
    return { out: await st.kernels.forward(st.net, f32(Xm), Xm.rows), rows: Xm.rows, cols };
  }
}

function f32(m: Matrix): Float32Array {
  return m.data instanceof Float32Array ? m.data : Float32Array.from(m.data);
}

export class MLPClassifier extends MLPBase {
  private labels: Label[] | undefined;

  constructor(params: Partial<MLPParams> = {}) {
    super(MLP_DEFAULTS, params);
  }

  get classes(): Label[] {
    return [...this.fitted(this.labels)];
  }

  async fit(X: MatrixLike, y: ArrayLike<Label>, opts: FitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, FIT_KEYS);
    return this.transaction(opts.signal, async () => {
      let codes: Int32Array | undefined;
      if (opts.resumeFrom) await this.resume(opts.resumeFrom);
      else ({ classes: this.labels, codes } = encodeLabels(y, 'MLPClassifier.fit: y'));
      const d = this.prepare(X, y, opts.sampleWeight, 'fit', codes);
      if (this.labels!.length < 2) {
        throw new ParamError(`MLPClassifier.fit: y has a single class (${String(this.labels![0])}); a classifier needs at least 2`);
      }
      if (!opts.resumeFrom) this.state = await this.init(d.x.length / d.n, this.labels!.length, 'softmax');
      await this.train(d.x, d.n, d.data, Math.max(0, this.params.maxIter - (opts.resumeFrom ? this.history.length : 0)), opts);
      return this;
    });
  }

  /** X, y and the weights as the kernels take them; `known`: y's codes where fit has just coded them. */
  protected prepare(X: MatrixLike, y: unknown, sampleWeight: ArrayLike<number> | undefined, method: string, known?: Int32Array): Prepared {
    const Xm = readMatrix(X, `MLPClassifier.${method}: X`, { sparse: 'densify' });
    const labels = y as ArrayLike<Label>;
    if (labels?.length !== Xm.rows) throw new ShapeError(`MLPClassifier.${method}: X has ${Xm.rows} rows but y has ${labels?.length} labels`);
    const codes = known ?? this.codesOf(labels, method);
    const sw = readSampleWeight(sampleWeight, Xm.rows, `MLPClassifier.${method}: sampleWeight`);
    const cw = this.classWeights(codes);
    const weights = sw || cw ? Float32Array.from(codes, (c, i) => (sw ? sw[i] : 1) * (cw ? cw[c] : 1)) : null;
    return { x: f32(Xm), n: Xm.rows, data: { labels: codes, targets: null, weights } };
  }

  /** Each label's index in the fitted classes. */
  private codesOf(labels: ArrayLike<Label>, method: string): Int32Array {
    const index = new Map(this.labels!.map((c, i) => [c, i]));
    const codes = new Int32Array(labels.length);
    for (let i = 0; i < labels.length; i++) {
      const c = index.get(labels[i]);
      if (c === undefined)
        throw new ParamError(
          `MLPClassifier.${method}: y[${i}] = ${JSON.stringify(labels[i])} is not one of the classes (${this.labels!.map((l) => JSON.stringify(l)).join(', ')})`,
        );
      codes[i] = c;
    }
    return codes;
  }

  private classWeights(codes: Int32Array): Float64Array | null {
    const cw = this.params.classWeight;
    return cw === undefined ? null : classWeights(cw, this.labels!, codes, 'MLPClassifier');
  }

  protected checkpointExtra(): Record<string, unknown> {
    return { labels: this.labels };
  }

  protected restoreExtra(extra: Record<string, any>): void {
    this.labels = extra.labels;
  }

  /** One epoch on this batch. The first call must list every class in `classes`. */
  async partialFit(X: MatrixLike, y: ArrayLike<Label>, opts: FitOptions & { classes?: Label[] } = {}): Promise<this> {
    this.callOptions('partialFit', opts, [...FIT_KEYS, 'classes']);
    return this.transaction(opts.signal, async () => {
      const Xm = readMatrix(X, 'MLPClassifier.partialFit: X', { sparse: 'densify' });
      if (!this.state) {
        if (!opts.classes) throw new ParamError('MLPClassifier.partialFit: the first call needs { classes: [...every label] }');
        this.labels = encodeLabels(opts.classes, 'MLPClassifier.partialFit: classes').classes;
        this.state = await this.init(Xm.cols, this.labels.length, 'softmax');
      }
      const d = this.prepare(Xm, y, opts.sampleWeight, 'partialFit');
      await this.train(d.x, d.n, d.data, 1, opts);
      return this;
    });
  }

  async predictProba(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { out, rows, cols } = await this.outputs(X, 'predictProba');
      return new Matrix(Float64Array.from(out), rows, cols);
    });
  }

  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Label[]> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const classes = this.fitted(this.labels);
      const { out, rows, cols } = await this.outputs(X, 'predict');
      return labelsOfMaxScore(classes, out, rows, cols);
    });
  }

  async score(X: MatrixLike, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }
}

export class MLPRegressor extends MLPBase {
  private oneD = true;

  constructor(params: Partial<MLPParams> = {}) {
    super(MLP_DEFAULTS, params);
  }

  async fit(X: MatrixLike, y: RegressionTarget, opts: FitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, FIT_KEYS);
    return this.transaction(opts.signal, async () => {
      if (opts.resumeFrom) await this.resume(opts.resumeFrom);
      const d = this.prepare(X, y, opts.sampleWeight, 'fit');
      if (!opts.resumeFrom) {
        this.oneD = readTarget(y, 'MLPRegressor.fit: y').oneD;
        this.state = await this.init(d.x.length / d.n, d.data.targets!.length / d.n, 'identity');
      }
      await this.train(d.x, d.n, d.data, Math.max(0, this.params.maxIter - (opts.resumeFrom ? this.history.length : 0)), opts);
      return this;
    });
  }

  async partialFit(X: MatrixLike, y: RegressionTarget, opts: FitOptions = {}): Promise<this> {
    this.callOptions('partialFit', opts, FIT_KEYS);
    return this.transaction(opts.signal, async () => {
      const d = this.prepare(X, y, opts.sampleWeight, 'partialFit');
      if (!this.state) {
        this.oneD = readTarget(y, 'MLPRegressor.partialFit: y').oneD;
        this.state = await this.init(d.x.length / d.n, d.data.targets!.length / d.n, 'identity');
      }
      await this.train(d.x, d.n, d.data, 1, opts);
      return this;
    });
  }

  protected prepare(X: MatrixLike, y: unknown, sampleWeight: ArrayLike<number> | undefined, method: string): Prepared {
    const Xm = readMatrix(X, `MLPRegressor.${method}: X`, { sparse: 'densify' });
    const t = readTarget(y as RegressionTarget, `MLPRegressor.${method}: y`);
    if (t.y.length / t.outputs !== Xm.rows) throw new ShapeError(`MLPRegressor.${method}: X has ${Xm.rows} rows but y has ${t.y.length / t.outputs}`);
    const sw = readSampleWeight(sampleWeight, Xm.rows, `MLPRegressor.${method}: sampleWeight`);
    return { x: f32(Xm), n: Xm.rows, data: { labels: null, targets: Float32Array.from(t.y), weights: sw ? Float32Array.from(sw) : null } };
  }

  protected checkpointExtra(): Record<string, unknown> {
    return { oneD: this.oneD };
  }

  protected restoreExtra(extra: Record<string, any>): void {
    this.oneD = extra.oneD;
  }

  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array | Matrix<Float64Array>> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { out, rows, cols } = await this.outputs(X, 'predict');
      return shapeOutput(Float64Array.from(out), rows, cols, this.oneD);
    });
  }

  async score(X: MatrixLike, y: RegressionTarget): Promise<number> {
    const t = readTarget(y, 'MLPRegressor.score: y');
    const pred = await this.predict(X);
    return r2Score(t.y, pred instanceof Matrix ? pred.data : pred, t.outputs);
  }
}
