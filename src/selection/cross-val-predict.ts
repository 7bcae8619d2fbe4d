/**
 * scikit-learn's cross_val_predict: every row's prediction from the model that did not see it.
 * The splits must be a partition (each row in exactly one test set). Probability and decision
 * columns follow the classes of all of y: a class a fold's model never saw gets probability 0
 * (decision: the lowest float), as scikit-learn does.
 */
import { ParamError } from '../core/errors.js';
import { encodeLabels, type Label } from '../core/labels.js';
import { Matrix } from '../core/matrix.js';
import { checkOptions, checkSignal } from '../core/validate.js';
import { isClassifier, resolveSplits, type CvOption } from './cv.js';
import { executorOption, type Executor } from './executor.js';
import { fitClone, foldData, subset } from './fit-score.js';

export interface CrossValPredictOptions {
  /** Default: 5 (stratified for classifiers). Must put every row in exactly one test set. */
  cv?: CvOption;
  groups?: ArrayLike<unknown>;
  fitParams?: Record<string, unknown>;
  /** Which output: 'predict' (default), 'predictProba' or 'decisionFunction'. */
  method?: 'predict' | 'predictProba' | 'decisionFunction';
  executor?: Executor;
  signal?: AbortSignal;
}

type Output = Label[] | Float64Array | Matrix<Float64Array>;

export async function crossValPredict(estimator: unknown, X: unknown, y?: unknown, opts: CrossValPredictOptions = {}): Promise<Output> {
  const fn = 'crossValPredict';
  checkOptions(opts, ['cv', 'groups', 'fitParams', 'method', 'executor', 'signal'], fn);
  const signal = checkSignal(opts.signal, fn);
  const method = opts.method ?? 'predict';
  if (!['predict', 'predictProba', 'decisionFunction'].includes(method)) {
    throw new ParamError(`${fn}: method must be 'predict', 'predictProba' or 'decisionFunction', got ${String(method)}`);
  }
  if (typeof (estimator as Record<string, unknown>)?.[method] !== 'function') {
    throw new ParamError(`${fn}: ${(estimator as object)?.constructor?.name ?? 'the estimator'} has no ${method} method`);
  }
  const data = foldData(estimator, X, y, opts.fitParams, fn);
  const classifier = isClassifier(estimator);
  const splits = resolveSplits(opts.cv, X, y, opts.groups, classifier, data.n, fn);
  const seen = new Int32Array(data.n);
  for (const s of splits) for (const i of s.test) seen[i]++;
  const bad = seen.findIndex((c) => c !== 1);
  if (bad >= 0) {
    throw new ParamError(
      `${fn}: row ${bad} is in ${seen[bad]} test sets; cross_val_predict needs splits that put every row in exactly one (e.g. KFold, not ShuffleSplit or TimeSeriesSplit)`,
    );
  }
  const parts = await executorOption(opts.executor, fn).map(
    splits,
    async (s) => {
      const est = await fitClone(estimator, data, s.train, undefined, signal);
      const out = await est[method](subset(data, s.test).X);
      return { out, classes: classifier && method !== 'predict' ? finalClasses(est) : undefined };
    },
    { signal },
  );
  signal?.throwIfAborted();
  if (method === 'predict')
    return assemble(
      parts.map((p) => p.out as Output),
      splits.map((s) => s.test),
      data.n,
    );
  const all = classifier && y !== undefined ? encodeLabels(y as ArrayLike<Label>, `${fn}: y`).classes : undefined;
  return assembleColumns(
    parts,
    splits.map((s) => s.test),
    data.n,
    all,
    method === 'decisionFunction',
  );
}

function finalClasses(est: any): Label[] | undefined {
  const final = Array.isArray(est.steps) ? est.steps[est.steps.length - 1][1] : est;
  return final.classes;
}

/** Fold outputs (labels, numbers, or a matrix per fold) put back in row order. */
function assemble(outs: Output[], tests: Int32Array[], n: number): Output {
  const first = outs[0];
  if (first instanceof Matrix) {
    const cols = first.cols;
    const data = new Float64Array(n * cols);
    outs.forEach((o, f) => {
      const m = o as Matrix;
      tests[f].forEach((row, i) => {
        for (let c = 0; c < cols; c++) data[row * cols + c] = m.data[i * cols + c];
      });
    });
    return new Matrix(data, n, cols);
  }
  const out: Label[] | Float64Array = ArrayBuffer.isView(first) ? new Float64Array(n) : new Array<Label>(n);
  outs.forEach((o, f) => {
    const a = o as ArrayLike<Label>;
    tests[f].forEach((row, i) => {
      (out as Label[])[row] = a[i];
    });
  });
  return out;
}

/** Probability / decision columns aligned on all classes (a fold's model may have seen fewer). */
function assembleColumns(parts: { out: unknown; classes?: Label[] }[], tests: Int32Array[], n: number, all: Label[] | undefined, decision: boolean): Output {
  const oneColumn = parts.every((p) => !(p.out instanceof Matrix));
  if (oneColumn) {
    // binary decision values: one score per row
    if (all && all.length > 2) throw new ParamError('crossValPredict: a fold returned one decision column but y has more than two classes');
    return assemble(
      parts.map((p) => Float64Array.from(p.out as ArrayLike<number>)),
      tests,
      n,
    );
  }
  const K = all?.length ?? (parts[0].out as Matrix).cols;
  const fill = decision ? -Number.MAX_VALUE : 0;
  const data = new Float64Array(n * K).fill(fill);
  parts.forEach((p, f) => {
    const m = p.out as Matrix;
    const at = all && p.classes ? p.classes.map((c) => all.indexOf(c)) : Array.from({ length: m.cols }, (_, c) => c);
    if (decision && m.cols !== at.length) {
      throw new ParamError(
        'crossValPredict: a fold model saw only two classes, so its decisionFunction has one column; use StratifiedKFold or method predictProba',
      );
    }
    tests[f].forEach((row, i) => {
      for (let c = 0; c < m.cols; c++) data[row * K + at[c]] = m.data[i * m.cols + c];
    });
  });
  return new Matrix(data, n, K);
}
