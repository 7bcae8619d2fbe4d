/** Metrics on scores: ROC and precision-recall curves, their areas (scikit-learn 1.2 semantics). */
import { ParamError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { checkOptions } from '../core/validate.js';
import { average as mean, floats, isTable, labelList, labels, oneOf, sameLength, table, weights } from './check.js';
import type { Label } from '../core/labels.js';
import { argsortStable } from '../ops/sort.js';

export interface CurveOptions {
  posLabel?: Label;
  sampleWeight?: ArrayLike<number>;
}
export interface RocCurveOptions extends CurveOptions {
  /** Drop thresholds whose points are collinear with their neighbours (default true). */
  dropIntermediate?: boolean;
}
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
}
export interface PrecisionRecallCurve {
  precision: Float64Array;
  recall: Float64Array;
  thresholds: Float64Array;
}

const rowsOf = (y: ArrayLike<Label> | MatrixLike) => (y instanceof Matrix ? y.rows : (y as ArrayLike<Label>).length);

/** yTrue as 0/1 flags for posLabel; posLabel may only be left out for 0/1 or -1/1 labels (scikit-learn's rule). */
function positives(yTrue: ArrayLike<Label>, posLabel: Label | undefined, fn: string): Uint8Array {
  const { classes, codes } = labels(yTrue, 'yTrue', fn);
  if (posLabel === undefined) {
    const key = classes.join(',');
    if (typeof classes[0] !== 'number' || !['0,1', '-1,1', '0', '-1', '1'].includes(key)) {
      throw new ParamError(
        `${fn}: yTrue takes values {${classes.map((c) => JSON.stringify(c)).join(', ')}} and posLabel is not given; ` +
          'pass posLabel (the positive class) or use labels 0/1 or -1/1',
      );
    }
    posLabel = 1;
  }
  const pos = classes.indexOf(posLabel);
  return Uint8Array.from(codes, (c) => (c === pos ? 1 : 0));
}

/** The curve's points: cumulative false and true positives at each distinct score, highest first, and those scores. */
interface ClfCurve {
  fps: Float64Array;
  tps: Float64Array;
  thr: Float64Array;
}

/** Cumulative false/true positives at each distinct score, highest score first (_binary_clf_curve). */
function clfCurve(pos: Uint8Array, score: Float64Array, w: Float64Array | undefined): ClfCurve {
  // Descending score, ties in reverse index order (numpy's stable argsort reversed): a stable
  // ascending argsort (native for long inputs) read from its end.
  const order = argsortStable(score);
  const fps = new Float64Array(order.length),
    tps = new Float64Array(order.length),
    thr = new Float64Array(order.length);
  let tp = 0,
    fp = 0,
    m = 0,
    seen = 0; // samples summed so far (zero-weight ones are skipped: they would add thresholds of their own)
  for (let r = order.length - 1; r >= 0; r--) {
    const i = order[r];
    const wi = w ? w[i] : 1;
    if (wi === 0) continue;
    tp += pos[i] * wi;
    fp += (1 - pos[i]) * wi;
    seen++;
    let next = r - 1;
    if (w) while (next >= 0 && w[order[next]] === 0) next--;
    if (next < 0 || score[order[next]] !== score[i]) {
      tps[m] = tp;
      fps[m] = w ? fp : seen - tp;
      thr[m++] = score[i];
    }
  }
  return { fps: fps.subarray(0, m), tps: tps.subarray(0, m), thr: thr.subarray(0, m) };
}

function binaryInputs(fn: string, yTrue: ArrayLike<Label>, yScore: ArrayLike<number>, opts: CurveOptions) {
  const pos = positives(yTrue, opts.posLabel, fn);
  const score = floats(yScore, 'yScore', fn);
  sameLength(pos.length, score.length, 'yTrue', 'yScore', fn);
  return clfCurve(pos, score, weights(opts.sampleWeight, pos.length, fn));
}

/** Receiver operating characteristic (scikit-learn 1.2's roc_curve: thresholds[0] = max score + 1). */
export function rocCurve(yTrue: ArrayLike<Label>, yScore: ArrayLike<number>, opts: RocCurveOptions = {}): RocCurve {
  const fn = 'rocCurve';
  checkOptions(opts, ['posLabel', 'sampleWeight', 'dropIntermediate'], fn);
  return roc(binaryInputs(fn, yTrue, yScore, opts), opts.dropIntermediate ?? true);
}

function roc(c: ClfCurve, drop: boolean): RocCurve {
  let { fps, tps, thr } = c;
  if (drop && fps.length > 2) {
    // keep the ends and every corner: a nonzero second difference of fps or tps
    const d2 = (a: Float64Array, i: number) => a[i + 2] - a[i + 1] - (a[i + 1] - a[i]);
    const last = fps.length - 1,
      kf = new Float64Array(fps.length),
      kt = new Float64Array(fps.length),
      kh = new Float64Array(fps.length);
    let m = 0;
    for (let i = 0; i <= last; i++) {
      if (i === 0 || i === last || d2(fps, i - 1) !== 0 || d2(tps, i - 1) !== 0) {
        kf[m] = fps[i];
        kt[m] = tps[i];
        kh[m++] = thr[i];
      }
    }
    fps = kf.subarray(0, m);
    tps = kt.subarray(0, m);
    thr = kh.subarray(0, m);
  }
  const n = fps.length + 1,
    fpMax = fps[fps.length - 1],
    tpMax = tps[tps.length - 1];
  const fpr = new Float64Array(n),
    tpr = new Float64Array(n),
    thresholds = new Float64Array(n);
  thresholds[0] = thr[0] + 1; // a threshold above every score: the curve starts at (0, 0)
  for (let i = 1; i < n; i++) {
    // no negatives (or positives): the rate is undefined, NaN as in scikit-learn
    fpr[i] = fpMax > 0 ? fps[i - 1] / fpMax : NaN;
    tpr[i] = tpMax > 0 ? tps[i - 1] / tpMax : NaN;
    thresholds[i] = thr[i - 1];
  }
  if (!(fpMax > 0)) fpr[0] = NaN;
  if (!(tpMax > 0)) tpr[0] = NaN;
  return { fpr, tpr, thresholds };
}

/** Precision and recall at every distinct score, thresholds ascending (scikit-learn 1.2's precision_recall_curve). */
export function precisionRecallCurve(yTrue: ArrayLike<Label>, yScore: ArrayLike<number>, opts: CurveOptions = {}): PrecisionRecallCurve {
  const fn = 'precisionRecallCurve';
  checkOptions(opts, ['posLabel', 'sampleWeight'], fn);
  return prCurve(binaryInputs(fn, yTrue, yScore, opts));
}

function prCurve({ fps, tps, thr }: ClfCurve): PrecisionRecallCurve {
  const m = tps.length,
    tpMax = tps[m - 1];
  const precision = new Float64Array(m + 1),
    recall = new Float64Array(m + 1),
    thresholds = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const j = m - 1 - i; // reversed: recall decreasing
    const ps = tps[j] + fps[j];
    precision[i] = ps !== 0 ? tps[j] / ps : 0;
    recall[i] = tpMax === 0 ? 1 : tps[j] / tpMax; // no positives: recall 1 everywhere (scikit-learn)
    thresholds[i] = thr[j];
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds };
}

/** Area under a curve by the trapezoidal rule (scikit-learn's auc); x must be monotonic. */
export function auc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const fn = 'auc';
  const xs = floats(x, 'x', fn),
    ys = floats(y, 'y', fn);
  sameLength(xs.length, ys.length, 'x', 'y', fn);
  if (xs.length < 2) throw new ParamError(`auc: at least 2 points are needed, got ${xs.length}`);
  let up = true,
    down = true;
  for (let i = 1; i < xs.length; i++) {
    if (xs[i] < xs[i - 1]) up = false;
    if (xs[i] > xs[i - 1]) down = false;
  }
  if (!up && !down) throw new ParamError('auc: x is neither increasing nor decreasing; sort the points by x');
  let area = 0;
  for (let i = 1; i < xs.length; i++) area += ((xs[i] - xs[i - 1]) * (ys[i] + ys[i - 1])) / 2;
  return up ? area : -area;
}

/** The ROC area of one binary problem; maxFpr gives McClish's standardised partial area. */
function binaryRocAuc(pos: Uint8Array, score: Float64Array, w: Float64Array | undefined, maxFpr: number | undefined, fn: string): number {
  let npos = 0;
  for (let i = 0; i < pos.length; i++) npos += pos[i];
  if (npos === 0 || npos === pos.length) {
    throw new ParamError(
      `${fn}: yTrue holds only one class, so ROC AUC is undefined; ` + 'pass yTrue with both positive and negative samples (e.g. use a stratified split)',
    );
  }
  const { fpr, tpr } = roc(clfCurve(pos, score, w), true);
  if (maxFpr === undefined || maxFpr === 1) return auc(fpr, tpr);
  let stop = 0;
  while (stop < fpr.length && fpr[stop] <= maxFpr) stop++; // searchsorted(fpr, maxFpr, 'right')
  const x0 = fpr[stop - 1],
    x1 = fpr[stop],
    y0 = tpr[stop - 1],
    y1 = tpr[stop];
  const yAt = x1 === x0 ? y1 : y0 + ((maxFpr - x0) * (y1 - y0)) / (x1 - x0);
  const partial = auc([...fpr.subarray(0, stop), maxFpr], [...tpr.subarray(0, stop), yAt]);
  const minArea = 0.5 * maxFpr ** 2,
    maxArea = maxFpr;
  return 0.5 * (1 + (partial - minArea) / (maxArea - minArea));
}

export type ScoreAverage = 'macro' | 'weighted' | 'micro' | null;
export interface RocAucOptions {
  /** How per-class areas combine (default 'macro'); null returns one per class (multilabel / ovr). */
  average?: ScoreAverage;
  /** Multiclass strategy for an n × K probability matrix: 'ovr' or 'ovo' (required there, as in scikit-learn). */
  multiClass?: 'raise' | 'ovr' | 'ovo';
  /** Class of each column of a multiclass yScore, sorted (default: sorted classes of yTrue). */
  labels?: readonly Label[];
  sampleWeight?: ArrayLike<number>;
  /** Binary only: standardised partial area over fpr in [0, maxFpr]. */
  maxFpr?: number;
}

/** Per-column binary metric over an n × K indicator matrix, then averaged (_average_binary_score). */
function averageBinary(
  metric: (pos: Uint8Array, score: Float64Array, w?: Float64Array) => number,
  Y: Uint8Array,
  S: Matrix,
  w: Float64Array | undefined,
  average: ScoreAverage,
): number | Float64Array {
  const n = S.rows,
    k = S.cols;
  if (average === 'micro') {
    const ww = w && Float64Array.from({ length: n * k }, (_, i) => w[Math.floor(i / k)]);
    return metric(Y, Float64Array.from(S.data), ww);
  }
  const scores = new Float64Array(k),
    support = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const pos = new Uint8Array(n),
      sc = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      pos[i] = Y[i * k + c];
      sc[i] = S.data[i * k + c];
      support[c] += pos[i] * (w ? w[i] : 1);
    }
    scores[c] = metric(pos, sc, w);
  }
  if (average === null) return scores;
  if (average === 'weighted') {
    const total = support.reduce((s, v) => s + v, 0);
    if (Math.abs(total) <= 1e-8) return 0; // np.isclose(sum, 0): nothing to weight by
    for (let c = 0; c < k; c++) if (support[c] === 0) scores[c] = 0;
    return mean(scores, support);
  }
  return mean(scores);
}

/** yTrue as a 0/1 indicator matrix: given as one, or labels one-hot encoded over `classes`. */
function indicator(yTrue: ArrayLike<Label> | MatrixLike, k: number, given: readonly Label[] | undefined, fn: string) {
  if (isTable(yTrue)) {
    const m = table(yTrue, 'yTrue', fn);
    if (m.cols !== k) throw new ParamError(`${fn}: yTrue has ${m.cols} columns but yScore has ${k}; pass one column per class in both`);
    if (m.data.some((v) => v !== 0 && v !== 1)) throw new ParamError(`${fn}: an indicator matrix yTrue must hold only 0 and 1`);
    return { Y: Uint8Array.from(m.data), codes: undefined, classes: undefined };
  }
  const e = labels(yTrue as ArrayLike<Label>, 'yTrue', fn);
  const classes = given ? labelList(given, fn) : e.classes;
  if (classes.length !== k) {
    throw new ParamError(
      `${fn}: ${given ? 'labels has' : 'yTrue has'} ${classes.length} classes but yScore has ${k} columns; ` +
        'pass one probability column per class' +
        (given ? '' : ', or list the classes in labels'),
    );
  }
  const at = new Map(classes.map((c, i) => [c, i]));
  const codes = Int32Array.from(e.codes, (c) => {
    const j = at.get(e.classes[c]);
    if (j === undefined) throw new ParamError(`${fn}: yTrue holds ${JSON.stringify(e.classes[c])}, which is not in labels`);
    return j;
  });
  const Y = new Uint8Array(codes.length * k);
  codes.forEach((c, i) => {
    Y[i * k + c] = 1;
  });
  return { Y, codes, classes };
}

/**
 * Area under the ROC curve (scikit-learn's roc_auc_score). Binary: yScore holds one score per
 * sample, for the greater label. Multiclass: an n × K probability matrix with multiClass 'ovr'
 * (macro / weighted / micro / null) or 'ovo' (Hand & Till; macro / weighted). A 0/1 indicator
 * matrix yTrue is scored per column (multilabel).
 */
export function rocAucScore(yTrue: ArrayLike<Label> | MatrixLike, yScore: MatrixLike, opts: RocAucOptions & { average: null }): Float64Array;
export function rocAucScore(yTrue: ArrayLike<Label> | MatrixLike, yScore: ArrayLike<number> | MatrixLike, opts?: RocAucOptions): number;
export function rocAucScore(yTrue: ArrayLike<Label> | MatrixLike, yScore: ArrayLike<number> | MatrixLike, opts: RocAucOptions = {}): number | Float64Array {
  const fn = 'rocAucScore';
  checkOptions(opts, ['average', 'multiClass', 'labels', 'sampleWeight', 'maxFpr'], fn);
  const average = oneOf(opts.average, ['macro', 'weighted', 'micro', null] as const, 'macro', 'average', fn);
  const maxFpr = opts.maxFpr;
  if (maxFpr !== undefined && !(maxFpr > 0 && maxFpr <= 1)) throw new ParamError(`${fn}: maxFpr must be in (0, 1], got ${maxFpr}`);
  const n = rowsOf(yTrue);
  const w = weights(opts.sampleWeight, n, fn);
  const metric = (pos: Uint8Array, s: Float64Array, ww?: Float64Array) => binaryRocAuc(pos, s, ww, maxFpr, fn);
  if (!isTable(yScore)) {
    if (isTable(yTrue)) throw new ParamError(`${fn}: an indicator matrix yTrue needs a matrix yScore of the same shape`);
    const e = labels(yTrue as ArrayLike<Label>, 'yTrue', fn);
    const score = floats(yScore as ArrayLike<number>, 'yScore', fn);
    sameLength(n, score.length, 'yTrue', 'yScore', fn);
    if (e.classes.length > 2) {
      throw new ParamError(
        `${fn}: yTrue has ${e.classes.length} classes; pass yScore as an n × ${e.classes.length} probability matrix with multiClass 'ovr' or 'ovo'`,
      );
    }
    // binary: the greater label is positive (label_binarize)
    return metric(
      Uint8Array.from(e.codes, (c) => (c === 1 ? 1 : 0)),
      score,
      w,
    );
  }
  const S = table(yScore, 'yScore', fn);
  sameLength(n, S.rows, 'yTrue', 'yScore', fn);
  if (isTable(yTrue)) return averageBinary(metric, indicator(yTrue, S.cols, undefined, fn).Y, S, w, average);
  if (maxFpr !== undefined && maxFpr !== 1) throw new ParamError(`${fn}: maxFpr is only available for binary targets`);
  const multiClass = oneOf(opts.multiClass, ['raise', 'ovr', 'ovo'] as const, 'raise', 'multiClass', fn);
  if (multiClass === 'raise') throw new ParamError(`${fn}: yScore is a probability matrix; choose multiClass: 'ovr' or 'ovo'`);
  for (let i = 0; i < S.rows; i++) {
    let s = 0;
    for (let j = 0; j < S.cols; j++) s += S.data[i * S.cols + j];
    if (!(Math.abs(1 - s) <= 1e-8 + 1e-5 * Math.abs(s))) {
      throw new ParamError(`${fn}: row ${i} of yScore sums to ${s}; multiclass ROC AUC needs probabilities that sum to 1 per row (e.g. predictProba)`);
    }
  }
  const { Y, codes } = indicator(yTrue, S.cols, opts.labels, fn);
  if (multiClass === 'ovr') return averageBinary(metric, Y, S, w, average);
  if (w) throw new ParamError(`${fn}: sampleWeight is not supported with multiClass 'ovo'`);
  if (average !== 'macro' && average !== 'weighted') throw new ParamError(`${fn}: multiClass 'ovo' supports average 'macro' or 'weighted'`);
  return ovo(codes!, S, average, metric);
}

/** Hand & Till: mean over class pairs of the two one-vs-one areas (_average_multiclass_ovo_score). */
function ovo(codes: Int32Array, S: Matrix, average: 'macro' | 'weighted', metric: (p: Uint8Array, s: Float64Array) => number): number {
  const present = [...new Set(codes)].sort((a, b) => a - b);
  const scores: number[] = [],
    prevalence: number[] = [];
  for (let x = 0; x < present.length; x++)
    for (let y = x + 1; y < present.length; y++) {
      const a = present[x],
        b = present[y];
      const rows: number[] = [];
      codes.forEach((c, i) => {
        if (c === a || c === b) rows.push(i);
      });
      const isA = Uint8Array.from(rows, (i) => (codes[i] === a ? 1 : 0));
      const isB = isA.map((v) => 1 - v);
      const sA = Float64Array.from(rows, (i) => S.data[i * S.cols + a]),
        sB = Float64Array.from(rows, (i) => S.data[i * S.cols + b]);
      scores.push((metric(isA, sA) + metric(isB, sB)) / 2);
      prevalence.push(rows.length / codes.length);
    }
  return mean(scores, average === 'weighted' ? prevalence : undefined);
}

export interface AveragePrecisionOptions {
  /** Multilabel / multiclass: 'macro' (default), 'weighted', 'micro', or null for one value per class. */
  average?: ScoreAverage;
  /** Binary: the positive class (default 1). */
  posLabel?: Label;
  sampleWeight?: ArrayLike<number>;
  /** Multiclass label yTrue: the class of each yScore column (default: sorted classes of yTrue). */
  labels?: readonly Label[];
}

/** Step-function area under the precision-recall curve, Σ (R_n − R_{n−1}) P_n (scikit-learn's average_precision_score). */
export function averagePrecisionScore(
  yTrue: ArrayLike<Label> | MatrixLike,
  yScore: MatrixLike,
  opts: AveragePrecisionOptions & { average: null },
): Float64Array;
export function averagePrecisionScore(yTrue: ArrayLike<Label> | MatrixLike, yScore: ArrayLike<number> | MatrixLike, opts?: AveragePrecisionOptions): number;
export function averagePrecisionScore(
  yTrue: ArrayLike<Label> | MatrixLike,
  yScore: ArrayLike<number> | MatrixLike,
  opts: AveragePrecisionOptions = {},
): number | Float64Array {
  const fn = 'averagePrecisionScore';
  checkOptions(opts, ['average', 'posLabel', 'sampleWeight', 'labels'], fn);
  const average = oneOf(opts.average, ['macro', 'weighted', 'micro', null] as const, 'macro', 'average', fn);
  const w = weights(opts.sampleWeight, rowsOf(yTrue), fn);
  const ap = (pos: Uint8Array, s: Float64Array, ww?: Float64Array) => {
    const { precision, recall } = prCurve(clfCurve(pos, s, ww));
    let sum = 0;
    for (let i = 0; i + 1 < recall.length; i++) sum += (recall[i + 1] - recall[i]) * precision[i];
    return -sum;
  };
  if (!isTable(yScore)) {
    if (isTable(yTrue)) throw new ParamError(`${fn}: an indicator matrix yTrue needs a matrix yScore of the same shape`);
    const e = labels(yTrue as ArrayLike<Label>, 'yTrue', fn);
    if (e.classes.length > 2) {
      throw new ParamError(`${fn}: yTrue has ${e.classes.length} classes; pass yScore as an n × ${e.classes.length} score matrix (one column per class)`);
    }
    const posLabel = opts.posLabel ?? 1;
    if (e.classes.length === 2 && !e.classes.includes(posLabel)) {
      throw new ParamError(
        `${fn}: posLabel=${JSON.stringify(posLabel)} is not a label of yTrue (${e.classes.map((c) => JSON.stringify(c)).join(', ')}); pass posLabel: one of them`,
      );
    }
    const score = floats(yScore as ArrayLike<number>, 'yScore', fn);
    sameLength(e.codes.length, score.length, 'yTrue', 'yScore', fn);
    const pos = e.classes.indexOf(posLabel);
    return ap(
      Uint8Array.from(e.codes, (c) => (c === pos ? 1 : 0)),
      score,
      w,
    );
  }
  if (opts.posLabel !== undefined && opts.posLabel !== 1) throw new ParamError(`${fn}: posLabel is fixed to 1 for a score matrix; leave it out`);
  const S = table(yScore, 'yScore', fn);
  sameLength(rowsOf(yTrue), S.rows, 'yTrue', 'yScore', fn);
  return averageBinary(ap, indicator(yTrue, S.cols, opts.labels, fn).Y, S, w, average);
}
