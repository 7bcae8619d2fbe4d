/** Metrics on predicted probabilities: log loss and Brier score (scikit-learn 1.2 semantics). */
import { ParamError } from '../core/errors.js';
import type { Matrix, MatrixLike } from '../core/matrix.js';
import { checkOptions } from '../core/validate.js';
import { average as mean, floats, isTable, labelList, labels, sameLength, table, weights } from './check.js';
import type { Label } from '../core/labels.js';

export interface LogLossOptions {
  /** Probabilities are clipped to [eps, 1 − eps]; 'auto' (default) = machine epsilon of yPred's type. */
  eps?: number | 'auto';
  /** false: the summed loss instead of the mean. */
  normalize?: boolean;
  sampleWeight?: ArrayLike<number>;
  /** All classes, sorted, when yTrue misses some (default: sorted classes of yTrue). */
  labels?: readonly Label[];
}

/**
 * Cross-entropy of the true labels under predicted probabilities (scikit-learn's log_loss).
 * yPred: an n × K matrix (columns in sorted class order), or for two classes one probability
 * per sample for the greater class. Rows are renormalised after clipping, as scikit-learn does.
 */
export function logLoss(yTrue: ArrayLike<Label>, yPred: ArrayLike<number> | MatrixLike, opts: LogLossOptions = {}): number {
  const fn = 'logLoss';
  checkOptions(opts, ['eps', 'normalize', 'sampleWeight', 'labels'], fn);
  const e = labels(yTrue, 'yTrue', fn);
  const classes = opts.labels ? labelList(opts.labels, fn).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : e.classes;
  if (classes.length < 2) {
    throw new ParamError(
      opts.labels
        ? `${fn}: labels needs at least two classes, got ${classes.length}`
        : `${fn}: yTrue holds only one label (${JSON.stringify(classes[0])}); list every class in the labels option`,
    );
  }
  const P: Matrix = table(yPred, 'yPred', fn);
  sameLength(e.codes.length, P.rows, 'yTrue', 'yPred', fn);
  const f32 = P.data instanceof Float32Array || (!isTable(yPred) && yPred instanceof Float32Array);
  const eps = opts.eps === undefined || opts.eps === 'auto' ? (f32 ? 2 ** -23 : Number.EPSILON) : opts.eps;
  if (typeof eps !== 'number' || !(eps >= 0 && eps < 0.5)) throw new ParamError(`${fn}: eps must be 'auto' or a number in [0, 0.5), got ${eps}`);
  const k = P.cols === 1 ? 2 : P.cols; // one column: P(greater class), its complement first
  if (k !== classes.length) {
    throw new ParamError(
      `${fn}: yPred has ${k} columns but there are ${classes.length} classes (${classes.join(', ')}); ` +
        'pass one probability column per class' +
        (opts.labels ? '' : ', or list every class in the labels option'),
    );
  }
  const at = new Map(classes.map((c, i) => [c, i]));
  const w = weights(opts.sampleWeight, P.rows, fn);
  const clip = (v: number) => Math.min(Math.max(v, eps), 1 - eps);
  const loss = new Float64Array(P.rows);
  for (let i = 0; i < P.rows; i++) {
    const y = at.get(e.classes[e.codes[i]]);
    if (y === undefined) throw new ParamError(`${fn}: yTrue[${i}] = ${JSON.stringify(e.classes[e.codes[i]])} is not in labels`);
    let row = 0,
      py = 0;
    for (let j = 0; j < k; j++) {
      const p = P.cols === 1 ? (j === 1 ? clip(P.data[i]) : 1 - clip(P.data[i])) : clip(P.data[i * k + j]);
      row += p;
      if (j === y) py = p;
    }
    loss[i] = -Math.log(py / row);
  }
  if (opts.normalize === false) return loss.reduce((s, v, i) => s + (w ? v * w[i] : v), 0);
  return mean(loss, w);
}

export interface BrierOptions {
  sampleWeight?: ArrayLike<number>;
  /** The positive class; default 1 for 0/1 or -1/1 labels, else the greater numeric label. */
  posLabel?: Label;
}

/** Mean squared difference between P(positive) and the 0/1 outcome (scikit-learn's brier_score_loss; binary only). */
export function brierScoreLoss(yTrue: ArrayLike<Label>, yProb: ArrayLike<number>, opts: BrierOptions = {}): number {
  const fn = 'brierScoreLoss';
  checkOptions(opts, ['sampleWeight', 'posLabel'], fn);
  const e = labels(yTrue, 'yTrue', fn);
  const p = floats(yProb, 'yProb', fn);
  sameLength(e.codes.length, p.length, 'yTrue', 'yProb', fn);
  if (e.classes.length > 2) throw new ParamError(`${fn}: only binary targets are supported; yTrue has ${e.classes.length} classes`);
  for (let i = 0; i < p.length; i++) {
    if (p[i] < 0 || p[i] > 1) throw new ParamError(`${fn}: yProb[${i}] = ${p[i]} is not a probability; pass values in [0, 1]`);
  }
  let pos = opts.posLabel;
  if (pos === undefined) {
    const key = e.classes.join(',');
    if (typeof e.classes[0] === 'string') throw new ParamError(`${fn}: yTrue holds string labels; pass posLabel (the positive class)`);
    // 0/1 and -1/1 labels: 1 is positive; other numeric labels: the greater one (scikit-learn's fallback)
    pos = ['0,1', '-1,1', '0', '-1', '1'].includes(key) ? 1 : e.classes[e.classes.length - 1];
  }
  const posCode = e.classes.indexOf(pos);
  const sq = Float64Array.from(p, (v, i) => ((e.codes[i] === posCode ? 1 : 0) - v) ** 2);
  return mean(sq, weights(opts.sampleWeight, p.length, fn));
}
