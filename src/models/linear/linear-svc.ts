/**
 * Linear support vector classification (scikit-learn's LinearSVC, dual solver):
 * LIBLINEAR's dual coordinate descent in a native kernel, hinge or squared hinge,
 * one-vs-rest for more than two classes (problems solved in parallel).
 */
import { readMatrix } from '../../core/read-matrix.js';
import type { MatrixOrSparse } from '../../core/dense.js';
import { WEIGHTED_FIT, type WeightedFitOptions } from '../../core/estimator.js';
import type { Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/prng.js';
import type { BackendChoice } from '../../backend/backend.js';
import { BACKEND_CHOICE } from '../../backend/contract/names.js';
import { bool, int, num, oneOf, optional, type ParamSpecs } from '../../core/params.js';
import type { Label } from '../../metrics/classification.js';
import { readSampleWeight } from '../common/targets.js';
import { linearBackend } from './base.js';
import { LinearClassifier, oneVsRestTargets, type LinearClassifierFit } from './classifier.js';
import { readClassLabels } from '../common/class-labels.js';

export interface LinearSVCParams {
  /** The loss: 'squared_hinge' (L2-loss SVM) or 'hinge' (L1-loss SVM). Default: 'squared_hinge'. */
  loss: 'squared_hinge' | 'hinge';
  /** Inverse regularisation strength, a finite number > 0: minimises ½‖w‖² + C·Σ wᵢ·lossᵢ. Default: 1. */
  C: number;
  /** Stop when a sweep's projected gradients span at most tol (PGmax − PGmin, as LIBLINEAR), a number > 0. Default: 1e-4. */
  tol: number;
  /** Most coordinate-descent sweeps per one-vs-rest problem. Default: 1000. */
  maxIter: number;
  /** Fit an intercept, carried by a constant feature of value interceptScaling. Default: true. */
  fitIntercept: boolean;
  /** Value of the constant feature that carries the intercept (a number > 0; it is regularised, as in LIBLINEAR). Default: 1. */
  interceptScaling: number;
  /** Seed of the coordinate order of the sweeps (any integer). Default: 0. */
  randomState: number;
  /**
   * Backend of the dual coordinate-descent kernel: 'auto', 'native' or 'js' (it does not run on
   * 'webgpu'); undefined uses the process-wide choice (setBackend). Default: undefined.
   */
  backend: BackendChoice | undefined;
}

const LINEAR_SVC_SPECS: ParamSpecs<LinearSVCParams> = {
  loss: oneOf('squared_hinge', 'hinge'),
  C: num({ min: 0, minExclusive: true, finite: true }),
  tol: num({ min: 0, minExclusive: true }),
  maxIter: int({ min: 1 }),
  fitIntercept: bool(),
  interceptScaling: num({ min: 0, minExclusive: true }),
  randomState: int(),
  backend: optional(BACKEND_CHOICE),
};

interface Fitted {
  classes: Label[];
  coef: Float64Array; // models × p
  intercept: Float64Array;
  models: number;
  p: number;
  nIter: number;
}

export class LinearSVC extends LinearClassifier<LinearSVCParams> {
  private state: Fitted | undefined;

  constructor(params: Partial<LinearSVCParams> = {}) {
    super({ loss: 'squared_hinge', C: 1, tol: 1e-4, maxIter: 1000, fitIntercept: true, interceptScaling: 1, randomState: 0, backend: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<LinearSVCParams> {
    return LINEAR_SVC_SPECS;
  }

  protected fittedLinear(): LinearClassifierFit {
    const s = this.fitted(this.state);
    return { classes: s.classes, coef: s.coef, intercept: s.intercept, columns: s.models, features: s.p, nIter: s.nIter };
  }

  async fit(X: MatrixOrSparse, y: ArrayLike<Label>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const X0 = readMatrix(X, 'LinearSVC.fit: X', { sparse: 'densify' });
      const labels = readClassLabels(y, X0.rows, 'LinearSVC.fit');
      // a zero-weight row is a row left out (its C would be 0): drop it, as row duplication's closed form says
      const { Xm, codes, weight } = withoutZeroWeights(X0, labels.codes, readSampleWeight(opts.sampleWeight, X0.rows, 'LinearSVC.fit: sampleWeight'));
      const { classes } = labels;
      const backend = await linearBackend(this.params.backend, Xm.rows * Xm.cols, 'LinearSVC');
      const n = Xm.rows,
        p = Xm.cols;
      const { y: yy, models } = oneVsRestTargets(codes, classes.length);
      const coef = new Float64Array(models * (p + 1)),
        iterations = new Int32Array(models);
      await backend.svmDualCd({
        x: Xm.data,
        n,
        p,
        y: yy,
        models,
        squaredHinge: this.params.loss === 'squared_hinge',
        C: this.params.C,
        interceptScaling: this.params.fitIntercept ? this.params.interceptScaling : 0,
        maxIter: this.params.maxIter,
        tol: this.params.tol,
        seed: 1 + new Rng(this.params.randomState).int(0x7ffffffe),
        coef,
        iterations,
        weight,
      });
      const w = new Float64Array(models * p),
        b = new Float64Array(models);
      for (let m = 0; m < models; m++) {
        w.set(coef.subarray(m * (p + 1), m * (p + 1) + p), m * p);
        b[m] = coef[m * (p + 1) + p];
      }
      this.state = { classes, coef: w, intercept: b, models, p, nIter: Math.max(...iterations) };
      return this;
    });
  }
}

/** The rows with a positive weight (all rows, weight null, when unweighted). */
function withoutZeroWeights(X: Matrix, codes: Int32Array, w: Float64Array | null): { Xm: Matrix; codes: Int32Array; weight: Float64Array | null } {
  if (w === null) return { Xm: X, codes, weight: null };
  const kept: number[] = [];
  for (let i = 0; i < w.length; i++) if (w[i] > 0) kept.push(i);
  if (kept.length === w.length) return { Xm: X, codes, weight: w };
  const rows = Int32Array.from(kept);
  return { Xm: X.takeRows(rows), codes: Int32Array.from(kept, (i) => codes[i]), weight: Float64Array.from(kept, (i) => w[i]) };
}
