/**
 * Reference linalg kernels: the same algorithms as native/kernels/linalg (Householder
 * tridiagonalisation + implicit symmetric QR with Wilkinson shifts; Householder thin QR with
 * diag(R) >= 0), and the f64 product by rows, written for clarity. The oracle of the family's
 * cross-backend test.
 */
import { KilnError } from '../../core/errors.js';
import {
  checkDgemmArgs,
  checkSymEigArgs,
  checkThinQrArgs,
  type DgemmArgs,
  type LinalgSyncKernels,
  type SymEigResult,
  type ThinQrResult,
} from '../contract/linalg.js';

const EPS = 2 ** -52;

/** w (n × n, overwritten) → tridiagonal d, e; qt = Qᵀ with W = Q T Qᵀ. */
function tridiagonalise(w: Float64Array, n: number, d: Float64Array, e: Float64Array, qt: Float64Array): void {
  const v = new Float64Array(n),
    p = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    const m = n - k - 1;
    let norm2 = 0;
    for (let i = 0; i < m; i++) {
      v[i] = w[(k + 1 + i) * n + k];
      norm2 += v[i] * v[i];
    }
    if (norm2 === 0) continue;
    const alpha = v[0] > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    v[0] -= alpha;
    let vtv = 0;
    for (let i = 0; i < m; i++) vtv += v[i] * v[i];
    const beta = 2 / vtv;
    let pv = 0;
    for (let i = 0; i < m; i++) {
      const row = (k + 1 + i) * n + k + 1;
      let s = 0;
      for (let j = 0; j < m; j++) s += w[row + j] * v[j];
      p[i] = beta * s;
      pv += p[i] * v[i];
    }
    const kk = (beta * pv) / 2;
    for (let i = 0; i < m; i++) p[i] -= kk * v[i];
    for (let i = 0; i < m; i++) {
      const row = (k + 1 + i) * n + k + 1;
      for (let j = 0; j < m; j++) w[row + j] -= v[i] * p[j] + p[i] * v[j];
    }
    w[(k + 1) * n + k] = w[k * n + k + 1] = alpha;
    for (let i = 1; i < m; i++) w[(k + 1 + i) * n + k] = w[k * n + k + 1 + i] = 0;
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += v[i] * qt[(k + 1 + i) * n + c];
      s *= beta;
      if (s !== 0) for (let i = 0; i < m; i++) qt[(k + 1 + i) * n + c] -= s * v[i];
    }
  }
  for (let i = 0; i < n; i++) d[i] = w[i * n + i];
  for (let i = 0; i + 1 < n; i++) e[i] = w[(i + 1) * n + i];
}

/** One implicit QR step (Wilkinson shift) on the unreduced block l..m, rotating rows of zt. */
function qrStep(d: Float64Array, e: Float64Array, l: number, m: number, zt: Float64Array, n: number): void {
  const delta = (d[m - 1] - d[m]) / 2,
    b = e[m - 1];
  const denom = delta + (delta >= 0 ? 1 : -1) * Math.hypot(delta, b);
  const mu = denom === 0 ? d[m] : d[m] - (b * b) / denom;
  let x = d[l] - mu,
    z = e[l];
  for (let k = l; k < m; k++) {
    const r = Math.hypot(x, z);
    const c = r === 0 ? 1 : x / r,
      s = r === 0 ? 0 : -z / r;
    if (k > l) e[k - 1] = r;
    const dk = d[k],
      dk1 = d[k + 1],
      ek = e[k];
    d[k] = c * c * dk - 2 * c * s * ek + s * s * dk1;
    d[k + 1] = s * s * dk + 2 * c * s * ek + c * c * dk1;
    e[k] = c * s * (dk - dk1) + (c * c - s * s) * ek;
    if (k + 1 < m) {
      z = -s * e[k + 1];
      e[k + 1] *= c;
      x = e[k];
    }
    const u = k * n,
      w = (k + 1) * n;
    for (let j = 0; j < n; j++) {
      const a = zt[u + j],
        bb = zt[w + j];
      zt[u + j] = c * a - s * bb;
      zt[w + j] = s * a + c * bb;
    }
  }
}

function symEigSync(a: Float64Array, n: number): SymEigResult {
  checkSymEigArgs(a, n);
  const w = Float64Array.from(a),
    d = new Float64Array(n),
    e = new Float64Array(Math.max(n - 1, 1)),
    zt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) zt[i * n + i] = 1;
  tridiagonalise(w, n, d, e, zt);
  let m = n - 1,
    sweeps = 0;
  const small = (i: number) => Math.abs(e[i]) <= EPS * (Math.abs(d[i]) + Math.abs(d[i + 1])) || Math.abs(e[i]) < Number.MIN_VALUE * 2 ** 52;
  while (m > 0) {
    if (small(m - 1)) {
      e[m - 1] = 0;
      m--;
      continue;
    }
    let l = m - 1;
    while (l > 0 && !(Math.abs(e[l - 1]) <= EPS * (Math.abs(d[l - 1]) + Math.abs(d[l])))) l--;
    if (l > 0) e[l - 1] = 0;
    if (++sweeps > 30 * n + 30) throw new KilnError('E_INTERNAL', 'symEig: the QR iteration did not converge');
    qrStep(d, e, l, m, zt, n);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[j] - d[i] || i - j);
  const values = new Float64Array(n),
    vectors = new Float64Array(n * n);
  order.forEach((o, i) => {
    values[i] = d[o];
    vectors.set(zt.subarray(o * n, o * n + n), i * n);
  });
  return { values, vectors };
}

/** Applies I − β v vᵀ (v over rows j..m-1) to columns c0.. of the column-major w. */
function reflect(w: Float64Array, m: number, j: number, v: Float64Array, vOff: number, beta: number, c0: number, c1: number): void {
  const len = m - j;
  for (let k = c0; k < c1; k++) {
    const col = k * m + j;
    let s = 0;
    for (let i = 0; i < len; i++) s += v[vOff + i] * w[col + i];
    s *= beta;
    for (let i = 0; i < len; i++) w[col + i] -= s * v[vOff + i];
  }
}

function thinQrSync(a: Float64Array, m: number, n: number): ThinQrResult {
  checkThinQrArgs(a, m, n);
  const w = new Float64Array(m * n),
    vs = new Float64Array(m * n),
    betas = new Float64Array(n),
    r = new Float64Array(n * n);
  for (let i = 0; i < m; i++) for (let k = 0; k < n; k++) w[k * m + i] = a[i * n + k];
  for (let j = 0; j < n; j++) {
    const x = j * m + j,
      len = m - j;
    let norm2 = 0;
    for (let i = 0; i < len; i++) norm2 += w[x + i] * w[x + i];
    if (norm2 === 0) continue;
    const alpha = w[x] > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    for (let i = 0; i < len; i++) vs[x + i] = w[x + i];
    vs[x] -= alpha;
    let vtv = 0;
    for (let i = 0; i < len; i++) vtv += vs[x + i] * vs[x + i];
    betas[j] = 2 / vtv;
    reflect(w, m, j, vs, x, betas[j], j, n);
  }
  for (let j = 0; j < n; j++) for (let k = j; k < n; k++) r[j * n + k] = w[k * m + j];
  w.fill(0);
  for (let k = 0; k < n; k++) w[k * m + k] = 1;
  for (let j = n - 1; j >= 0; j--) if (betas[j] !== 0) reflect(w, m, j, vs, j * m + j, betas[j], j, n);
  for (let j = 0; j < n; j++) {
    if (r[j * n + j] >= 0) continue;
    for (let k = j; k < n; k++) r[j * n + k] = -r[j * n + k];
    for (let i = 0; i < m; i++) w[j * m + i] = -w[j * m + i];
  }
  const q = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let k = 0; k < n; k++) q[i * n + k] = w[k * m + i];
  return { q, r };
}

/** The f64 product by rows of C, each summed over k in order (alpha == 0 or k == 0 only scales C, as native does). */
function dgemmSync(g: DgemmArgs): void {
  checkDgemmArgs(g);
  const { transA, transB, m, n, k, alpha, a, b, beta, c } = g;
  const row = new Float64Array(n);
  const product = alpha !== 0 && k > 0;
  for (let i = 0; i < m; i++) {
    row.fill(0);
    if (product) {
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * m + i] : a[i * k + p];
        if (transB) for (let j = 0; j < n; j++) row[j] += aip * b[j * k + p];
        else for (let j = 0, o = p * n; j < n; j++) row[j] += aip * b[o + j];
      }
    }
    const o = i * n;
    for (let j = 0; j < n; j++) c[o + j] = (product ? alpha * row[j] : 0) + (beta === 0 ? 0 : beta * c[o + j]);
  }
}

export const jsLinalg: LinalgSyncKernels = {
  dgemmSync,
  dgemm: async (g) => dgemmSync(g),
  symEigSync,
  thinQrSync,
  symEig: async (a, n) => symEigSync(a, n),
  thinQr: async (a, m, n) => thinQrSync(a, m, n),
};
