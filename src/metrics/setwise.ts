/**
 * The per-label counts behind precision, recall, F and Jaccard (scikit-learn 1.2's
 * multilabel_confusion_matrix as _check_set_wise_labels calls it): true positives, predicted and
 * true counts per chosen label, or per sample under average 'samples'. Targets are label arrays
 * (binary / multiclass) or multilabel indicator matrices (a Matrix or number[][] of 0/1, one
 * column per label, which `labels` then names by column index).
 */
import { DTypeError, ParamError } from '../core/errors.js';
import type { Label } from '../core/labels.js';
import { toMatrix, type MatrixLike } from '../core/matrix.js';
import { isTable, sameLength, weights } from './check.js';
import { tally } from './confusion.js';

export type SetwiseAverage = 'binary' | 'micro' | 'macro' | 'weighted' | 'samples' | null;

/** Targets: labels, or a multilabel indicator matrix. */
export type ClassTargets = ArrayLike<Label> | MatrixLike;

export interface SetwiseCounts {
  tp: Float64Array;
  pred: Float64Array;
  truth: Float64Array;
}

export interface Indicators {
  n: number;
  L: number;
  t: Uint8Array;
  p: Uint8Array;
}

/** Both targets as 0/1 indicator matrices of the same shape (scikit-learn's multilabel-indicator type). */
export function indicators(yTrue: MatrixLike, yPred: MatrixLike, fn: string): Indicators {
  const read = (y: MatrixLike, name: string) => {
    const m = toMatrix(y, `${fn}: ${name}`);
    const out = new Uint8Array(m.data.length);
    for (let i = 0; i < m.data.length; i++) {
      const v = m.data[i];
      if (v !== 0 && v !== 1)
        throw new DTypeError(
          `${fn}: ${name} holds ${v} at row ${Math.floor(i / m.cols)}, column ${i % m.cols}; a multilabel indicator matrix holds only 0 and 1`,
        );
      out[i] = v;
    }
    return { m, out };
  };
  const a = read(yTrue, 'yTrue'),
    b = read(yPred, 'yPred');
  sameLength(a.m.rows, b.m.rows, 'yTrue', 'yPred', fn);
  if (a.m.cols !== b.m.cols) throw new DTypeError(`${fn}: yTrue has ${a.m.cols} label columns but yPred has ${b.m.cols}; pass indicator matrices of one shape`);
  return { n: a.m.rows, L: a.m.cols, t: a.out, p: b.out };
}

/** Multilabel targets (both tables), label targets (neither); a mix is refused as scikit-learn does. */
export function isMultilabel(yTrue: ClassTargets, yPred: ClassTargets, fn: string): boolean {
  const a = isTable(yTrue),
    b = isTable(yPred);
  if (a !== b) throw new DTypeError(`${fn}: one of yTrue and yPred is a multilabel indicator matrix and the other a label array; pass both in one form`);
  return a;
}

/**
 * The counts for `average` (micro, macro, weighted and null keep one entry per chosen label;
 * 'samples' one per row). `labels`: the labels (columns, for multilabel) to score.
 */
export function setwiseCounts(
  fn: string,
  yTrue: ClassTargets,
  yPred: ClassTargets,
  average: SetwiseAverage,
  posLabel: Label | undefined,
  labels: readonly Label[] | undefined,
  sampleWeight: ArrayLike<number> | undefined,
): SetwiseCounts {
  if (isMultilabel(yTrue, yPred, fn)) return multilabelCounts(fn, indicators(yTrue as MatrixLike, yPred as MatrixLike, fn), average, labels, sampleWeight);
  if (average === 'samples')
    throw new ParamError(
      `${fn}: average 'samples' needs multilabel targets (indicator matrices); for label arrays choose 'micro', 'macro', 'weighted' or null`,
    );
  const { present, k, cm } = tally(fn, yTrue as ArrayLike<Label>, yPred as ArrayLike<Label>, undefined, sampleWeight);
  let chosen: Label[];
  if (average === 'binary') {
    if (present.length > 2) {
      throw new ParamError(`${fn}: the targets hold ${present.length} classes but average is 'binary'; choose average 'micro', 'macro', 'weighted' or null`);
    }
    const pos = posLabel ?? 1;
    if (!present.includes(pos) && present.length >= 2) {
      throw new ParamError(
        `${fn}: posLabel=${JSON.stringify(pos)} is not a label of the targets (${present.map((l) => JSON.stringify(l)).join(', ')}); ` +
          'pass posLabel: one of them',
      );
    }
    chosen = [pos];
  } else {
    chosen = labels ? [...labels] : present;
  }
  // Per label: tp = diagonal, predicted = column sum, true = row sum (labels absent from the data count 0).
  const at = new Map(present.map((l, i) => [l, i]));
  const tp = new Float64Array(chosen.length),
    pred = new Float64Array(chosen.length),
    truth = new Float64Array(chosen.length);
  chosen.forEach((l, c) => {
    const i = at.get(l);
    if (i === undefined) return;
    tp[c] = cm[i * k + i];
    for (let j = 0; j < k; j++) {
      pred[c] += cm[j * k + i];
      truth[c] += cm[i * k + j];
    }
  });
  return { tp, pred, truth };
}

function multilabelCounts(
  fn: string,
  ind: Indicators,
  average: SetwiseAverage,
  labels: readonly Label[] | undefined,
  sampleWeight: ArrayLike<number> | undefined,
): SetwiseCounts {
  const { n, L, t, p } = ind;
  if (average === 'binary')
    throw new ParamError(`${fn}: the targets are multilabel but average is 'binary'; choose 'micro', 'macro', 'weighted', 'samples' or null`);
  const w = weights(sampleWeight, n, fn);
  const cols = labels
    ? labels.map((l) => {
        if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l >= L)
          throw new ParamError(`${fn}: labels of multilabel targets are column indices in [0, ${L}); got ${JSON.stringify(l)}`);
        return l;
      })
    : Array.from({ length: L }, (_, j) => j);
  const samplewise = average === 'samples';
  const size = samplewise ? n : cols.length;
  const tp = new Float64Array(size),
    pred = new Float64Array(size),
    truth = new Float64Array(size);
  for (let r = 0; r < n; r++) {
    const wr = w ? w[r] : 1;
    for (let c = 0; c < cols.length; c++) {
      const i = r * L + cols[c],
        at = samplewise ? r : c;
      tp[at] += t[i] & p[i] ? wr : 0;
      pred[at] += p[i] ? wr : 0;
      truth[at] += t[i] ? wr : 0;
    }
  }
  return { tp, pred, truth };
}
