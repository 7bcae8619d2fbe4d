/**
 * scikit-learn's TimeSeriesSplit: test windows of testSize rows march to the end of
 * the data; each train set is everything before its window (minus a gap, capped at
 * maxTrainSize), so a model never trains on rows after the ones it is tested on.
 */
import { ParamError } from '../../core/errors.js';
import { checkOptions } from '../../core/validate.js';
import { nSplitsOption } from './params.js';
import { samplesOf, type Split } from './split.js';

export interface TimeSeriesSplitOptions {
  /** Number of splits, at least 2 (default 5). */
  nSplits?: number;
  /** Most rows in a train set (default: no cap). */
  maxTrainSize?: number;
  /** Rows per test set (default: floor(n / (nSplits + 1))). */
  testSize?: number;
  /** Rows left out between each train set's end and its test set (default 0). */
  gap?: number;
}

function countOption(v: unknown, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ParamError(`TimeSeriesSplit: ${name} must be an integer >= ${min}, got ${String(v)}`);
  }
  return v;
}

export class TimeSeriesSplit {
  readonly nSplits: number;
  readonly maxTrainSize: number | undefined;
  readonly testSize: number | undefined;
  readonly gap: number;

  /** `new TimeSeriesSplit(5)` or `new TimeSeriesSplit({ nSplits: 5, testSize: 10, gap: 2 })`. */
  constructor(options: number | TimeSeriesSplitOptions = {}) {
    const o = typeof options === 'number' ? { nSplits: options } : options;
    checkOptions(o, ['nSplits', 'maxTrainSize', 'testSize', 'gap'], 'TimeSeriesSplit');
    this.nSplits = nSplitsOption(o.nSplits, 5, 'TimeSeriesSplit');
    this.maxTrainSize = countOption(o.maxTrainSize, 'maxTrainSize', 1);
    this.testSize = countOption(o.testSize, 'testSize', 1);
    this.gap = countOption(o.gap, 'gap', 0) ?? 0;
  }

  getNSplits(): number {
    return this.nSplits;
  }

  split(X: unknown, y?: unknown, groups?: unknown): Split[] {
    const fn = 'TimeSeriesSplit.split';
    const n = samplesOf(X, y, groups, fn);
    const k = this.nSplits,
      gap = this.gap;
    if (k + 1 > n) {
      throw new ParamError(`${fn}: nSplits=${k} needs nSplits + 1 = ${k + 1} folds but there are only ${n} samples; use nSplits <= ${n - 1}`);
    }
    const testSize = this.testSize ?? Math.floor(n / (k + 1));
    if (n - gap - testSize * k <= 0) {
      throw new ParamError(
        `${fn}: nSplits=${k} test sets of ${testSize} rows plus gap=${gap} leave no train rows out of ${n}; ` + 'reduce nSplits, testSize or gap',
      );
    }
    const out: Split[] = [];
    for (let testStart = n - k * testSize; testStart < n; testStart += testSize) {
      const trainEnd = testStart - gap;
      const trainStart = this.maxTrainSize && this.maxTrainSize < trainEnd ? trainEnd - this.maxTrainSize : 0;
      out.push({ train: range(trainStart, trainEnd), test: range(testStart, Math.min(testStart + testSize, n)) });
    }
    return out;
  }
}

function range(from: number, to: number): Int32Array {
  const r = new Int32Array(Math.max(0, to - from));
  for (let i = 0; i < r.length; i++) r[i] = from + i;
  return r;
}
