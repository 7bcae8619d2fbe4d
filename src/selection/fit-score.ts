/**
 * One cross-validation task: clone the estimator, set the task's parameters, fit on the train
 * rows, score on the test rows (and the train rows when asked), with fit and score times. Every
 * runner of this room (crossValidate, the curves, the wrappers) runs its folds through this.
 */
import { LengthError, ParamError } from '../core/errors.js';
import { cloneDeep, setParamPaths } from '../compose/params-path.js';
import { rowCount, takeRows, type Splittable } from '../data/split/arrays.js';
import { markLineage } from '../core/row-lineage.js';
import type { Scorer } from './scorers.js';

/** The data every task of a run reads: X, y and per-row fit parameters, checked once. */
export interface FoldData {
  X: unknown;
  y: unknown;
  n: number;
  /** fit options; those with one entry per row (sampleWeight) are cut to the train rows. */
  fitParams: Record<string, unknown>;
}

export interface FoldTask {
  train: Int32Array;
  test: Int32Array;
  /** Parameters set on the clone before fitting (validationCurve's value, a search's candidate). */
  params?: Record<string, unknown>;
}

export interface FoldResult {
  test: Record<string, number>;
  train?: Record<string, number>;
  fitTime: number;
  scoreTime: number;
  estimator?: unknown;
}

/** X, y and fit parameters checked against each other (row counts, an estimator with fit). */
export function foldData(estimator: unknown, X: unknown, y: unknown, fitParams: Record<string, unknown> | undefined, fn: string): FoldData {
  if (estimator === null || typeof estimator !== 'object' || typeof (estimator as { fit?: unknown }).fit !== 'function') {
    throw new ParamError(`${fn}: estimator must be a kiln estimator or Pipeline (something with fit), got ${String(estimator)}`);
  }
  if (X === undefined || X === null) throw new ParamError(`${fn}: X is required`);
  const n = rowCount(X, `${fn}: X`);
  if (n === 0) throw new LengthError(`${fn}: X has no rows; cross-validation needs data`);
  if (y !== undefined) {
    const m = rowCount(y, `${fn}: y`);
    if (m !== n) throw new LengthError(`${fn}: y has ${m} entries but X has ${n} rows; pass one target per row`);
  }
  const fp = fitParams ?? {};
  if (typeof fp !== 'object' || Array.isArray(fp)) throw new ParamError(`${fn}: fitParams must be an object of fit options, e.g. { sampleWeight }`);
  return { X, y, n, fitParams: fp };
}

function rows<T>(a: T, idx: Int32Array): T {
  return takeRows(a as unknown as Splittable, idx) as unknown as T;
}

/** Fit options for these rows: arrays with one entry per sample are cut like X (scikit-learn's _check_fit_params). */
export function fitOptionsFor(data: FoldData, idx: Int32Array, signal?: AbortSignal): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data.fitParams)) {
    const perRow = (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) && (v as ArrayLike<unknown>).length === data.n;
    out[k] = perRow ? rows(v, idx) : v;
  }
  if (signal) out.signal = signal;
  return Object.keys(out).length ? out : undefined;
}

/**
 * The rows of X and y at idx, fresh copies. The X copy is marked as rows idx of this run's data
 * (core/row-lineage.ts), so fits on the same rows share what models derive from them (bins).
 */
export function subset(data: FoldData, idx: Int32Array): { X: unknown; y: unknown } {
  const X = rows(data.X, idx);
  if (X !== null && typeof X === 'object') markLineage(X, data, idx);
  return { X, y: data.y === undefined ? undefined : rows(data.y, idx) };
}

/** A fitted clone of `estimator` (with `params` set) on the rows `train`. */
export async function fitClone(estimator: unknown, data: FoldData, train: Int32Array, params?: Record<string, unknown>, signal?: AbortSignal): Promise<any> {
  const est = cloneDeep(estimator);
  if (params && Object.keys(params).length) setParamPaths(est, params);
  const { X, y } = subset(data, train);
  const opts = fitOptionsFor(data, train, signal);
  const fit = (est as { fit: (...a: unknown[]) => Promise<unknown> }).fit.bind(est);
  await (opts ? fit(X, y, opts) : fit(X, y));
  return est;
}

async function scoreAll(est: unknown, scorers: Map<string, Scorer>, X: unknown, y: unknown): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, s] of scorers) {
    const v = await s(est, X, y);
    if (typeof v !== 'number') throw new ParamError(`scorer '${name}' returned ${typeof v}, not a number`);
    out[name] = v;
  }
  return out;
}

/** What a failed fit scores: 'raise' rethrows, a number is recorded for every scorer. */
export type ErrorScore = 'raise' | number;

/** How each fold of a run is scored. */
export interface FoldOptions {
  returnTrainScore?: boolean;
  returnEstimator?: boolean;
  errorScore?: ErrorScore;
}

/**
 * What every fold task of one run shares: the (unfitted) estimator each task clones, the data,
 * the scorers and how to score. A parallel or distributed executor ships it once — the
 * estimator as its plain form, the data by digest, each scorer by its `scorerName` — and then
 * each FoldTask by itself; see Executor.fitAndScore.
 */
export interface FoldRun {
  estimator: unknown;
  data: FoldData;
  scorers: Map<string, Scorer>;
  options: FoldOptions;
}

export async function fitAndScore(
  estimator: unknown,
  data: FoldData,
  task: FoldTask,
  scorers: Map<string, Scorer>,
  o: FoldOptions & { signal?: AbortSignal },
): Promise<FoldResult> {
  const t0 = performance.now();
  let est: any;
  try {
    est = await fitClone(estimator, data, task.train, task.params, o.signal);
  } catch (err) {
    if (o.errorScore === undefined || o.errorScore === 'raise' || o.signal?.aborted) throw err;
    const failed = Object.fromEntries([...scorers.keys()].map((k) => [k, o.errorScore as number]));
    return { test: failed, train: o.returnTrainScore ? { ...failed } : undefined, fitTime: (performance.now() - t0) / 1000, scoreTime: 0 };
  }
  const fitTime = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let test: Record<string, number>;
  let train: Record<string, number> | undefined;
  let scoreTime = 0;
  try {
    const te = subset(data, task.test);
    test = await scoreAll(est, scorers, te.X, te.y);
    scoreTime = (performance.now() - t1) / 1000; // the test scoring only, as scikit-learn's score_time
    if (o.returnTrainScore) {
      const tr = subset(data, task.train);
      train = await scoreAll(est, scorers, tr.X, tr.y);
    }
  } catch (err) {
    if (o.errorScore === undefined || o.errorScore === 'raise' || o.signal?.aborted) throw err;
    test = Object.fromEntries([...scorers.keys()].map((k) => [k, o.errorScore as number]));
    if (o.returnTrainScore) train = { ...test };
  }
  return { test, train, fitTime, scoreTime, estimator: o.returnEstimator ? est : undefined };
}
