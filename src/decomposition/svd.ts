/**
 * Singular value decompositions of (centred) data from its Gram matrix: the exact one (all
 * p right singular vectors from the eigen-decomposition of XᵀX) and the randomized one
 * (Halko, Martinsson & Tropp: a Gaussian start, subspace iteration with a QR after every
 * application of XᵀX, then Rayleigh–Ritz on the subspace), and scikit-learn's sign rule.
 */
import { Rng } from '../core/prng.js';
import type { GramOperator } from './gram.js';
import type { DecompKernels } from './kernels.js';

/** Singular values (descending) and right singular vectors as the rows of `v` (count × p). */
export interface RightSvd {
  s: Float64Array;
  v: Float64Array;
  count: number;
}

/** Every singular value and right singular vector, from the Gram matrix (p × p). */
export async function exactSvd(gram: Float64Array, p: number, k: DecompKernels): Promise<RightSvd> {
  const { values, vectors } = await k.linalg.symEig(gram, p);
  return { s: values.map((l) => Math.sqrt(Math.max(l, 0))), v: vectors, count: p };
}

/** scikit-learn's 'auto' number of power iterations: 7 when few components are asked for, else 4. */
export function autoPowerIterations(nComponents: number, n: number, p: number): number {
  return nComponents < 0.1 * Math.min(n, p) ? 7 : 4;
}

/**
 * The top `nComponents` singular triplets of the data behind `apply` (Z ↦ XᵀX Z), with
 * `nOversamples` extra directions and `nIter` subspace iterations.
 */
export async function randomizedSvd(
  apply: GramOperator,
  p: number,
  nComponents: number,
  nOversamples: number,
  nIter: number,
  seed: number,
  k: DecompKernels,
): Promise<RightSvd> {
  const q = Math.min(p, nComponents + nOversamples);
  const rng = new Rng(seed);
  let z: Float64Array = Float64Array.from({ length: p * q }, () => rng.normal());
  z = (await k.linalg.thinQr(z, p, q)).q;
  for (let it = 0; it < nIter; it++) z = (await k.linalg.thinQr(await apply(z, q), p, q)).q;
  // Rayleigh–Ritz: the eigenpairs of Zᵀ XᵀX Z give the singular pairs within span(Z).
  const cz = await apply(z, q);
  const h = new Float64Array(q * q);
  await k.linalg.dgemm({ transA: true, transB: false, m: q, n: q, k: p, alpha: 1, a: z, b: cz, beta: 0, c: h });
  for (let i = 0; i < q; i++) for (let j = 0; j < i; j++) h[i * q + j] = h[j * q + i] = (h[i * q + j] + h[j * q + i]) / 2;
  const { values, vectors } = await k.linalg.symEig(h, q);
  // row c of V = Z times eigenvector c: V = vectors[:nComponents] Zᵀ
  const v = new Float64Array(nComponents * p);
  await k.linalg.dgemm({ transA: false, transB: true, m: nComponents, n: p, k: q, alpha: 1, a: vectors.subarray(0, nComponents * q), b: z, beta: 0, c: v });
  return { s: values.subarray(0, nComponents).map((l) => Math.sqrt(Math.max(l, 0))), v, count: nComponents };
}

/** The Gram operator of a Gram matrix already computed (cheaper than passes when p is small). */
export function gramMatrixOperator(gram: Float64Array, p: number, k: DecompKernels): GramOperator {
  return async (z, q) => {
    const out = new Float64Array(p * q);
    await k.linalg.dgemm({ transA: false, transB: false, m: p, n: q, k: p, alpha: 1, a: gram, b: z, beta: 0, c: out });
    return out;
  };
}

/**
 * scikit-learn's svd_flip (u-based): each component's sign makes the largest-magnitude entry
 * of its column of U — of its scores (X − μ) vᵀ — positive. Flips `v` rows and `scores`
 * columns in place.
 */
export function flipSigns(v: Float64Array, p: number, scores: Float64Array, nc: number): void {
  const n = scores.length / nc;
  // one pass over the rows in memory order (the first row of each column's largest |score| wins, as argmax)
  const best = new Float64Array(nc),
    at = new Int32Array(nc);
  for (let i = 0, o = 0; i < n; i++, o += nc) {
    for (let j = 0; j < nc; j++) {
      const a = Math.abs(scores[o + j]);
      if (a > best[j]) {
        best[j] = a;
        at[j] = i;
      }
    }
  }
  const flip = new Uint8Array(nc);
  let any = false;
  for (let j = 0; j < nc; j++) {
    if (scores[at[j] * nc + j] >= 0) continue;
    flip[j] = 1;
    any = true;
    for (let t = 0; t < p; t++) v[j * p + t] = -v[j * p + t];
  }
  if (!any) return;
  for (let o = 0; o < scores.length; o += nc) for (let j = 0; j < nc; j++) if (flip[j]) scores[o + j] = -scores[o + j];
}

/**
 * svd_flip with u_based_decision=False: each component's largest-magnitude entry made
 * positive. Flips `v` rows (and `scores` columns, when given) in place.
 */
export function flipSignsByComponents(v: Float64Array, p: number, scores: Float64Array | null, nc: number): void {
  for (let j = 0; j < nc; j++) {
    let best = 0,
      at = 0;
    for (let t = 0; t < p; t++) {
      const a = Math.abs(v[j * p + t]);
      if (a > best) {
        best = a;
        at = t;
      }
    }
    if (v[j * p + at] >= 0) continue;
    for (let t = 0; t < p; t++) v[j * p + t] = -v[j * p + t];
    if (scores) for (let i = 0; i < scores.length / nc; i++) scores[i * nc + j] = -scores[i * nc + j];
  }
}
