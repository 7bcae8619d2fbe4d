/** k-nearest-neighbours classification (scikit-learn's KNeighborsClassifier). */
import type { MatrixOrSparse } from '../../core/dense.js';
import { ParamError, ShapeError } from '../../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../../core/estimator.js';
import { Matrix } from '../../core/matrix.js';
import { accuracyScore, type Label } from '../../metrics/classification.js';
import type { ParamSpecs } from '../../core/params.js';
import { NEIGHBORS_DEFAULTS, NEIGHBORS_SPECS, NeighborsBase, type NeighborsParams } from './neighbors-base.js';
import { neighborWeights, WEIGHTS, type NeighborWeights } from './weights.js';
import { encodeLabels, labelsOfMaxScore } from '../../core/labels.js';

export interface KNeighborsClassifierParams extends NeighborsParams {
  /** How the neighbours vote: 'uniform', or 'distance' (weighted by 1/distance; neighbours at distance 0 take all the weight). Default: 'uniform'. */
  weights: NeighborWeights;
}

const CLASSIFIER_SPECS: ParamSpecs<KNeighborsClassifierParams> = { ...NEIGHBORS_SPECS, weights: WEIGHTS };

export class KNeighborsClassifier extends NeighborsBase<KNeighborsClassifierParams> {
  private labels: { classes: Label[]; codes: Int32Array } | undefined;

  constructor(params: Partial<KNeighborsClassifierParams> = {}) {
    super({ ...NEIGHBORS_DEFAULTS, weights: 'uniform' }, params);
  }

  protected get paramSpecs(): ParamSpecs<KNeighborsClassifierParams> {
    return CLASSIFIER_SPECS;
  }

  /** Class labels seen at fit, sorted (numbers ascending, or strings). */
  get classes(): Label[] {
    return [...this.fitted(this.labels).classes];
  }

  async fit(X: MatrixOrSparse, y: ArrayLike<Label>, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const codes = encodeLabels(y, 'KNeighborsClassifier.fit: y');
      const Xm = await this.fitIndex(X);
      if (codes.codes.length !== Xm.rows) {
        this.dispose();
        throw new ShapeError(`KNeighborsClassifier.fit: X has ${Xm.rows} rows but y has ${codes.codes.length} labels`);
      }
      this.labels = codes;
      return this;
    });
  }

  /** Per query, the (weighted) vote share of each class, in the order of `classes`. */
  async predictProba(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { classes, codes } = this.fitted(this.labels);
      const nb = await this.kneighbors(X);
      const k = nb.k,
        rows = nb.distances.rows,
        nc = classes.length;
      const proba = new Float64Array(rows * nc);
      const w = new Float64Array(k);
      for (let q = 0; q < rows; q++) {
        neighborWeights(this.params.weights, nb.distances.data, q * k, k, w);
        let total = 0;
        for (let t = 0; t < k; t++) {
          proba[q * nc + codes[nb.indices[q * k + t]]] += w[t];
          total += w[t];
        }
        for (let c = 0; c < nc; c++) proba[q * nc + c] /= total;
      }
      return new Matrix(proba, rows, nc);
    });
  }

  /** The class with the largest vote share (ties: the smallest class). */
  async predict(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Label[]> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { classes } = this.fitted(this.labels);
      const p = await this.predictProba(X);
      return labelsOfMaxScore(classes, p.data, p.rows, p.cols);
    });
  }

  /** Mean accuracy on (X, y). */
  async score(X: MatrixOrSparse, y: ArrayLike<Label>): Promise<number> {
    const pred = await this.predict(X);
    if (y.length !== pred.length) throw new ParamError(`KNeighborsClassifier.score: X has ${pred.length} rows but y has ${y.length} labels`);
    return accuracyScore(y, pred);
  }
}
