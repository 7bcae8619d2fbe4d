/**
 * The linalg family across the CPU backends (webgpu does not run it: its matrices are p × p or
 * n × k, see contract/linalg.ts). Each backend's answer is checked against the defining
 * identities (A V = V Λ, VᵀV = I; A = Q R, QᵀQ = I) and against the js oracle: eigenvalues
 * within 1e-10 relative, eigenvectors and Q/R within 1e-9 (same algorithm, different
 * summation order and fused multiply-adds in C++).
 */
import { describe, expect, it } from 'vitest';
import { resolveKernels } from '../../src/backend/select.js';
import type { LinalgKernels } from '../../src/backend/backend.js';
import { hasNative } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });
const backends = ['js', ...(hasNative ? ['native' as const] : [])] as const;

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** BᵀB for a random n × n B (symmetric positive semi-definite), plus a diagonal shift. */
function randomSymmetric(n: number, seed: number): Float64Array {
  const r = lcg(seed);
  const b = Float64Array.from({ length: n * n }, r);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += b[k * n + i] * b[k * n + j];
  for (let i = 0; i < n; i++) a[i * n + i] -= 0.3; // some negative eigenvalues too
  return a;
}

async function kernels(name: 'js' | 'native'): Promise<LinalgKernels> {
  return (await resolveKernels('linalg', name, 1, 'test')).kernels;
}

describe.each(backends)('linalg kernels on %s', (name) => {
  it.each([1, 2, 5, 33, 130])('symEig of a %i × %i symmetric matrix satisfies A V = V Λ, descending, orthonormal', async (n) => {
    const a = randomSymmetric(n, n);
    const { values, vectors } = await (await kernels(name)).symEig(a, n);
    const scale = Math.max(...a.map(Math.abs));
    for (let i = 0; i + 1 < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i + 1]);
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < n; r++) {
        let av = 0;
        for (let c = 0; c < n; c++) av += a[r * n + c] * vectors[i * n + c];
        expect(Math.abs(av - values[i] * vectors[i * n + r])).toBeLessThan(1e-11 * n * scale + 1e-14);
      }
      for (let j = i; j < Math.min(n, i + 3); j++) {
        let dot = 0;
        for (let c = 0; c < n; c++) dot += vectors[i * n + c] * vectors[j * n + c];
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 11);
      }
    }
  });

  it('symEig of a diagonal matrix returns its entries sorted, with unit vectors', async () => {
    const { values, vectors } = await (await kernels(name)).symEig(Float64Array.from([3, 0, 0, 0, -1, 0, 0, 0, 7]), 3);
    expect(Array.from(values)).toEqual([7, 3, -1]);
    expect(Array.from(vectors.map(Math.abs))).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
  });

  it.each([
    [1, 1],
    [7, 3],
    [500, 12],
    [20, 20],
  ])('thinQr of a %i × %i matrix reconstructs A with orthonormal Q and diag(R) >= 0', async (m, n) => {
    const r0 = lcg(m * 31 + n);
    const a = Float64Array.from({ length: m * n }, r0);
    const { q, r } = await (await kernels(name)).thinQr(a, m, n);
    for (let j = 0; j < n; j++) {
      expect(r[j * n + j]).toBeGreaterThanOrEqual(0);
      for (let k = 0; k < j; k++) expect(r[j * n + k]).toBe(0);
      for (let k = 0; k < n; k++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += q[i * n + j] * q[i * n + k];
        expect(dot).toBeCloseTo(j === k ? 1 : 0, 12);
      }
    }
    for (let i = 0; i < m; i++)
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += q[i * n + j] * r[j * n + k];
        expect(s).toBeCloseTo(a[i * n + k], 12);
      }
  });

  it('refuses NaN, a wrong length and a wide matrix with coded errors', async () => {
    const k = await kernels(name);
    await expect(k.symEig(Float64Array.from([1, Number.NaN, Number.NaN, 1]), 2)).rejects.toThrow(code('E_NONFINITE'));
    await expect(k.symEig(new Float64Array(5), 2)).rejects.toThrow(code('E_SHAPE'));
    await expect(k.thinQr(new Float64Array(6), 2, 3)).rejects.toThrow(code('E_SHAPE'));
    await expect(k.thinQr(Float64Array.from([1, Number.POSITIVE_INFINITY]), 2, 1)).rejects.toThrow(code('E_NONFINITE'));
  });
});

describe.runIf(hasNative)('native linalg agrees with the js oracle', () => {
  it('on eigenvalues (1e-10 relative) and eigenvectors up to sign (1e-9)', async () => {
    const n = 60;
    const a = randomSymmetric(n, 7);
    const [j, c] = await Promise.all([(await kernels('js')).symEig(a, n), (await kernels('native')).symEig(a, n)]);
    for (let i = 0; i < n; i++) {
      expect(Math.abs(c.values[i] - j.values[i])).toBeLessThan(1e-10 * Math.abs(j.values[0]));
      let dot = 0;
      for (let t = 0; t < n; t++) dot += c.vectors[i * n + t] * j.vectors[i * n + t];
      const s = Math.sign(dot);
      for (let t = 0; t < n; t++) expect(Math.abs(s * c.vectors[i * n + t] - j.vectors[i * n + t])).toBeLessThan(1e-9);
    }
  });

  it('on Q and R (unique with diag(R) >= 0) within 1e-9', async () => {
    const m = 3000,
      n = 9;
    const r0 = lcg(5);
    const a = Float64Array.from({ length: m * n }, r0);
    const [j, c] = await Promise.all([(await kernels('js')).thinQr(a, m, n), (await kernels('native')).thinQr(a, m, n)]);
    for (let i = 0; i < m * n; i++) expect(Math.abs(c.q[i] - j.q[i])).toBeLessThan(1e-9);
    for (let i = 0; i < n * n; i++) expect(Math.abs(c.r[i] - j.r[i])).toBeLessThan(1e-9);
  });
});

/** op(A) op(B) by the definition (the closed form every backend's dgemm is held to). */
function naiveProduct(ta: boolean, tb: boolean, m: number, n: number, k: number, a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  return c;
}

// Shapes at the micro-kernels' edges (8×16, 6×8, 4×4), across k steps, and a small C with a long
// k (native slices k). Tolerance: f64 sums of k products of values in [-0.5, 0.5), 1e-14 · (k + 1).
const DGEMM_SHAPES: [boolean, boolean, number, number, number][] = [
  [false, false, 1, 1, 1],
  [false, false, 9, 17, 300],
  [true, false, 13, 5, 257],
  [false, true, 30, 40, 8],
  [true, true, 7, 19, 60],
  [true, false, 8, 8, 20000],
];

describe.each(backends)('dgemm on %s', (name) => {
  it.each(DGEMM_SHAPES)('transA=%s transB=%s %i×%i×%i matches the triple loop, f64 and f32 inputs', async (ta, tb, m, n, k) => {
    const r = lcg(m * 7 + n * 3 + k);
    const a = Float64Array.from({ length: m * k }, r),
      b = Float64Array.from({ length: k * n }, r);
    const want = naiveProduct(ta, tb, m, n, k, a, b);
    const lin = await kernels(name);
    for (const [aa, bb] of [
      [a, b],
      [Float32Array.from(a), Float32Array.from(b)],
    ] as const) {
      const w = aa instanceof Float32Array ? naiveProduct(ta, tb, m, n, k, aa, bb) : want;
      const c = new Float64Array(m * n).fill(Number.NaN); // beta 0: never read
      await lin.dgemm({ transA: ta, transB: tb, m, n, k, alpha: 1, a: aa, b: bb, beta: 0, c });
      for (let i = 0; i < m * n; i++) expect(Math.abs(c[i] - w[i])).toBeLessThan(1e-14 * (k + 1));
    }
  });

  it.each([
    [9000, 37],
    [40, 150],
  ])('AᵀA of one %i × %i array (native: upper triangle mirrored) matches the triple loop and is symmetric', async (k, m) => {
    const r = lcg(k + m);
    const a = Float64Array.from({ length: k * m }, r);
    const want = naiveProduct(true, false, m, m, k, a, a);
    const c = new Float64Array(m * m).fill(Number.NaN);
    await (await kernels(name)).dgemm({ transA: true, transB: false, m, n: m, k, alpha: 1, a, b: a, beta: 0, c });
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        expect(Math.abs(c[i * m + j] - want[i * m + j])).toBeLessThan(1e-14 * (k + 1));
        expect(c[i * m + j]).toBe(c[j * m + i]);
      }
  });

  it('applies alpha and beta: C = 2 A B − C', async () => {
    const lin = await kernels(name);
    const c = Float64Array.from([1, 2, 3, 4]);
    await lin.dgemm({
      transA: false,
      transB: false,
      m: 2,
      n: 2,
      k: 2,
      alpha: 2,
      a: Float64Array.from([1, 2, 3, 4]),
      b: Float64Array.from([5, 6, 7, 8]),
      beta: -1,
      c,
    });
    expect(Array.from(c)).toEqual([37, 42, 83, 96]);
  });

  it('refuses arrays of the wrong length with E_SHAPE', async () => {
    const lin = await kernels(name);
    await expect(
      lin.dgemm({ transA: false, transB: false, m: 2, n: 2, k: 2, alpha: 1, a: new Float64Array(3), b: new Float64Array(4), beta: 0, c: new Float64Array(4) }),
    ).rejects.toThrow(code('E_SHAPE'));
  });
});

describe.runIf(hasNative)('native dgemm agrees with the js oracle', () => {
  it('on a 300 × 70 × 5000 product (1e-11 relative to the largest entry)', async () => {
    const r = lcg(99);
    const [m, n, k] = [300, 70, 5000];
    const a = Float64Array.from({ length: m * k }, r),
      b = Float64Array.from({ length: k * n }, r);
    const cj = new Float64Array(m * n),
      cn = new Float64Array(m * n);
    await (await kernels('js')).dgemm({ transA: false, transB: false, m, n, k, alpha: 1, a, b, beta: 0, c: cj });
    await (await kernels('native')).dgemm({ transA: false, transB: false, m, n, k, alpha: 1, a, b, beta: 0, c: cn });
    const scale = Math.max(...cj.map(Math.abs));
    for (let i = 0; i < m * n; i++) expect(Math.abs(cn[i] - cj[i])).toBeLessThan(1e-11 * scale);
  });
});
