/**
 * The EM steps of scikit-learn 1.2's GaussianMixture, as plain functions of row-major f64 arrays.
 * Covariances and precision Cholesky factors P (precision = P Pᵀ) are stored by type: 'full'
 * k × p × p, 'tied' p × p, 'diag' k × p, 'spherical' k.
 */
import { ParamError } from '../core/errors.js';
import { cholesky, invertLower } from '../models/linear/dense.js';

export type CovarianceType = 'full' | 'tied' | 'diag' | 'spherical';

const EPS = 2.220446049250313e-16;
const LOG_2PI = Math.log(2 * Math.PI);

/** Length of a covariance (or precision) array of this type. */
export function covLength(type: CovarianceType, k: number, p: number): number {
  return type === 'full' ? k * p * p : type === 'tied' ? p * p : type === 'diag' ? k * p : k;
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
): { weights: Float64Array; means: Float64Array; covariances: Float64Array } {
  const nk = new Float64Array(k);
  const means = new Float64Array(k * p);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const r = resp[i * k + c];
      nk[c] += r;
      for (let j = 0; j < p; j++) means[c * p + j] += r * X[i * p + j];
    }
  }
  for (let c = 0; c < k; c++) {
    nk[c] += 10 * EPS;
    for (let j = 0; j < p; j++) means[c * p + j] /= nk[c];
  }
  const cov = new Float64Array(covLength(type, k, p));
  if (type === 'full') {
    const d = new Float64Array(p);
    const acc = new Float64Array(p * p);
    for (let c = 0; c < k; c++) {
      const o = c * p * p,
        mo = c * p;
      acc.fill(0);
      for (let i = 0; i < n; i++) {
        const r = resp[i * k + c];
        const xo = i * p;
        for (let j = 0; j < p; j++) d[j] = X[xo + j] - means[mo + j];
        for (let a = 0; a < p; a++) {
          const ra = r * d[a],
            ao = a * p;
          for (let b = 0; b <= a; b++) acc[ao + b] += ra * d[b];
        }
      }
      cov.set(acc, o);
      for (let a = 0; a < p; a++) {
        for (let b = 0; b <= a; b++) {
          const v = cov[o + a * p + b] / nk[c];
          cov[o + a * p + b] = v;
          cov[o + b * p + a] = v;
        }
        cov[o + a * p + a] += reg;
      }
    }
  } else if (type === 'tied') {
    let total = 0;
    for (let c = 0; c < k; c++) total += nk[c];
    for (let i = 0; i < n; i++) for (let a = 0; a < p; a++) for (let b = 0; b <= a; b++) cov[a * p + b] += X[i * p + a] * X[i * p + b];
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
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        const r = resp[i * k + c];
        for (let j = 0; j < p; j++) {
          const x = X[i * p + j];
          x1[c * p + j] += r * x;
          x2[c * p + j] += r * x * x;
        }
      }
    }
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

/** log N(x | μ_c, Σ_c) + log w_c for every row and component (n × k). */
export function weightedLogProb(X: ArrayLike<number>, n: number, p: number, m: MixtureState, type: CovarianceType): Float64Array {
  const k = m.weights.length;
  const { means, precChol: P } = m;
  const out = new Float64Array(n * k);
  const logDet = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    if (type === 'full' || type === 'tied') {
      const o = type === 'full' ? c * p * p : 0;
      for (let j = 0; j < p; j++) s += Math.log(P[o + j * p + j]);
    } else if (type === 'diag') for (let j = 0; j < p; j++) s += Math.log(P[c * p + j]);
    else s = p * Math.log(P[c]);
    logDet[c] = s;
  }
  // P is triangular: upper when computed from covariances ((L⁻¹)ᵀ), lower when given as precisions
  const upper = new Uint8Array(k);
  if (type === 'full' || type === 'tied') {
    for (let c = 0; c < (type === 'full' ? k : 1); c++) {
      let u = 1;
      for (let a = 1; a < p && u; a++) for (let b = 0; b < a; b++) if (P[c * p * p + a * p + b] !== 0) u = 0;
      upper[c] = u;
    }
    if (type === 'tied') upper.fill(upper[0]);
  }
  const x = X instanceof Float64Array ? X : Float64Array.from(X); // one element type: the loops below stay monomorphic
  const d = new Float64Array(p);
  const Pt = new Float64Array(p * p);
  for (let c = 0; c < k; c++) {
    const mo = c * p;
    const base = -0.5 * p * LOG_2PI + logDet[c] + Math.log(m.weights[c]);
    if (type === 'full' || type === 'tied') {
      // the factor's columns as rows, so each y_b = Σ_a d_a P[a, b] reads contiguously
      const o = type === 'full' ? c * p * p : 0;
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) Pt[b * p + a] = P[o + a * p + b];
      const top = upper[c] === 1;
      for (let i = 0; i < n; i++) {
        const xo = i * p;
        for (let j = 0; j < p; j++) d[j] = x[xo + j] - means[mo + j];
        let q = 0;
        for (let b = 0; b < p; b++) {
          const end = top ? b + 1 : p;
          const po = b * p;
          let y = 0;
          for (let a = 0; a < end; a++) y += d[a] * Pt[po + a];
          q += y * y;
        }
        out[i * k + c] = base - 0.5 * q;
      }
    } else if (type === 'diag') {
      for (let i = 0; i < n; i++) {
        const xo = i * p;
        let q = 0;
        for (let j = 0; j < p; j++) {
          const y = (x[xo + j] - means[mo + j]) * P[mo + j];
          q += y * y;
        }
        out[i * k + c] = base - 0.5 * q;
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
        out[i * k + c] = base - 0.5 * (q * pc2);
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

/** Free parameters of the model (scikit-learn's _n_parameters). */
export function parameterCount(type: CovarianceType, k: number, p: number): number {
  const cov = type === 'full' ? (k * p * (p + 1)) / 2 : type === 'diag' ? k * p : type === 'tied' ? (p * (p + 1)) / 2 : k;
  return cov + p * k + k - 1;
}
