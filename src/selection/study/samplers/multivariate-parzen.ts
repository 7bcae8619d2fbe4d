/**
 * Optuna 3.1's multivariate Parzen estimator (TPESampler({ multivariate: true })): one kernel per
 * observation over all parameters jointly, the product of per-parameter truncated normals (or
 * categorical rows) sharing the observation's weight. Bandwidths follow Scott's rule as BOHB
 * uses it: sigma0 = 0.2 · n^(−1/(d+4)) for n observations of d parameters, each kernel
 * sigma0 · (high − low) of its parameter, then the magic clip; the prior kernel keeps the whole
 * range. Categoricals are smoothed counts as in the univariate estimator.
 */
import type { Rng } from '../../../core/prng.js';
import type { Distribution } from '../types.js';
import { logSumExp, ParzenEstimator, type ParzenOptions, pickKernels } from './parzen.js';

/** Optuna's SIGMA0_MAGNITUDE. */
const SIGMA0_MAGNITUDE = 0.2;

export class MultivariateParzenEstimator {
  /** Per parameter, its estimator (all share the weights and the kernel order). */
  readonly estimators: Readonly<Record<string, ParzenEstimator>>;
  readonly weights: Float64Array;
  private readonly names: string[];

  /** `observations[name][i]` is observation i's internal value of `name` (every array the same length). */
  constructor(observations: Readonly<Record<string, readonly number[]>>, space: Readonly<Record<string, Distribution>>, opts: ParzenOptions) {
    this.names = Object.keys(space);
    const n = this.names.length > 0 ? observations[this.names[0]].length : 0;
    const sigma0 = SIGMA0_MAGNITUDE * Math.max(n, 1) ** (-1 / (this.names.length + 4));
    const est: Record<string, ParzenEstimator> = {};
    for (const name of this.names) est[name] = new ParzenEstimator(observations[name], space[name], { ...opts, sigma0 });
    this.estimators = est;
    this.weights = this.names.length > 0 ? est[this.names[0]].weights : new Float64Array([1]);
  }

  /** `size` joint draws: per parameter, the values of one shared kernel per draw. */
  sample(rng: Rng, size: number): Record<string, number[]> {
    const active = pickKernels(rng, this.weights, size);
    const out: Record<string, number[]> = {};
    for (const name of this.names) out[name] = this.estimators[name].sampleKernels(rng, active);
    return out;
  }

  /** Joint log density of the draws `samples[name][i]`. */
  logPdf(samples: Readonly<Record<string, readonly number[]>>): number[] {
    const m = this.names.length > 0 ? samples[this.names[0]].length : 0;
    const K = this.weights.length;
    const total = Array.from({ length: m }, () => Float64Array.from(this.weights, Math.log));
    for (const name of this.names) {
      const per = this.estimators[name].kernelLogPdf(samples[name]);
      for (let i = 0; i < m; i++) for (let k = 0; k < K; k++) total[i][k] += per[i][k];
    }
    return total.map(logSumExp);
  }
}
