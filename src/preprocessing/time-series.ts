/**
 * Lag and rolling-window features of an ordered series. Windows end before the current row
 * by default, so a feature never sees the value it is used to predict.
 */
import { ParamError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { checkOptions } from '../core/validate.js';

function readSeries(series: ArrayLike<number>, fn: string): Float64Array {
  if (!series || typeof series.length !== 'number' || series.length === 0) throw new ParamError(`${fn}: series must be a non-empty array of numbers`);
  return Float64Array.from(series as ArrayLike<number>);
}

/** Column j holds series[i − lags[j]] (NaN before the series starts). */
export function lagFeatures(series: ArrayLike<number>, lags: readonly number[]): Matrix<Float64Array> {
  const x = readSeries(series, 'lagFeatures');
  if (!Array.isArray(lags) || lags.length === 0 || !lags.every((l) => Number.isInteger(l) && l >= 1)) {
    throw new ParamError('lagFeatures: lags must be a non-empty list of integers >= 1');
  }
  const out = new Float64Array(x.length * lags.length);
  for (let i = 0; i < x.length; i++) lags.forEach((l, j) => (out[i * lags.length + j] = i - l >= 0 ? x[i - l] : NaN));
  return new Matrix(out, x.length, lags.length);
}

export type RollingStat = 'mean' | 'std' | 'min' | 'max' | 'sum';

export interface RollingOptions {
  window: number;
  stats?: RollingStat[];
  /** 'left' (default): rows i−window .. i−1; 'both': rows i−window+1 .. i (includes the current row). */
  closed?: 'left' | 'both';
  /** Fewest non-missing values for a result (default: the whole window). */
  minPeriods?: number;
}

/** One column per stat over a trailing window (NaN values skipped; NaN where too few remain). */
export function rollingFeatures(series: ArrayLike<number>, opts: RollingOptions): Matrix<Float64Array> {
  checkOptions(opts, ['window', 'stats', 'closed', 'minPeriods'], 'rollingFeatures');
  const x = readSeries(series, 'rollingFeatures');
  const { window } = opts,
    stats = opts.stats ?? ['mean'],
    closed = opts.closed ?? 'left',
    minPeriods = opts.minPeriods ?? window;
  if (!Number.isInteger(window) || window < 1) throw new ParamError('rollingFeatures: window must be an integer >= 1');
  if (!Number.isInteger(minPeriods) || minPeriods < 1 || minPeriods > window)
    throw new ParamError('rollingFeatures: minPeriods must be an integer in [1, window]');
  if (closed !== 'left' && closed !== 'both') throw new ParamError("rollingFeatures: closed must be 'left' or 'both'");
  const out = new Float64Array(x.length * stats.length);
  for (let i = 0; i < x.length; i++) {
    const end = closed === 'left' ? i : i + 1,
      start = Math.max(0, end - window);
    let n = 0,
      sum = 0,
      min = Infinity,
      max = -Infinity;
    for (let k = start; k < end; k++) {
      const v = x[k];
      if (Number.isNaN(v)) continue;
      n++;
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    stats.forEach((s, j) => {
      let v = NaN;
      if (n >= minPeriods) {
        const mean = sum / n;
        v = s === 'mean' ? mean : s === 'sum' ? sum : s === 'min' ? min : s === 'max' ? max : n > 1 ? sampleStd(x, start, end, mean, n) : NaN;
      }
      out[i * stats.length + j] = v;
    });
  }
  return new Matrix(out, x.length, stats.length);
}

/** Sample standard deviation (ddof 1, as pandas' rolling std) by a second pass: no cancellation. */
function sampleStd(x: Float64Array, start: number, end: number, mean: number, n: number): number {
  let s = 0;
  for (let k = start; k < end; k++) if (!Number.isNaN(x[k])) s += (x[k] - mean) ** 2;
  return Math.sqrt(s / (n - 1));
}
