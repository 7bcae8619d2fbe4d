/**
 * The EM steps of scikit-learn 1.2's GaussianMixture, as plain functions of row-major f64 arrays.
 * Covariances and precision Cholesky factors P (precision = P Pᵀ) are stored by type: 'full'
 * k × p × p, 'tied' p × p, 'diag' k × p, 'spherical' k. The products over the rows — the
 * means (Rᵀ X), the weighted scatter matrices of the M step and the whitened rows X·P of the E
 * step — run on the f64 GEMM (`dgemm`, native or its js oracle), as scikit-learn's run on BLAS.
 */
import { ParamError } from '../core/errors.js';
import { cholesky, invertLower } from '../models/linear/dense.js';
import type { Dgemm } from '../ops/dgemm.js';

export type CovarianceType = 'full' | 'tied' | 'diag' | 'spherical';

const EPS = 2.220446049250313e-16;
const LOG_2PI = Math.log(2 * Math.PI);

/** Length of a covariance (or precision) array of this type. */
export function covLength(type: CovarianceType, k: number, p: number): number {
  return type === 'full' ? k * p * p : type === 'tied' ? p * p : type === 'diag' ? k * p : k;
}

/**
 * Work arrays an EM loop hands from one step to the next (each grown on demand), so its
 * iterations allocate no row-sized arrays: those megabytes are what the collector would chase.
 */
export class EmScratch {
  private readonly arrays = new Map<string, Float64Array>();
  get(name: string, length: number): Float64Array {
    let a = this.arrays.get(name);
    if (!a || a.length < length) this.arrays.set(name, (a = new Float64Array(length)));
    return a.subarray(0, length);
  }
}

export interface MixtureState {
  weights: Float64Array;
  means: Float64Array;
  covariances: Float64Array;
  precChol: Float64Array;
}

/** M-step from responsibilities (n × k): weights (normalised), means and covariances (regCovar added to the diagonal). */
export function estimateParameters(
  X: Float64Array,
  resp: Float64Array,
  n: number,
  p: number,
  k: number,
  type: CovarianceType,
  reg: number,
  dgemm: Dgemm,
  scratch: EmScratch = new EmScratch(),
): { weights: Float64Array; means: Float64Array; covariances: Float64Array } {
  const nk = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) nk[c] += resp[i * k + c];
  const means = new Float64Array(k * p);
  dgemm({ transA: true, transB: false, m: k, n: p, k: n, alpha: 1, a: resp, b: X, beta: 0, c: means });
  for (let c = 0; c < k; c++) {
    nk[c] += 10 * EPS;
    for (let j = 0; j < p; j++) means[c * p + j] /= nk[c];
  }
  const cov = new Float64Array(covLength(type, k, p));
  if (type === 'full') {
    // Σ_i r_i (x_i − μ)(x_i − μ)ᵀ as WᵀW with W's rows √r_i (x_i − μ): one Gram matrix per component
    const w = scratch.get('rows', n * p);
    const acc = new Float64Array(p * p);
    for (let c = 0; c < k; c++) {
      const o = c * p * p,
        mo = c * p;
      const mu = means.slice(mo, mo + p);
      for (let i = 0, xo = 0; i < n; i++, xo += p) {
        const r = Math.sqrt(resp[i * k + c]);
        for (let j = 0; j < p; j++) w[xo + j] = r * (X[xo + j] - mu[j]);
      }
      dgemm({ transA: true, transB: false, m: p, n: p, k: n, alpha: 1, a: w, b: w, beta: 0, c: acc });
      for (let a = 0; a < p; a++) {
        for (let b = 0; b <= a; b++) {
          const v = acc[a * p + b] / nk[c];
          cov[o + a * p + b] = v;
          cov[o + b * p + a] = v;
        }
        cov[o + a * p + a] += reg;
      }
    }
  } else if (type === 'tied') {
    let total = 0;
    for (let c = 0; c < k; c++) total += nk[c];
    dgemm({ transA: true, transB: false, m: p, n: p, k: n, alpha: 1, a: X, b: X, beta: 0, c: cov });
    for (let c = 0; c < k; c++) {
      for (let a = 0; a < p; a++) for (let b = 0; b <= a; b++) cov[a * p + b] -= nk[c] * means[c * p + a] * means[c * p + b];
    }
    for (let a = 0; a < p; a++) {
      for (let b = 0; b <= a; b++) {
        const v = cov[a * p + b] / total;
        cov[a * p + b] = v;
        cov[b * p + a] = v;
      }
      cov[a * p + a] += reg;
    }
  } else {
    // diag: E[x²] − 2 μ E[x] + μ² per component and feature; spherical: their mean over features
    const x2 = new Float64Array(k * p);
    const x1 = new Float64Array(k * p);
    const sq = X.map((x) => x * x);
    dgemm({ transA: true, transB: false, m: k, n: p, k: n, alpha: 1, a: resp, b: X, beta: 0, c: x1 });
    dgemm({ transA: true, transB: false, m: k, n: p, k: n, alpha: 1, a: resp, b: sq, beta: 0, c: x2 });
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < p; j++) {
        const m = means[c * p + j];
        const v = x2[c * p + j] / nk[c] - (2 * (m * x1[c * p + j])) / nk[c] + m * m + reg;
        if (type === 'diag') cov[c * p + j] = v;
        else s += v;
      }
      if (type === 'spherical') cov[c] = s / p;
    }
  }
  let wsum = 0;
  for (let c = 0; c < k; c++) wsum += nk[c];
  const weights = nk.map((v) => v / wsum);
  return { weights, means, covariances: cov };
}

const ILL_DEFINED =
  'GaussianMixture: fitting the mixture model failed because some components have ill-defined empirical covariance (for instance caused by singleton or collapsed samples); try to decrease the number of components, or increase regCovar';

/** Precision Cholesky factors of covariances: (L⁻¹)ᵀ per matrix for full/tied, 1/√σ² for diag/spherical. */
export function precisionCholesky(cov: Float64Array, type: CovarianceType, k: number, p: number): Float64Array {
  const out = new Float64Array(cov.length);
  if (type === 'full' || type === 'tied') {
    const blocks = type === 'full' ? k : 1;
    for (let c = 0; c < blocks; c++) {
      const L = cholesky(cov.subarray(c * p * p, (c + 1) * p * p), p);
      if (L === null) throw new ParamError(ILL_DEFINED);
      const M = invertLower(L, p);
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) out[c * p * p + a * p + b] = M[b * p + a];
    }
  } else {
    for (let i = 0; i < cov.length; i++) {
      if (!(cov[i] > 0)) throw new ParamError(ILL_DEFINED);
      out[i] = 1 / Math.sqrt(cov[i]);
    }
  }
  return out;
}

/** Precisions P Pᵀ (full/tied) or P² (diag/spherical) from their Cholesky factors. */
export function precisionsFromCholesky(P: Float64Array, type: CovarianceType, k: number, p: number): Float64Array {
  if (type === 'diag' || type === 'spherical') return P.map((v) => v * v);
  const out = new Float64Array(P.length);
  const blocks = type === 'full' ? k : 1;
  for (let c = 0; c < blocks; c++) {
    const o = c * p * p;
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) {
        let s = 0;
        for (let t = 0; t < p; t++) s += P[o + a * p + t] * P[o + b * p + t];
        out[o + a * p + b] = s;
      }
    }
  }
  return out;
}

/** Values per E-step block of whitened rows (rows × k·p): 512 KiB, reused while in cache. */
const BLOCK_VALUES = 1 << 16;

/** log N(x | μ_c, Σ_c) + log w_c for every row and component (n × k). */
export function weightedLogProb(
  X: Float64Array | Float32Array,
  n: number,
  p: number,
  m: MixtureState,
  type: CovarianceType,
  dgemm: Dgemm,
  scratch: EmScratch = new EmScratch(),
): Float64Array {
  const k = m.weights.length;
  const { means, precChol: P } = m;
  const out = scratch.get('logProb', n * k);
  const base = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    if (type === 'full' || type === 'tied') {
      const o = type === 'full' ? c * p * p : 0;
      for (let j = 0; j < p; j++) s += Math.log(P[o + j * p + j]);
    } else if (type === 'diag') for (let j = 0; j < p; j++) s += Math.log(P[c * p + j]);
    else s = p * Math.log(P[c]);
    base[c] = -0.5 * p * LOG_2PI + s + Math.log(m.weights[c]);
  }
  if (type === 'full' || type === 'tied') {
    // y = x P_c − μ_c P_c (scikit-learn's form): every component's factor side by side as one
    // p × (k·p) matrix, so one product per block of rows whitens the rows for all components
    const w = k * p;
    const Pall = new Float64Array(p * w);
    const shift = new Float64Array(w);
    for (let c = 0; c < k; c++) {
      const o = type === 'full' ? c * p * p : 0;
      for (let a = 0; a < p; a++) {
        const mu = means[c * p + a];
        for (let b = 0; b < p; b++) {
          const v = P[o + a * p + b];
          Pall[a * w + c * p + b] = v;
          shift[c * p + b] += mu * v;
        }
      }
    }
    const rows = Math.max(1, Math.min(n, Math.floor(BLOCK_VALUES / w)));
    const y = scratch.get('whitened', rows * w);
    for (let r0 = 0; r0 < n; r0 += rows) {
      const r1 = Math.min(n, r0 + rows),
        len = r1 - r0;
      const yb = y.subarray(0, len * w);
      dgemm({ transA: false, transB: false, m: len, n: w, k: p, alpha: 1, a: X.subarray(r0 * p, r1 * p), b: Pall, beta: 0, c: yb });
      for (let i = 0; i < len; i++) {
        const yo = i * w,
          oo = (r0 + i) * k;
        for (let c = 0; c < k; c++) {
          let q = 0;
          for (let j = c * p; j < (c + 1) * p; j++) {
            const d = yb[yo + j] - shift[j];
            q += d * d;
          }
          out[oo + c] = base[c] - 0.5 * q;
        }
      }
    }
    return out;
  }
  const x = X instanceof Float64Array ? X : Float64Array.from(X); // one element type: the loops below stay monomorphic
  for (let c = 0; c < k; c++) {
    const mo = c * p;
    if (type === 'diag') {
      for (let i = 0; i < n; i++) {
        const xo = i * p;
        let q = 0;
        for (let j = 0; j < p; j++) {
          const y = (x[xo + j] - means[mo + j]) * P[mo + j];
          q += y * y;
        }
        out[i * k + c] = base[c] - 0.5 * q;
      }
    } else {
      const pc2 = P[c] * P[c];
      for (let i = 0; i < n; i++) {
        const xo = i * p;
        let q = 0;
        for (let j = 0; j < p; j++) {
          const v = x[xo + j] - means[mo + j];
          q += v * v;
        }
        out[i * k + c] = base[c] - 0.5 * (q * pc2);
      }
    }
  }
  return out;
}

/** Per row: log Σ_c exp(wlp[i, c]); wlp becomes log responsibilities in place. */
export function normaliseLogProb(wlp: Float64Array, n: number, k: number): Float64Array {
  const lpn = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let c = 0; c < k; c++) mx = Math.max(mx, wlp[i * k + c]);
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(wlp[i * k + c] - mx);
    const l = mx === -Infinity ? -Infinity : mx + Math.log(s);
    lpn[i] = l;
    for (let c = 0; c < k; c++) wlp[i * k + c] -= l;
  }
  return lpn;
}

/**
 * normaliseLogProb's per-row log Σ_c exp(wlp[i, c]), with wlp turned into the responsibilities
 * themselves (exp(wlp − max) / Σ, from the exponentials the sum needed: one exp per value).
 */
export function normaliseToResp(wlp: Float64Array, n: number, k: number, scratch: EmScratch = new EmScratch()): Float64Array {
  const lpn = scratch.get('logNorm', n);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let mx = -Infinity;
    for (let c = 0; c < k; c++) mx = Math.max(mx, wlp[o + c]);
    if (mx === -Infinity) {
      lpn[i] = -Infinity;
      for (let c = 0; c < k; c++) wlp[o + c] = Number.NaN; // exp(−∞ − (−∞)), as scikit-learn's
      continue;
    }
    let s = 0;
    for (let c = 0; c < k; c++) s += wlp[o + c] = Math.exp(wlp[o + c] - mx);
    lpn[i] = mx + Math.log(s);
    for (let c = 0; c < k; c++) wlp[o + c] /= s;
  }
  return lpn;
}

/** Free parameters of the model (scikit-learn's _n_parameters). */
export function parameterCount(type: CovarianceType, k: number, p: number): number {
  const cov = type === 'full' ? (k * p * (p + 1)) / 2 : type === 'diag' ? k * p : type === 'tied' ? (p * (p + 1)) / 2 : k;
  return cov + p * k + k - 1;
}
