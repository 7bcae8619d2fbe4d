/**
 * What every naive Bayes classifier shares once it can score a row against each class:
 * the joint log-likelihood log P(c) + log P(x | c) (each subclass's own), normalised per row by
 * log-sum-exp into log-probabilities, exponentiated into probabilities, arg-maxed into labels.
 */
import type { MatrixOrSparse } from '../../core/dense.js';
import { Estimator, SIGNAL_ONLY, type CallOptions } from '../../core/estimator.js';
import { labelsOfMaxScore } from '../../core/labels.js';
import { Matrix } from '../../core/matrix.js';
import { accuracyScore, type Label } from '../../metrics/classification.js';

export abstract class NaiveBayes<P extends object> extends Estimator<P> {
  /** The sorted classes of the fitted model (throws E_NOT_FITTED before fit). */
  protected abstract fittedClasses(): Label[];
  /** log P(c) + log P(x | c), rows × classes; `method` names the public call for errors. */
  protected abstract jointLogLikelihood(X: MatrixOrSparse, method: string): Matrix<Float64Array>;

  get classes(): Label[] {
    return [...this.fittedClasses()];
  }

  async predictLogProba(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictLogProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const j = this.jointLogLikelihood(X, 'predictLogProba');
      const K = j.cols;
      for (let r = 0; r < j.rows; r++) {
        let mx = -Infinity;
        for (let k = 0; k < K; k++) mx = Math.max(mx, j.data[r * K + k]);
        let se = 0;
        for (let k = 0; k < K; k++) se += Math.exp(j.data[r * K + k] - mx);
        const lse = mx + Math.log(se);
        for (let k = 0; k < K; k++) j.data[r * K + k] -= lse;
      }
      return j;
    });
  }

  async predictProba(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const l = await this.predictLogProba(X);
      return new Matrix(l.data.map(Math.exp), l.rows, l.cols);
    });
  }

  async predict(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Label[]> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const j = this.jointLogLikelihood(X, 'predict');
      return labelsOfMaxScore(this.fittedClasses(), j.data, j.rows, j.cols);
    });
  }

  async score(X: MatrixOrSparse, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }
}
