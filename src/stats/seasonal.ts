/**
 * Classical seasonal decomposition, as statsmodels 0.13's seasonal_decompose (two-sided moving
 * average, no trend extrapolation): trend = centred moving average over one period (weights
 * ½, 1, …, 1, ½ for an even period), seasonal = the per-position means of the detrended series,
 * centred (additive: minus their mean; multiplicative: divided by it), resid = the rest. The
 * trend and resid are NaN for the first and last ⌊period/2⌋ points, as statsmodels.
 */
import { ParamError } from '../core/errors.js';
import { oneOfOption, readSample, requireSize, type Sample } from './sample.js';

export interface SeasonalDecomposeOptions {
  /** The number of observations per cycle (e.g. 12 for monthly data with a yearly cycle). */
  period: number;
  /** 'additive' (x = trend + seasonal + resid) or 'multiplicative' (x = trend · seasonal · resid, x > 0). Default: 'additive'. */
  model?: 'additive' | 'multiplicative';
}

export interface DecomposeResult {
  observed: Float64Array;
  trend: Float64Array;
  seasonal: Float64Array;
  resid: Float64Array;
}

/** statsmodels' seasonal_decompose(x, model, period). NaN is refused; needs two full cycles. */
export function seasonalDecompose(x: Sample, options: SeasonalDecomposeOptions): DecomposeResult {
  const fn = 'seasonalDecompose';
  const period = options?.period;
  if (!Number.isInteger(period) || period < 2) throw new ParamError(`${fn}: period must be an integer >= 2, got ${period}`);
  const model = oneOfOption(fn, 'model', options.model, ['additive', 'multiplicative'] as const, 'additive');
  const { values } = readSample(x, fn, 'x', 'raise');
  const n = values.length;
  requireSize(n, 2 * period, fn, 'x', `two complete cycles of period ${period}`);
  if (model === 'multiplicative' && values.some((v) => v <= 0)) throw new ParamError(`${fn}: the multiplicative model needs x > 0`);
  const even = period % 2 === 0;
  const weights = even
    ? Array.from({ length: period + 1 }, (_, i) => (i === 0 || i === period ? 0.5 : 1) / period)
    : new Array<number>(period).fill(1 / period);
  const half = Math.floor(weights.length / 2);
  const trend = new Float64Array(n).fill(NaN);
  for (let t = half; t < n - half; t++) {
    let s = 0;
    for (let k = 0; k < weights.length; k++) s += weights[k] * values[t - half + k];
    trend[t] = s;
  }
  const mult = model === 'multiplicative';
  const detrended = Float64Array.from(values, (v, t) => (mult ? v / trend[t] : v - trend[t]));
  const avg = new Float64Array(period);
  for (let i = 0; i < period; i++) {
    let s = 0,
      c = 0;
    for (let t = i; t < n; t += period)
      if (!Number.isNaN(detrended[t])) {
        s += detrended[t];
        c++;
      }
    avg[i] = s / c;
  }
  const mean = avg.reduce((a, b) => a + b, 0) / period;
  for (let i = 0; i < period; i++) avg[i] = mult ? avg[i] / mean : avg[i] - mean;
  const seasonal = Float64Array.from({ length: n }, (_, t) => avg[t % period]);
  const resid = Float64Array.from(detrended, (d, t) => (mult ? d / seasonal[t] : d - seasonal[t]));
  return { observed: Float64Array.from(values), trend, seasonal, resid };
}
