/**
 * A fold run and its tasks in the form that leaves the process (to a worker thread or a queue
 * worker): the estimator as its plain form (deploy/plain: only savable classes, data fields),
 * scorers by name, fold indices as Int32Arrays or their digest in the data store, results with
 * non-finite scores spelt out (JSON has no NaN). The data travels separately (data-codec.ts), once per run.
 */
import * as errors from '../core/errors.js';
import { MODEL_FORMAT_VERSION } from '../deploy/manifest.js';
import { fromPlain, toPlain } from '../deploy/plain.js';
import type { FoldIndices } from './fold-codec.js';
import type { FoldData, FoldOptions, FoldResult, FoldRun, FoldTask } from '../selection/fit-score.js';
import { namedScorer, type Scorer, scorerFromName } from '../selection/scorers.js';

/** What every task of a run shares, JSON-safe. */
export interface RunWire {
  /** kiln's model-format version the estimator's plain form was written for; a worker refuses one it cannot read. */
  formatVersion: number;
  estimator: unknown;
  /** [result name, scorer name] pairs, in the run's order. */
  scorers: [string, string][];
  options: { returnTrainScore: boolean; returnEstimator: boolean; errorScore?: 'raise' | string };
}

export interface TaskWire {
  /** Row indices as Int32Arrays (structured clone to a thread); absent when `indices` names them. */
  train?: Int32Array;
  test?: Int32Array;
  /** A queue job's indices: the digest of their bytes (fold-codec.ts) in the data store. */
  indices?: string;
  params?: unknown;
}

export interface ResultWire {
  test: Record<string, number | string>;
  train?: Record<string, number | string>;
  fitTime: number;
  scoreTime: number;
  estimator?: unknown;
}

const num = (v: number): number | string => (Number.isFinite(v) ? v : String(v));
const unnum = (v: number | string): number => (typeof v === 'number' ? v : Number(v));
const mapScores = <A, B>(o: Record<string, A>, f: (v: A) => B): Record<string, B> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/** The run's shareable part; a custom scorer or an estimator holding something unsavable is E_PARAM here, before any work starts. */
export async function encodeRun(run: FoldRun, fn: string): Promise<RunWire> {
  const scorers: [string, string][] = [...run.scorers].map(([k, s]) => [k, namedScorer(s, fn)]);
  const o: FoldOptions = run.options;
  const errorScore = o.errorScore === undefined || o.errorScore === 'raise' ? o.errorScore : String(o.errorScore);
  return {
    formatVersion: MODEL_FORMAT_VERSION,
    estimator: await toPlain(run.estimator),
    scorers,
    options: {
      returnTrainScore: o.returnTrainScore === true,
      returnEstimator: o.returnEstimator === true,
      ...(errorScore === undefined ? {} : { errorScore }),
    },
  };
}

/** The run back on the worker side, over data read from the store or shared memory. */
export async function decodeRun(wire: RunWire, data: FoldData): Promise<FoldRun> {
  const scorers = new Map<string, Scorer>(wire.scorers.map(([k, name]) => [k, scorerFromName(name)]));
  const e = wire.options.errorScore;
  return {
    estimator: await fromPlain(wire.estimator),
    data,
    scorers,
    options: {
      returnTrainScore: wire.options.returnTrainScore,
      returnEstimator: wire.options.returnEstimator,
      errorScore: e === undefined || e === 'raise' ? e : Number(e),
    },
  };
}

/**
 * A task for the wire. With `putIndices` (a queue job) the indices go to the data store and the
 * task carries their digest; without, they stay Int32Arrays (structured clone to a thread).
 */
export async function encodeTask(task: FoldTask, putIndices?: (train: Int32Array, test: Int32Array) => Promise<string>): Promise<TaskWire> {
  const out: TaskWire = putIndices ? { indices: await putIndices(task.train, task.test) } : { train: task.train, test: task.test };
  if (task.params && Object.keys(task.params).length) out.params = await toPlain(task.params);
  return out;
}

/** The task back; `getIndices` reads indices named by digest (a queue worker's cached store). */
export async function decodeTask(t: TaskWire, getIndices?: (digest: string) => Promise<FoldIndices>): Promise<FoldTask> {
  let out: FoldTask;
  if (t.indices !== undefined) {
    if (!getIndices) throw new errors.DataFormatError('a task names its indices by digest, but no data store was given to read them');
    const { train, test } = await getIndices(t.indices);
    out = { train, test };
  } else if (t.train instanceof Int32Array && t.test instanceof Int32Array) out = { train: t.train, test: t.test };
  else throw new errors.DataFormatError('a task carries neither its row indices nor their digest');
  if (t.params !== undefined) out.params = (await fromPlain(t.params)) as Record<string, unknown>;
  return out;
}

export async function encodeResult(r: FoldResult): Promise<ResultWire> {
  const out: ResultWire = { test: mapScores(r.test, num), fitTime: r.fitTime, scoreTime: r.scoreTime };
  if (r.train) out.train = mapScores(r.train, num);
  if (r.estimator !== undefined) out.estimator = await toPlain(r.estimator);
  return out;
}

export async function decodeResult(w: ResultWire): Promise<FoldResult> {
  const out: FoldResult = { test: mapScores(w.test, unnum), fitTime: w.fitTime, scoreTime: w.scoreTime };
  if (w.train) out.train = mapScores(w.train, unnum);
  if (w.estimator !== undefined) out.estimator = await fromPlain(w.estimator);
  return out;
}

export { decodeError, encodeError, type ErrorWire } from '../core/error-wire.js';
