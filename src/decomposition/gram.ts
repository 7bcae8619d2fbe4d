/**
 * The products over the rows every decomposition needs, with the data centred on the fly:
 * the Gram matrix (X − μ)ᵀ(X − μ), the operator Z ↦ (X − μ)ᵀ(X − μ) Z of the randomized
 * solvers, and the projection (X − μ) Vᵀ of transform. f64 input is multiplied in f64 (the
 * linear family's centred Gram, or plain loops): the parity fixtures' eigenvectors need it.
 * f32 input goes through the backend's SGEMM in blocks of BLOCK_ROWS rows — each block is
 * centred into f32 and summed by the GEMM in f32, the block results are summed in f64, so
 * rounding grows with the block, not with n (scikit-learn keeps f32 data in f32 too).
 */
import { CsrMatrix } from '../core/csr.js';
import type { Matrix } from '../core/matrix.js';
import type { DecompKernels } from './kernels.js';

export const BLOCK_ROWS = 4096;

/** Copies rows [r0, r1) of m, minus mean (when given), into an f32 block. */
function centredBlock(m: Matrix, mean: Float64Array | null, r0: number, r1: number, out: Float32Array): Float32Array {
  const p = m.cols,
    d = m.data;
  const block = out.subarray(0, (r1 - r0) * p);
  for (let r = r0, o = 0; r < r1; r++) {
    const base = r * p;
    if (mean) for (let c = 0; c < p; c++, o++) block[o] = d[base + c] - mean[c];
    else for (let c = 0; c < p; c++, o++) block[o] = d[base + c];
  }
  return block;
}

/** (X − μ)ᵀ(X − μ), p × p in f64 (μ = null: no centring). */
export async function centredGram(m: Matrix, mean: Float64Array | null, k: DecompKernels): Promise<Float64Array> {
  const p = m.cols;
  if (m.data instanceof Float64Array && mean !== null) {
    return (await k.linear.weightedGram(m.data, m.rows, p, null, 0, null, true)).gram;
  }
  if (m.data instanceof Float64Array) return (await k.linear.weightedGram(m.data, m.rows, p, null, 0, null, false)).gram;
  const gram = new Float64Array(p * p),
    part = new Float32Array(p * p),
    buf = new Float32Array(Math.min(BLOCK_ROWS, m.rows) * p);
  for (let r0 = 0; r0 < m.rows; r0 += BLOCK_ROWS) {
    const r1 = Math.min(m.rows, r0 + BLOCK_ROWS);
    const a = centredBlock(m, mean, r0, r1, buf);
    await k.gemm.sgemm({ transA: true, transB: false, m: p, n: p, k: r1 - r0, alpha: 1, a, b: a, beta: 0, c: part });
    for (let i = 0; i < p * p; i++) gram[i] += part[i];
  }
  return gram;
}

/** Rows of (X − μ) times Vᵀ (V: k × p, row-major): n × k in f64. */
export async function project(m: Matrix | CsrMatrix, mean: Float64Array | null, v: Float64Array, nc: number, k: DecompKernels): Promise<Float64Array> {
  const p = m.cols,
    n = m.rows,
    out = new Float64Array(n * nc);
  // the mean's projection, subtracted once per row instead of centring every value
  const shift = new Float64Array(nc);
  if (mean) for (let j = 0; j < nc; j++) for (let c = 0; c < p; c++) shift[j] += mean[c] * v[j * p + c];
  if (m instanceof CsrMatrix) {
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < nc; j++) {
        let s = -shift[j];
        for (let t = m.indptr[r]; t < m.indptr[r + 1]; t++) s += m.data[t] * v[j * p + m.indices[t]];
        out[r * nc + j] = s;
      }
    }
    return out;
  }
  if (m.data instanceof Float64Array) {
    const d = m.data;
    for (let r = 0; r < n; r++) {
      const base = r * p;
      for (let j = 0; j < nc; j++) {
        let s = 0;
        const vb = j * p;
        if (mean) for (let c = 0; c < p; c++) s += (d[base + c] - mean[c]) * v[vb + c];
        else for (let c = 0; c < p; c++) s += d[base + c] * v[vb + c];
        out[r * nc + j] = s;
      }
    }
    return out;
  }
  const vt = Float32Array.from(v.subarray(0, nc * p)),
    buf = new Float32Array(Math.min(BLOCK_ROWS, n) * p),
    part = new Float32Array(Math.min(BLOCK_ROWS, n) * nc);
  for (let r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
    const r1 = Math.min(n, r0 + BLOCK_ROWS);
    const a = centredBlock(m, mean, r0, r1, buf);
    const c = part.subarray(0, (r1 - r0) * nc);
    await k.gemm.sgemm({ transA: false, transB: true, m: r1 - r0, n: nc, k: p, alpha: 1, a, b: vt, beta: 0, c });
    for (let i = 0; i < c.length; i++) out[r0 * nc + i] = c[i];
  }
  return out;
}

/** Z ↦ (X − μ)ᵀ(X − μ) Z for Z p × q (row-major f64): the operator the randomized solvers iterate. */
export type GramOperator = (z: Float64Array, q: number) => Promise<Float64Array>;

/** p × p times p × q in f64. */
export function symTimes(g: Float64Array, p: number, z: Float64Array, q: number): Float64Array {
  const out = new Float64Array(p * q);
  for (let i = 0; i < p; i++) {
    for (let t = 0; t < p; t++) {
      const a = g[i * p + t];
      if (a === 0) continue;
      for (let j = 0; j < q; j++) out[i * q + j] += a * z[t * q + j];
    }
  }
  return out;
}

/**
 * The Gram operator by passes over the data: each block's (X_b − μ) Z, then its transpose
 * times that, summed in f64. Sparse input (TruncatedSVD) is walked by its nonzeros.
 */
export function passOperator(m: Matrix | CsrMatrix, mean: Float64Array | null, k: DecompKernels): GramOperator {
  const p = m.cols,
    n = m.rows;
  if (m instanceof CsrMatrix) {
    return async (z, q) => {
      const out = new Float64Array(p * q),
        t = new Float64Array(q);
      for (let r = 0; r < n; r++) {
        t.fill(0);
        for (let e = m.indptr[r]; e < m.indptr[r + 1]; e++) {
          const x = m.data[e],
            zb = m.indices[e] * q;
          for (let j = 0; j < q; j++) t[j] += x * z[zb + j];
        }
        for (let e = m.indptr[r]; e < m.indptr[r + 1]; e++) {
          const x = m.data[e],
            ob = m.indices[e] * q;
          for (let j = 0; j < q; j++) out[ob + j] += x * t[j];
        }
      }
      return out;
    };
  }
  return async (z, q) => {
    const out = new Float64Array(p * q),
      zf = Float32Array.from(z),
      buf = new Float32Array(Math.min(BLOCK_ROWS, n) * p),
      t = new Float32Array(Math.min(BLOCK_ROWS, n) * q),
      part = new Float32Array(p * q);
    for (let r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
      const r1 = Math.min(n, r0 + BLOCK_ROWS),
        rows = r1 - r0;
      const a = centredBlock(m, mean, r0, r1, buf);
      const tb = t.subarray(0, rows * q);
      await k.gemm.sgemm({ transA: false, transB: false, m: rows, n: q, k: p, alpha: 1, a, b: zf, beta: 0, c: tb });
      await k.gemm.sgemm({ transA: true, transB: false, m: p, n: q, k: rows, alpha: 1, a, b: tb, beta: 0, c: part });
      for (let i = 0; i < p * q; i++) out[i] += part[i];
    }
    return out;
  };
}
