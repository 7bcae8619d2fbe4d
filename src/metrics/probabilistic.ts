/** Metrics on predicted probabilities: log loss and Brier score (scikit-learn 1.2 semantics). */
import { ParamError } from '../core/errors.js';
import type { Matrix, MatrixLike } from '../core/matrix.js';
import { checkOptions } from '../core/validate.js';
import { linspace, percentile } from '../core/numeric.js';
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
/** The positive class of a binary target: posLabel, else 1 for 0/1 and -1/1 labels, else the greater number; string labels need posLabel. */
function positiveLabel(classes: readonly Label[], posLabel: Label | undefined, fn: string): Label {
  if (posLabel !== undefined) return posLabel;
  if (typeof classes[0] === 'string') throw new ParamError(`${fn}: yTrue holds string labels; pass posLabel (the positive class)`);
  // 0/1 and -1/1 labels: 1 is positive; other numeric labels: the greater one (scikit-learn's fallback)
  return ['0,1', '-1,1', '0', '-1', '1'].includes(classes.join(',')) ? 1 : classes[classes.length - 1];
}

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
  const posCode = e.classes.indexOf(positiveLabel(e.classes, opts.posLabel, fn));
  const sq = Float64Array.from(p, (v, i) => ((e.codes[i] === posCode ? 1 : 0) - v) ** 2);
  return mean(sq, weights(opts.sampleWeight, p.length, fn));
}

export interface CalibrationCurveOptions {
  /** Bins over [0, 1]. Default: 5. */
  nBins?: number;
  /** 'uniform' (equal widths) or 'quantile' (equal counts, from the percentiles of yProb). Default: 'uniform'. */
  strategy?: 'uniform' | 'quantile';
  /** The positive class (needed for string labels). */
  posLabel?: Label;
}

/** scikit-learn's calibration_curve: per non-empty bin, the share of positives (probTrue) and the mean predicted probability (probPred). */
export function calibrationCurve(
  yTrue: ArrayLike<Label>,
  yProb: ArrayLike<number>,
  opts: CalibrationCurveOptions = {},
): { probTrue: Float64Array; probPred: Float64Array } {
  const fn = 'calibrationCurve';
  checkOptions(opts, ['nBins', 'strategy', 'posLabel'], fn);
  const nBins = opts.nBins ?? 5;
  if (!Number.isInteger(nBins) || nBins < 1) throw new ParamError(`${fn}: nBins must be a positive integer, got ${String(opts.nBins)}`);
  const strategy = opts.strategy ?? 'uniform';
  if (strategy !== 'uniform' && strategy !== 'quantile') throw new ParamError(`${fn}: strategy must be 'uniform' or 'quantile', got ${String(strategy)}`);
  const e = labels(yTrue, 'yTrue', fn);
  const p = floats(yProb, 'yProb', fn);
  sameLength(e.codes.length, p.length, 'yTrue', 'yProb', fn);
  if (e.classes.length > 2) throw new ParamError(`${fn}: only binary targets are supported; yTrue has ${e.classes.length} classes`);
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && p[i] <= 1)) throw new ParamError(`${fn}: yProb[${i}] = ${p[i]} is outside [0, 1]`);
  }
  const posCode = e.classes.indexOf(positiveLabel(e.classes, opts.posLabel, fn));
  const sorted = strategy === 'quantile' ? Float64Array.from(p).sort() : undefined;
  const bins = sorted ? Float64Array.from(linspace(0, 100, nBins + 1), (q) => percentile(sorted, q)) : linspace(0, 1, nBins + 1);
  const sums = new Float64Array(nBins),
    trues = new Float64Array(nBins),
    totals = new Float64Array(nBins);
  for (let i = 0; i < p.length; i++) {
    // numpy.searchsorted(bins[1:-1], p, 'left')
    let b = 0;
    while (b < nBins - 1 && bins[b + 1] < p[i]) b++;
    sums[b] += p[i];
    if (e.codes[i] === posCode) trues[b]++;
    totals[b]++;
  }
  const probTrue: number[] = [],
    probPred: number[] = [];
  for (let b = 0; b < nBins; b++) {
    if (totals[b] === 0) continue;
    probTrue.push(trues[b] / totals[b]);
    probPred.push(sums[b] / totals[b]);
  }
  return { probTrue: Float64Array.from(probTrue), probPred: Float64Array.from(probPred) };
}
