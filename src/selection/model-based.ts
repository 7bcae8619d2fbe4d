/**
 * What the model-based selectors share: the `estimator` parameter, reading a fitted model's
 * feature importances (coefficients or impurity importances, as scikit-learn's
 * importance_getter='auto'), taking columns, and delegating predictions to the fitted model.
 */
import { ParamError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { custom, fn, oneOf, union, type ParamSpec } from '../core/params.js';
import { isEstimatorLike } from '../compose/params-path.js';

/** An estimator (or Pipeline) parameter; undefined until set, and fit refuses it then. */
export const ESTIMATOR: ParamSpec<any> = custom('an estimator or Pipeline (an object with fit), or undefined', (v) => v === undefined || isEstimatorLike(v), {
  probes: [42, 'Ridge'],
});

/** How importances are read: 'auto' (coef, else featureImportances), either by name, or a function of the fitted model. */
export type ImportanceGetter = 'auto' | 'coef' | 'featureImportances' | ((estimator: any) => ArrayLike<number> | Matrix);
export const IMPORTANCE_GETTER: ParamSpec<ImportanceGetter> = union(fn(), oneOf('auto', 'coef', 'featureImportances'));

export function requireEstimator(est: unknown, owner: string): any {
  if (est === undefined) throw new ParamError(`${owner}: estimator is required, e.g. new ${owner.split('.')[0]}({ estimator: new LogisticRegression() })`);
  return est;
}

/** The final model of a pipeline, or the estimator itself. */
function finalModel(est: any): any {
  return Array.isArray(est?.steps) ? est.steps[est.steps.length - 1][1] : est;
}

/**
 * One importance per feature of a fitted model. A coefficient matrix (one row per class or
 * output) is reduced over its rows: the `normOrder` norm of each column (SelectFromModel), or
 * the sum of squares ('square': RFE). A single row gives |coef| (or coef²).
 */
export function featureImportances(est: any, getter: ImportanceGetter, how: { normOrder?: number; square?: boolean }, owner: string): Float64Array {
  const model = finalModel(est);
  let raw: unknown;
  if (typeof getter === 'function') raw = getter(est);
  else if (getter === 'coef' || (getter === 'auto' && 'coef' in model)) raw = model.coef;
  else if (getter === 'featureImportances' || (getter === 'auto' && 'featureImportances' in model)) raw = model.featureImportances;
  else {
    throw new ParamError(
      `${owner}: ${model?.constructor?.name ?? 'the estimator'} has neither coef nor featureImportances; pass importanceGetter: (fitted) => one importance per feature`,
    );
  }
  if (raw instanceof Matrix) {
    const order = how.normOrder ?? 1;
    const out = new Float64Array(raw.cols);
    for (let c = 0; c < raw.cols; c++) {
      const col = Array.from({ length: raw.rows }, (_, r) => Math.abs(raw.data[r * raw.cols + c]));
      if (how.square) out[c] = col.reduce((a, v) => a + v * v, 0);
      else if (order === Infinity) out[c] = Math.max(...col);
      else out[c] = col.reduce((a, v) => a + v ** order, 0) ** (1 / order);
    }
    return out;
  }
  if (raw === null || typeof raw !== 'object' || typeof (raw as ArrayLike<number>).length !== 'number') {
    throw new ParamError(`${owner}: the importances must be an array of numbers or a Matrix, got ${String(raw)}`);
  }
  return Float64Array.from(raw as ArrayLike<number>, (v) => (how.square ? v * v : Math.abs(v)));
}

/** The columns `keep` of m, as a new matrix. */
export function takeColumns(m: Matrix, keep: ArrayLike<number>): Matrix<Float64Array> {
  const out = new Float64Array(m.rows * keep.length);
  for (let i = 0; i < m.rows; i++) for (let t = 0; t < keep.length; t++) out[i * keep.length + t] = m.data[i * m.cols + keep[t]];
  return new Matrix(out, m.rows, keep.length);
}
