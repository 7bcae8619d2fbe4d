/**
 * The univariate Parzen estimator of Optuna 3.1's TPE: one truncated-normal kernel per observation
 * plus a prior kernel (centre of the range, width the range), bandwidths from the distances to
 * the neighbouring observations (consider_endpoints off, "magic clip" at range / min(100, 1 + n)),
 * stepped and integer ranges as the probability mass of each grid cell; categoricals as smoothed
 * counts with the prior weight spread over the choices.
 */
import type { Rng } from '../../../core/prng.js';
import type { Distribution } from '../types.js';
import { numpyArgsort } from '../../../data/split/numpy-argsort.js';
import { clip, onGrid } from './random.js';
import { LOG_SQRT_2PI, logGaussMass, truncnormPpf } from './truncnorm.js';

export interface ParzenOptions {
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
  /** Weights of n observations (oldest first). */
  weights: (n: number) => number[];
  /**
   * Multivariate TPE's bandwidth factor (Optuna's sigmas0, Scott's rule): every observation's kernel
   * is sigma0 · (high − low) before the magic clip. Left out: the univariate neighbour distances.
   */
  sigma0?: number;
}

/** Optuna's default_weights: flat for up to 25 observations, else a ramp 1/n…1 then 25 ones. */
export function defaultWeights(n: number): number[] {
  if (n === 0) return [];
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const out: number[] = [];
  for (let i = 0; i < ramp; i++) out.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1));
  for (let i = 0; i < 25; i++) out.push(1);
  return out;
}

/** Optuna's default_gamma: how many observations make the "good" group. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

export class ParzenEstimator {
  /** Mixture weights (the prior's last). */
  readonly weights: Float64Array;
  /** Support of the kernels (in log space for log scales; widened half a step for stepped ones). */
  readonly low: number = 0;
  readonly high: number = 0;
  private readonly q: number | null = null;
  /** Kernel centres (the prior's last). */
  readonly mus: Float64Array = new Float64Array(0);
  /** Kernel widths. */
  readonly sigmas: Float64Array = new Float64Array(0);
  /** Categorical: kernels × choices probabilities. */
  readonly categoricalWeights: Float64Array[] = [];

  /** `observations` are internal values (a categorical's index). */
  constructor(
    observations: readonly number[],
    private readonly dist: Distribution,
    opts: ParzenOptions,
  ) {
    const n = observations.length;
    const w = opts.weights(n).slice(0, n);
    const weights = new Float64Array(n + 1);
    weights.set(w);
    weights[n] = opts.priorWeight;
    const total = weights.reduce((a, b) => a + b, 0);
    this.weights = weights.map((x) => x / total);
    if (dist.type === 'categorical') {
      const k = dist.choices.length;
      const fill = opts.priorWeight / (n + 1);
      for (let i = 0; i <= n; i++) {
        const row = new Float64Array(k).fill(fill);
        if (i < n) row[observations[i]] += 1;
        const s = row.reduce((a, b) => a + b, 0);
        this.categoricalWeights.push(row.map((x) => x / s));
      }
      return;
    }
    // Bounds of the kernels' support, in the space they live in (log for log scales).
    let low: number, high: number, q: number | null;
    if (dist.log) {
      low = Math.log(dist.type === 'int' ? dist.low - 0.5 : dist.low);
      high = Math.log(dist.type === 'int' ? dist.high + 0.5 : dist.high);
      q = null;
    } else if (dist.step !== null) {
      q = dist.step;
      low = dist.low - 0.5 * q;
      high = dist.high + 0.5 * q;
    } else {
      low = dist.low;
      high = dist.high;
      q = null;
    }
    this.low = low;
    this.high = high;
    this.q = q;
    const mus = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) mus[i] = dist.log ? Math.log(observations[i]) : observations[i];
    mus[n] = 0.5 * (low + high);
    const sigmas = new Float64Array(n + 1);
    if (opts.sigma0 !== undefined) {
      sigmas.fill(opts.sigma0 * (high - low));
    } else {
      const order = numpyArgsort(mus);
      const ends = [low, ...Array.from(order, (i) => mus[i]), high];
      const sorted = new Float64Array(n + 1);
      for (let i = 0; i <= n; i++) sorted[i] = Math.max(ends[i + 1] - ends[i], ends[i + 2] - ends[i + 1]);
      if (!opts.considerEndpoints && ends.length >= 4) {
        sorted[0] = ends[2] - ends[1];
        sorted[n] = ends[n + 1] - ends[n];
      }
      for (let r = 0; r <= n; r++) sigmas[order[r]] = sorted[r];
    }
    const maxSigma = high - low;
    const minSigma = opts.considerMagicClip ? (high - low) / Math.min(100, 1 + (n + 1)) : 1e-12;
    for (let i = 0; i <= n; i++) sigmas[i] = clip(sigmas[i], minSigma, maxSigma);
    sigmas[n] = high - low;
    this.mus = mus;
    this.sigmas = sigmas;
  }

  /** `size` internal values drawn from the mixture. */
  sample(rng: Rng, size: number): number[] {
    return this.sampleKernels(rng, pickKernels(rng, this.weights, size));
  }

  /** One value drawn from each kernel of `active` (kernel indices). */
  sampleKernels(rng: Rng, active: readonly number[]): number[] {
    const d = this.dist;
    if (d.type === 'categorical') {
      return active.map((k) => {
        const row = this.categoricalWeights[k];
        const u = rng.random();
        let c = 0,
          cum = row[0];
        while (c < row.length - 1 && cum < u) cum += row[++c];
        return c;
      });
    }
    return active.map((k) => {
      const mu = this.mus[k],
        sigma = this.sigmas[k];
      const x = truncnormPpf(rng.random(), (this.low - mu) / sigma, (this.high - mu) / sigma) * sigma + mu;
      if (d.log) {
        const v = Math.exp(x);
        return d.type === 'int' ? clip(Math.round(v), d.low, d.high) : clip(v, d.low, d.high);
      }
      return d.step === null ? x : onGrid(x, d.low, d.high, d.step);
    });
  }

  /** log density (Optuna 3.1.0's, see kernelLogPdf; log mass for discrete ranges) of internal values under the mixture. */
  logPdf(values: readonly number[]): number[] {
    const d = this.dist;
    if (d.type === 'categorical') {
      return values.map((v) => Math.log(this.categoricalWeights.reduce((s, row, k) => s + this.weights[k] * row[v], 0)));
    }
    const logW = Array.from(this.weights, Math.log);
    return this.kernelLogPdf(values).map((terms) => {
      for (let k = 0; k < terms.length; k++) terms[k] += logW[k];
      return logSumExp(terms);
    });
  }

  /**
   * Per value, each kernel's log density as Optuna 3.1.0 computes it (σ times the density for a
   * continuous range; log mass for discrete ranges, log probability for a categorical), unweighted.
   */
  kernelLogPdf(values: readonly number[]): Float64Array[] {
    const d = this.dist;
    if (d.type === 'categorical') {
      return values.map((v) => Float64Array.from(this.categoricalWeights, (row) => Math.log(row[v])));
    }
    const K = this.mus.length;
    const { low, high, q, mus, sigmas } = this;
    // Per kernel: − log of the truncated mass, computed once. A continuous kernel's term is Optuna
    // 3.1.0's: its truncated normal's logpdf leaves out −log σ (later releases put it back), which
    // weighs each kernel by its width — wide kernels and the prior count for more. Kept for parity
    // with the peer: on Hartmann-6 it also found better values (80 seeds; bench/README.md).
    const offset = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      const mass = logGaussMass((low - mus[k]) / sigmas[k], (high - mus[k]) / sigmas[k]);
      offset[k] = -mass - (q === null ? LOG_SQRT_2PI : 0);
    }
    return values.map((v0) => {
      const v = d.log ? Math.log(v0) : v0;
      const terms = new Float64Array(K);
      for (let k = 0; k < K; k++) {
        const mu = mus[k],
          sigma = sigmas[k];
        let lp: number;
        if (q === null) {
          const z = (v - mu) / sigma;
          lp = v < low || v > high ? -Infinity : -0.5 * z * z;
        } else {
          const up = Math.min(v + q / 2, high),
            lo = Math.max(v - q / 2, low);
          lp = logGaussMass((lo - mu) / sigma, (up - mu) / sigma);
        }
        terms[k] = lp + offset[k];
      }
      return terms;
    });
  }
}

/** log Σ exp(terms), −∞ when every term is. */
export function logSumExp(terms: ArrayLike<number>): number {
  let m = -Infinity;
  for (let k = 0; k < terms.length; k++) if (terms[k] > m) m = terms[k];
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let k = 0; k < terms.length; k++) s += Math.exp(terms[k] - m);
  return m + Math.log(s);
}

/** `size` kernel indices drawn with probabilities `weights`. */
export function pickKernels(rng: Rng, weights: ArrayLike<number>, size: number): number[] {
  const cdf = new Float64Array(weights.length);
  let acc = 0;
  for (let i = 0; i < cdf.length; i++) cdf[i] = acc += weights[i];
  const active: number[] = [];
  for (let s = 0; s < size; s++) {
    const u = rng.random() * acc;
    let i = 0;
    while (i < cdf.length - 1 && cdf[i] <= u) i++;
    active.push(i);
  }
  return active;
}
