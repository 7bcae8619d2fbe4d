/**
 * The products over the rows every decomposition needs, with the data centred on the fly:
 * the Gram matrix (X − μ)ᵀ(X − μ), the operator Z ↦ (X − μ)ᵀ(X − μ) Z of the randomized
 * solvers, and the projection (X − μ) Vᵀ of transform. On the CPU backends they run on the f64
 * dgemm straight from the data (f32 rows widened as they are read, never copied), the centring
 * applied as rank-one corrections in f64: f64 input keeps the precision the parity fixtures'
 * eigenvectors need, and f32 input is summed in f64 (the correction's cancellation,
 * ~1e-16·√n·(|μ|/σ)², stays below the f32 data's own ~6e-8·|μ|/σ until |μ|/σ ≈ 6e8/√n).
 * f64 input's Gram matrix is the linear family's centred Gram. On webgpu the products go
 * through the device's SGEMM in blocks of BLOCK_ROWS rows — each block centred into f32 and
 * summed in f32, the block results summed in f64, so rounding grows with the block, not with n.
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
  if (k.gemmBackend !== 'webgpu') {
    // XᵀX − n μμᵀ in f64
    const gram = new Float64Array(p * p);
    await k.linalg.dgemm({ transA: true, transB: false, m: p, n: p, k: m.rows, alpha: 1, a: m.data, b: m.data, beta: 0, c: gram });
    if (mean) for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) gram[i * p + j] -= m.rows * mean[i] * mean[j];
    return gram;
  }
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
  if (m.data instanceof Float64Array || k.gemmBackend !== 'webgpu') {
    // X Vᵀ, then the mean's projection off every row
    await k.linalg.dgemm({ transA: false, transB: true, m: n, n: nc, k: p, alpha: 1, a: m.data, b: v.subarray(0, nc * p), beta: 0, c: out });
    if (mean) for (let r = 0; r < n; r++) for (let j = 0; j < nc; j++) out[r * nc + j] -= shift[j];
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
  if (k.gemmBackend !== 'webgpu') return dgemmPassOperator(m, mean, k);
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

/** Rows per pass block of the dgemm operator: its T = X_b Z stays small next to X. */
const PASS_ROWS = 65536;

/**
 * The dense Gram operator on dgemm, from the data as stored: per block T = X_b Z − 1(μᵀZ) (the
 * centred block times Z), then out += X_bᵀ T − μ (1ᵀT), all in f64.
 */
function dgemmPassOperator(m: Matrix, mean: Float64Array | null, k: DecompKernels): GramOperator {
  const p = m.cols,
    n = m.rows;
  return async (z, q) => {
    const out = new Float64Array(p * q),
      t = new Float64Array(Math.min(PASS_ROWS, n) * q),
      mz = new Float64Array(q),
      colSum = new Float64Array(q);
    if (mean) for (let c = 0; c < p; c++) for (let j = 0; j < q; j++) mz[j] += mean[c] * z[c * q + j];
    for (let r0 = 0; r0 < n; r0 += PASS_ROWS) {
      const r1 = Math.min(n, r0 + PASS_ROWS),
        a = m.data.subarray(r0 * p, r1 * p),
        tb = t.subarray(0, (r1 - r0) * q);
      await k.linalg.dgemm({ transA: false, transB: false, m: r1 - r0, n: q, k: p, alpha: 1, a, b: z, beta: 0, c: tb });
      if (mean) {
        for (let i = 0; i < tb.length; i += q) {
          for (let j = 0; j < q; j++) {
            const v = tb[i + j] - mz[j];
            tb[i + j] = v;
            colSum[j] += v;
          }
        }
      }
      await k.linalg.dgemm({ transA: true, transB: false, m: p, n: q, k: r1 - r0, alpha: 1, a, b: tb, beta: 1, c: out });
    }
    if (mean) for (let c = 0; c < p; c++) for (let j = 0; j < q; j++) out[c * q + j] -= mean[c] * colSum[j];
    return out;
  };
}
