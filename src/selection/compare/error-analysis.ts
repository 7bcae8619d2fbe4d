/**
 * The rows a fitted classifier gets wrong, most confident first (the predicted class's
 * probability), each with its features: where to look first when reading a model's errors.
 */
import { ParamError } from '../../core/errors.js';
import { Matrix } from '../../core/matrix.js';
import { readMatrix } from '../../core/read-matrix.js';

export interface MisclassifiedRow {
  /** The row's index in X. */
  index: number;
  yTrue: unknown;
  yPred: unknown;
  /** The probability the model gave its (wrong) prediction; NaN without predictProba. */
  confidence: number;
  /** The row's feature values, by name when featureNames are given (else x0, x1, …). */
  features: Record<string, number>;
}

export interface ErrorAnalysisOptions {
  /** Names of X's columns. Default: x0, x1, … */
  featureNames?: readonly string[];
  /** Keep at most this many rows (the most confident). Default: all. */
  limit?: number;
}

export interface ErrorAnalysisResult {
  rows: MisclassifiedRow[];
  nErrors: number;
  errorRate: number;
}

/** The misclassified rows of X by a fitted classifier, sorted by confidence (highest first, then by index). */
export async function errorAnalysis(estimator: any, X: unknown, y: ArrayLike<unknown>, opts: ErrorAnalysisOptions = {}): Promise<ErrorAnalysisResult> {
  const fn = 'errorAnalysis';
  if (typeof estimator?.predict !== 'function') throw new ParamError(`${fn}: estimator must be a fitted classifier (with predict)`);
  const m = readMatrix(X as never, `${fn}: X`, { nonFinite: 'keep' });
  if (y?.length !== m.rows) throw new ParamError(`${fn}: y has ${y?.length} entries but X has ${m.rows} rows`);
  const names = opts.featureNames ?? Array.from({ length: m.cols }, (_, j) => `x${j}`);
  if (names.length !== m.cols) throw new ParamError(`${fn}: featureNames has ${names.length} names but X has ${m.cols} columns`);
  if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit >= 0)) throw new ParamError(`${fn}: limit must be an integer >= 0`);
  const pred = (await estimator.predict(X)) as ArrayLike<unknown>;
  const proba = typeof estimator.predictProba === 'function' ? ((await estimator.predictProba(X)) as Matrix) : undefined;
  const rows: MisclassifiedRow[] = [];
  for (let i = 0; i < m.rows; i++) {
    if (pred[i] === y[i]) continue;
    let confidence = NaN;
    if (proba instanceof Matrix) {
      confidence = -Infinity;
      for (let c = 0; c < proba.cols; c++) confidence = Math.max(confidence, proba.data[i * proba.cols + c]);
    }
    const features = Object.fromEntries(names.map((nm, j) => [nm, m.data[i * m.cols + j]]));
    rows.push({ index: i, yTrue: y[i], yPred: pred[i], confidence, features });
  }
  const nErrors = rows.length;
  rows.sort((a, b) => (Number.isNaN(a.confidence) || Number.isNaN(b.confidence) ? 0 : b.confidence - a.confidence) || a.index - b.index);
  return { rows: opts.limit === undefined ? rows : rows.slice(0, opts.limit), nErrors, errorRate: nErrors / m.rows };
}
