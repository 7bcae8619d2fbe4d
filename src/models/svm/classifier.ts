/**
 * What SVC and NuSVC share: labels, one-vs-one training (ovo.ts) with each estimator's binary
 * solver, LIBSVM's Platt probabilities, and scikit-learn's public orientation: for two classes the
 * decision value, dualCoef and intercept are LIBSVM's negated (positive means classes[1]); for
 * more, decisionFunctionShape 'ovr' derives one column per class from the pairwise values.
 */
import type { MatrixOrSparse } from '../../core/dense.js';
import { ParamError } from '../../core/errors.js';
import { SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../../core/estimator.js';
import type { Label } from '../../core/labels.js';
import { Matrix } from '../../core/matrix.js';
import { bool, int, oneOf, type ParamSpecs } from '../../core/params.js';
import { Rng } from '../../core/prng.js';
import { readMatrix } from '../../core/read-matrix.js';
import { accuracyScore } from '../../metrics/classification.js';
import { readSampleWeight } from '../common/targets.js';
import { readClassLabels } from '../common/class-labels.js';
import { SvmBase, type KernelParams } from './base.js';
import { TrainKernel } from '../../backend/svm/kernel.js';
import type { SolveContext } from './problems.js';
import { ovoDecision, ovoProbability, ovoVote, ovrFromOvo, trainOvo, type PairTrainer } from './ovo.js';

export interface SvcCommonParams extends KernelParams {
  /** Fit LIBSVM's Platt sigmoids by an internal 5-fold cross-validation so that predictProba works (slower fit). Default: false. */
  probability: boolean;
  /** 'ovr': decisionFunction returns one column per class (scikit-learn's votes plus confidences); 'ovo': one per class pair. Default: 'ovr'. */
  decisionFunctionShape: 'ovr' | 'ovo';
  /** With 'ovr' and three classes or more, predict takes the largest decisionFunction column instead of LIBSVM's vote. Default: false. */
  breakTies: boolean;
  /** Seed of the probability cross-validation's shuffle (an integer). Default: 0. */
  randomState: number;
}

export const SVC_COMMON_DEFAULTS = { probability: false, decisionFunctionShape: 'ovr', breakTies: false, randomState: 0 } as const;

export const SVC_COMMON_SPECS: Omit<ParamSpecs<SvcCommonParams>, keyof KernelParams> = {
  probability: bool(),
  decisionFunctionShape: oneOf('ovr', 'ovo'),
  breakTies: bool(),
  randomState: int(),
};

interface ClassState {
  classes: Label[];
  probA: Float64Array | null;
  probB: Float64Array | null;
}

export abstract class SvcBase<P extends SvcCommonParams> extends SvmBase<P> {
  private labels: ClassState | undefined;

  /** The binary solver of one class pair, and the bound of each class (C · class weight; unused by ν-SVC). */
  protected abstract pairTrainer(ctx: SolveContext): PairTrainer;
  protected abstract classBounds(classes: Label[], codes: Int32Array): Float64Array;
  /** Checks that the problem is feasible (ν-SVC); nothing by default. */
  protected checkFeasible(_codes: Int32Array, _w: Float64Array, _K: number): void {}

  protected override checkTogether(p: P): void {
    if (p.breakTies && p.decisionFunctionShape === 'ovo') throw new ParamError(`${this.constructor.name}: breakTies needs decisionFunctionShape 'ovr'`);
  }

  get classes(): Label[] {
    return [...this.fitted(this.labels).classes];
  }
  /** Platt's A per class pair (with probability: true). */
  get probA(): Float64Array {
    return Float64Array.from(this.probabilityState().probA);
  }
  /** Platt's B per class pair (with probability: true). */
  get probB(): Float64Array {
    return Float64Array.from(this.probabilityState().probB);
  }

  /** For two classes, scikit-learn's sign: positive favours classes[1]. */
  override get dualCoef(): Matrix<Float64Array> {
    const d = super.dualCoef;
    if (this.fitted(this.labels).classes.length === 2) for (let i = 0; i < d.data.length; i++) d.data[i] = -d.data[i];
    return d;
  }
  override get intercept(): Float64Array {
    const b = super.intercept;
    return this.fitted(this.labels).classes.length === 2 ? b.map((v) => (v !== 0 ? -v : 0)) : b;
  }

  /**
   * Primal weights (linear kernel only): for two classes one row (positive: classes[1]); otherwise
   * one row per class pair in the order of the 'ovo' columns, as scikit-learn's coef_.
   */
  override get coef(): Matrix<Float64Array> {
    const s = this.linearState();
    const K = s.nSupport.length;
    if (K === 2) {
      const c = super.coef;
      for (let f = 0; f < c.data.length; f++) c.data[f] = -c.data[f];
      return c;
    }
    const p = s.p,
      m = s.support.length;
    const start = new Int32Array(K + 1);
    for (let k = 0; k < K; k++) start[k + 1] = start[k] + s.nSupport[k];
    const rows: number[] = [];
    for (let i = 0; i < K; i++) {
      for (let j = i + 1; j < K; j++) {
        const w = new Float64Array(p);
        const add = (row: number, cls: number) => {
          for (let k = start[cls]; k < start[cls + 1]; k++) for (let f = 0; f < p; f++) w[f] += s.svCoef[row * m + k] * s.supportVectors[k * p + f];
        };
        add(j - 1, i);
        add(i, j);
        rows.push(...w);
      }
    }
    return new Matrix(Float64Array.from(rows), rows.length / p, p);
  }

  async fit(X: MatrixOrSparse, y: ArrayLike<Label>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const name = `${this.constructor.name}.fit`;
      const Xm = readMatrix(X, `${name}: X`, { sparse: 'densify' });
      const { classes, codes } = readClassLabels(y, Xm.rows, name);
      const w = readSampleWeight(opts.sampleWeight, Xm.rows, `${name}: sampleWeight`) ?? new Float64Array(Xm.rows).fill(1);
      // rows of weight 0 are left out, as scikit-learn's LIBSVM does
      const keep = Int32Array.from(Array.from(w.keys()).filter((i) => w[i] > 0));
      const keptCodes = Int32Array.from(keep, (i) => codes[i]);
      const K = classes.length;
      for (let k = 0; k < K; k++) {
        if (!keptCodes.includes(k)) throw new ParamError(`${name}: class ${String(classes[k])} has no row of positive weight`);
      }
      this.checkFeasible(
        keptCodes,
        Float64Array.from(keep, (i) => w[i]),
        K,
      );
      const ctx = await this.solveContext(Xm, name, opts.signal);
      const model = await trainOvo(
        keep,
        keptCodes,
        K,
        w,
        this.classBounds(classes, codes),
        this.pairTrainer(ctx),
        this.params.probability ? { rng: new Rng(this.params.randomState), kernel: new TrainKernel(ctx.x, ctx.d, ctx.kernel) } : null,
      );
      this.state = this.makeState(ctx, model.support, model.nSupport, model.svCoef, model.rho, model.nIter);
      this.labels = { classes, probA: model.probA, probB: model.probB };
      return this;
    });
  }

  /** LIBSVM's pairwise values (rows × pairs). */
  private async pairwise(X: MatrixOrSparse, method: string): Promise<{ dec: Float64Array; rows: number }> {
    const s = this.fitted(this.state);
    const { out, rows } = await this.overKernelBlocks(X, method, s.rho.length, (kv, r) => ovoDecision(kv, r, s.nSupport, s.svCoef, s.rho));
    return { dec: out, rows };
  }

  /**
   * Decision values: for two classes one per row (positive: classes[1]); otherwise rows × classes
   * ('ovr') or rows × pairs in the order (0,1), (0,2), …, (1,2), … ('ovo').
   */
  async decisionFunction(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Float64Array | Matrix<Float64Array>> {
    this.callOptions('decisionFunction', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => this.decisionValues(X, 'decisionFunction'));
  }

  private async decisionValues(X: MatrixOrSparse, method: string): Promise<Float64Array | Matrix<Float64Array>> {
    const K = this.fitted(this.labels).classes.length;
    const { dec, rows } = await this.pairwise(X, method);
    if (K === 2) return dec.map((v) => -v);
    if (this.params.decisionFunctionShape === 'ovo') return new Matrix(dec, rows, dec.length / rows);
    return new Matrix(ovrFromOvo(dec, rows, K), rows, K);
  }

  /** LIBSVM's one-vs-one vote (ties: the first class); with breakTies, the largest ovr column. */
  async predict(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Label[]> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { classes } = this.fitted(this.labels);
      const K = classes.length;
      const { dec, rows } = await this.pairwise(X, 'predict');
      if (this.params.breakTies && K > 2) {
        const ovr = ovrFromOvo(dec, rows, K);
        return Array.from({ length: rows }, (_, r) => {
          let best = 0;
          for (let k = 1; k < K; k++) if (ovr[r * K + k] > ovr[r * K + best]) best = k;
          return classes[best];
        });
      }
      return Array.from(ovoVote(dec, rows, K), (c) => classes[c]);
    });
  }

  /** Class probabilities (rows × classes) by LIBSVM's pairwise coupling of Platt sigmoids; needs probability: true. */
  async predictProba(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { probA, probB } = this.probabilityState();
      const K = this.fitted(this.labels).classes.length;
      const { dec, rows } = await this.pairwise(X, 'predictProba');
      return new Matrix(ovoProbability(dec, rows, K, probA, probB), rows, K);
    });
  }

  async predictLogProba(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictLogProba', opts, SIGNAL_ONLY);
    const p = await this.predictProba(X, opts);
    return new Matrix(p.data.map(Math.log), p.rows, p.cols);
  }

  /** Mean accuracy on (X, y). */
  async score(X: MatrixOrSparse, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }

  private probabilityState(): { probA: Float64Array; probB: Float64Array } {
    const l = this.fitted(this.labels);
    if (!l.probA || !l.probB) {
      throw new ParamError(`${this.constructor.name}: probabilities need probability: true at fit; set it and fit again`);
    }
    return { probA: l.probA, probB: l.probB };
  }
}
