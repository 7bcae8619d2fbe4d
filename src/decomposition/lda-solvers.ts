/**
 * The two solvers of scikit-learn 1.2's LinearDiscriminantAnalysis, in f64 on the linalg
 * family's eigensolver: 'svd' (SVDs of the scaled within-class data and of the class means,
 * taken from the eigen-decompositions of their Gram matrices) and 'eigen' (the generalised
 * symmetric problem Sb x = λ Sw x through a Cholesky factor of Sw), with Ledoit-Wolf or fixed
 * shrinkage of the covariances.
 */
import { KilnError } from '../core/errors.js';
import type { LinalgKernels } from '../backend/backend.js';

export interface LdaData {
  x: Float64Array;
  n: number;
  p: number;
  codes: Int32Array;
  k: number;
  priors: Float64Array;
  means: Float64Array; // k × p
}

export interface LdaFit {
  r: number;
  scalings: Float64Array; // p × r, row-major
  coef: Float64Array; // k × p
  intercept: Float64Array; // k
  ratio: Float64Array;
  centre: Float64Array | null; // transform subtracts it ('svd': xbar)
}

const TOL = 1e-4;

/** Gram matrix AᵀA of a row-major rows × cols matrix. */
function gram(a: Float64Array, rows: number, cols: number): Float64Array {
  const g = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < cols; i++) {
      const v = a[r * cols + i];
      if (v !== 0) for (let j = i; j < cols; j++) g[i * cols + j] += v * a[r * cols + j];
    }
  for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) g[i * cols + j] = g[j * cols + i];
  return g;
}

/** Shared tail: coef = (means − centre)·S·Sᵀ and intercepts, as scikit-learn's svd solver writes them. */
export async function solveSvd(d: LdaData, la: LinalgKernels): Promise<LdaFit> {
  const { x, n, p, codes, k, priors, means } = d;
  const xc = new Float64Array(n * p),
    std = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let c = 0; c < p; c++) xc[i * p + c] = x[i * p + c] - means[codes[i] * p + c];
  for (let i = 0; i < n * p; i++) std[i % p] += xc[i] * xc[i];
  for (let c = 0; c < p; c++) std[c] = Math.sqrt(std[c] / n) || 1;
  const fac = Math.sqrt(1 / (n - k));
  for (let i = 0; i < n * p; i++) xc[i] = (fac * xc[i]) / std[i % p];
  const e1 = await la.symEig(gram(xc, n, p), p);
  const s1 = e1.values.map((v) => Math.sqrt(Math.max(v, 0)));
  let rank = 0;
  for (let i = 0; i < Math.min(n, p); i++) if (s1[i] > TOL) rank++;
  const sc = new Float64Array(p * rank); // (Vt[:rank] / std).T / S
  for (let c = 0; c < p; c++) for (let j = 0; j < rank; j++) sc[c * rank + j] = e1.vectors[j * p + c] / std[c] / s1[j];
  const xbar = new Float64Array(p);
  for (let g = 0; g < k; g++) for (let c = 0; c < p; c++) xbar[c] += priors[g] * means[g * p + c];
  const f2 = k === 1 ? 1 : 1 / (k - 1);
  const mb = new Float64Array(k * rank);
  for (let g = 0; g < k; g++) {
    const w = Math.sqrt(n * priors[g] * f2);
    for (let j = 0; j < rank; j++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += w * (means[g * p + c] - xbar[c]) * sc[c * rank + j];
      mb[g * rank + j] = s;
    }
  }
  const e2 = await la.symEig(gram(mb, k, rank), rank);
  const m2 = Math.min(k, rank);
  const s2 = e2.values.subarray(0, m2).map((v) => Math.sqrt(Math.max(v, 0)));
  const ssum = s2.reduce((a, v) => a + v * v, 0);
  let r = 0;
  for (let i = 0; i < m2; i++) if (s2[i] > TOL * s2[0]) r++;
  const scalings = new Float64Array(p * r);
  for (let c = 0; c < p; c++)
    for (let j = 0; j < r; j++) {
      let s = 0;
      for (let t = 0; t < rank; t++) s += sc[c * rank + t] * e2.vectors[j * rank + t];
      scalings[c * r + j] = s;
    }
  const { coef, intercept } = linearRule(means, xbar, scalings, p, r, k, priors);
  return { r, scalings, coef, intercept, ratio: s2.map((v) => (v * v) / ssum), centre: xbar };
}

/** coef = (means − xbar)·S·Sᵀ, intercept = −½‖(means − xbar)·S‖² + log prior − xbar·coef. */
function linearRule(means: Float64Array, xbar: Float64Array, s: Float64Array, p: number, r: number, k: number, priors: Float64Array) {
  const coef = new Float64Array(k * p),
    intercept = new Float64Array(k);
  for (let g = 0; g < k; g++) {
    const z = new Float64Array(r);
    for (let j = 0; j < r; j++) for (let c = 0; c < p; c++) z[j] += (means[g * p + c] - xbar[c]) * s[c * r + j];
    intercept[g] = -0.5 * z.reduce((a, v) => a + v * v, 0) + Math.log(priors[g]);
    for (let c = 0; c < p; c++) {
      let v = 0;
      for (let j = 0; j < r; j++) v += z[j] * s[c * r + j];
      coef[g * p + c] = v;
      intercept[g] -= xbar[c] * v;
    }
  }
  return { coef, intercept };
}

/** Empirical covariance (ddof 0) of rows `idx`, shrunk as asked. */
export function covariance(x: Float64Array, p: number, idx: number[], shrinkage: number | 'auto' | null): Float64Array {
  const m = idx.length,
    mu = new Float64Array(p),
    xc = new Float64Array(m * p);
  for (const i of idx) for (let c = 0; c < p; c++) mu[c] += x[i * p + c] / m;
  idx.forEach((i, t) => {
    for (let c = 0; c < p; c++) xc[t * p + c] = x[i * p + c] - mu[c];
  });
  if (shrinkage === 'auto') {
    // Ledoit-Wolf on standardised features, scaled back (scikit-learn's _cov)
    const sd = new Float64Array(p);
    for (let t = 0; t < m * p; t++) sd[t % p] += xc[t] * xc[t];
    for (let c = 0; c < p; c++) sd[c] = Math.sqrt(sd[c] / m) || 1;
    const z = xc.map((v, t) => v / sd[t % p]);
    const s = ledoitWolf(z, m, p);
    return s.map((v, t) => v * sd[Math.floor(t / p)] * sd[t % p]);
  }
  const cov = gram(xc, m, p).map((v) => v / m);
  return shrinkage ? shrink(cov, p, shrinkage) : cov;
}

function shrink(cov: Float64Array, p: number, a: number): Float64Array {
  let tr = 0;
  for (let c = 0; c < p; c++) tr += cov[c * p + c];
  const out = cov.map((v) => (1 - a) * v);
  for (let c = 0; c < p; c++) out[c * p + c] += (a * tr) / p;
  return out;
}

/** Ledoit-Wolf shrunk covariance of already-centred rows. */
function ledoitWolf(x: Float64Array, n: number, p: number): Float64Array {
  const emp = gram(x, n, p).map((v) => v / n);
  const x2 = x.map((v) => v * v);
  let trace = 0;
  for (let c = 0; c < p; c++) trace += emp[c * p + c];
  const mu = trace / p;
  const beta_ = gram(x2, n, p).reduce((a, v) => a + v, 0);
  const delta_ = emp.reduce((a, v) => a + v * n * (v * n), 0) / (n * n);
  let beta = (1 / (p * n)) * (beta_ / n - delta_);
  const delta = (delta_ - 2 * mu * trace + p * mu * mu) / p;
  beta = Math.min(beta, delta);
  return shrink(emp, p, beta === 0 ? 0 : beta / delta);
}

/** Solver 'eigen': Sb x = λ Sw x with Sw = Σ prior·class covariance, Sb = St − Sw. */
export async function solveEigen(d: LdaData, shrinkage: number | 'auto' | null, la: LinalgKernels): Promise<LdaFit> {
  const { x, n, p, codes, k, priors, means } = d;
  const sw = new Float64Array(p * p);
  for (let g = 0; g < k; g++) {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (codes[i] === g) idx.push(i);
    const cg = covariance(x, p, idx, shrinkage);
    for (let t = 0; t < p * p; t++) sw[t] += priors[g] * cg[t];
  }
  const st = covariance(
    x,
    p,
    Array.from({ length: n }, (_, i) => i),
    shrinkage,
  );
  const sb = st.map((v, t) => v - sw[t]);
  // Cholesky Sw = L Lᵀ; C = L⁻¹ Sb L⁻ᵀ; x = L⁻ᵀ y
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j <= i; j++) {
      let s = sw[i * p + j];
      for (let t = 0; t < j; t++) s -= L[i * p + t] * L[j * p + t];
      if (i === j) {
        if (!(s > 0)) throw new KilnError('E_PARAM', "LinearDiscriminantAnalysis: the within-class covariance is singular; use solver 'svd' or set shrinkage");
        L[i * p + i] = Math.sqrt(s);
      } else L[i * p + j] = s / L[j * p + j];
    }
  const solveL = (b: Float64Array) => {
    // columns of b (p × p): L⁻¹ b
    const out = Float64Array.from(b);
    for (let col = 0; col < p; col++)
      for (let i = 0; i < p; i++) {
        let s = out[i * p + col];
        for (let t = 0; t < i; t++) s -= L[i * p + t] * out[t * p + col];
        out[i * p + col] = s / L[i * p + i];
      }
    return out;
  };
  const a = solveL(sb); // L⁻¹ Sb
  const at = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) at[i * p + j] = a[j * p + i];
  const c = solveL(at); // L⁻¹ (L⁻¹ Sb)ᵀ = L⁻¹ Sb L⁻ᵀ
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) c[i * p + j] = c[j * p + i] = (c[i * p + j] + c[j * p + i]) / 2;
  const e = await la.symEig(c, p);
  const scalings = new Float64Array(p * p); // column j = L⁻ᵀ y_j
  for (let j = 0; j < p; j++)
    for (let i = p - 1; i >= 0; i--) {
      let s = e.vectors[j * p + i];
      for (let t = i + 1; t < p; t++) s -= L[t * p + i] * scalings[t * p + j];
      scalings[i * p + j] = s / L[i * p + i];
    }
  const sum = e.values.reduce((acc, v) => acc + v, 0);
  const zero = new Float64Array(p);
  const { coef, intercept } = linearRule(means, zero, scalings, p, p, k, priors);
  return { r: p, scalings, coef, intercept, ratio: e.values.map((v) => v / sum).sort((a, b) => b - a), centre: null }; // scikit-learn sorts the ratios (a negative sum reverses them)
}
