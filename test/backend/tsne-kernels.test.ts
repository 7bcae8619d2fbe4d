/**
 * The tsne family across backends: the native Barnes-Hut gradient (C++ quadtree, threads over
 * points) against the js oracle — the same arithmetic in the same order, so gradients are equal
 * bit for bit, for 1 or 2 threads, and the KL divergence within 1e-12 relative (the platform's
 * log against V8's). With angle 0 both equal the brute-force O(n²) gradient up to summation
 * order (1e-12 relative). The CSR affinities equal a Map-based P + Pᵀ exactly. webgpu has no
 * tsne kernels: an explicit 'webgpu' is E_BACKEND_LIMIT.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dispose, getThreads, Rng, setThreads } from '../../src/index.js';
import { resolveKernels } from '../../src/backend/select.js';
import { jsTsneGradient } from '../../src/backend/js/tsne.js';
import type { SparseP, TsneGradientArgs } from '../../src/backend/contract/tsne.js';
import { symmetrize } from '../../src/decomposition/tsne-bh.js';
import { hasNative, hasWebgpu } from '../helpers/backends.js';

afterAll(async () => {
  await dispose();
});

/** k random neighbours per point (no self, no repeats) with random conditionals, symmetrised. */
function affinities(n: number, k: number, rng: Rng): { P: SparseP; nbr: Int32Array; cond: Float64Array } {
  const nbr = new Int32Array(n * k),
    cond = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const seen = new Set<number>([i]);
    for (let t = 0; t < k; t++) {
      let j = rng.int(n);
      while (seen.has(j)) j = rng.int(n);
      seen.add(j);
      // a point's neighbours are mostly nearby indices, so many edges meet both ways
      if (t < k / 2 && !seen.has((i + t + 1) % n)) j = (i + t + 1) % n;
      seen.add(j);
      nbr[i * k + t] = j;
      cond[i * k + t] = rng.random() / k;
    }
  }
  return { P: symmetrize(cond, nbr, n, k), nbr, cond };
}

function embedding(n: number, rng: Rng, scale: number): Float64Array {
  const y = Float64Array.from({ length: 2 * n }, () => scale * rng.normal());
  // duplicates and a tight clump: the depth cap and deep cells
  y[2] = y[0];
  y[3] = y[1];
  for (let i = 10; i < 20 && i < n; i++) {
    y[2 * i] = 1e-9 * i;
    y[2 * i + 1] = -1e-9 * i;
  }
  return y;
}

/** The exact gradient: Σq over all pairs (dof 1), as scikit-learn's method='exact' with sparse P. */
function bruteForce(P: SparseP, y: Float64Array, n: number, exaggeration: number): Float64Array {
  let sumQ = 0;
  const rep = new Float64Array(2 * n),
    grad = new Float64Array(2 * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const dx = y[2 * i] - y[2 * j],
        dy = y[2 * i + 1] - y[2 * j + 1],
        w = 1 / (1 + dx * dx + dy * dy);
      sumQ += w;
      rep[2 * i] += w * w * dx;
      rep[2 * i + 1] += w * w * dy;
    }
  for (let i = 0; i < n; i++) {
    let ax = 0,
      ay = 0;
    for (let t = P.indptr[i]; t < P.indptr[i + 1]; t++) {
      const j = P.indices[t],
        dx = y[2 * i] - y[2 * j],
        dy = y[2 * i + 1] - y[2 * j + 1];
      const q = 1 / (1 + dx * dx + dy * dy);
      ax += exaggeration * P.values[t] * q * dx;
      ay += exaggeration * P.values[t] * q * dy;
    }
    grad[2 * i] = 4 * (ax - rep[2 * i] / sumQ);
    grad[2 * i + 1] = 4 * (ay - rep[2 * i + 1] / sumQ);
  }
  return grad;
}

const args = (P: SparseP, y: Float64Array, n: number, angle: number, computeError: boolean): TsneGradientArgs => ({
  P,
  y,
  n,
  angle,
  exaggeration: 12,
  grad: new Float64Array(2 * n),
  computeError,
});

describe('tsne affinities', () => {
  it('CSR P + Pᵀ equals a Map-based symmetrisation exactly, columns sorted, total 1', () => {
    const n = 300,
      k = 9;
    const { P, nbr, cond } = affinities(n, k, new Rng(3));
    const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
    for (let i = 0; i < n; i++)
      for (let t = 0; t < k; t++) {
        const j = nbr[i * k + t],
          v = cond[i * k + t];
        rows[i].set(j, (rows[i].get(j) ?? 0) + v);
        rows[j].set(i, (rows[j].get(i) ?? 0) + v);
      }
    let total = 0;
    const want: [number, number, number][] = [];
    for (let i = 0; i < n; i++)
      for (const [j, v] of [...rows[i].entries()].sort((a, b) => a[0] - b[0])) {
        want.push([i, j, v]);
        total += v;
      }
    const got: [number, number, number][] = [];
    for (let i = 0; i < n; i++) for (let t = P.indptr[i]; t < P.indptr[i + 1]; t++) got.push([i, P.indices[t], P.values[t]]);
    expect(got).toEqual(want.map(([i, j, v]) => [i, j, v / total]));
    expect(got.length).toBeLessThan(2 * n * k); // some edges met both ways and merged
    expect(P.values.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
  });
});

describe('tsne gradient: js oracle', () => {
  it('with angle 0 equals the brute-force O(n²) gradient', () => {
    const n = 200,
      rng = new Rng(7);
    const { P } = affinities(n, 12, rng);
    const y = embedding(n, rng, 2);
    y[2] += 1e-3; // no exact duplicates here: the tree keeps those as one body
    const a = args(P, y, n, 0, false);
    jsTsneGradient(a);
    const want = bruteForce(P, y, n, 12),
      scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let t = 0; t < 2 * n; t++) expect(Math.abs(a.grad[t] - want[t])).toBeLessThanOrEqual(1e-12 * scale);
  });
});

describe.runIf(hasNative)('tsne gradient: native agrees with js bit for bit', () => {
  for (const [n, k, angle, scale] of [
    [1, 0, 0.5, 1],
    [2, 1, 0.5, 1],
    [500, 15, 0.5, 3],
    [500, 15, 0, 0.01],
    [3000, 30, 0.5, 10],
    [3000, 30, 1, 1e-4],
  ] as const) {
    it(`n=${n} k=${k} angle=${angle} spread ${scale}`, async () => {
      const rng = new Rng(n + k);
      const { P } = affinities(n, k, rng);
      const y = embedding(n, rng, scale);
      const { kernels, backend } = await resolveKernels('tsne', 'native', 0, 'test');
      expect(backend).toBe('native');
      const want = args(P, y, n, angle, true),
        wantKl = jsTsneGradient(want);
      const threads = getThreads();
      try {
        for (const t of [1, 2]) {
          setThreads(t);
          const got = args(P, y, n, angle, true),
            kl = kernels.gradientSync(got);
          expect(Array.from(got.grad)).toEqual(Array.from(want.grad));
          expect(Math.abs(kl - wantKl)).toBeLessThanOrEqual(1e-12 * Math.abs(wantKl));
          const quiet = args(P, y, n, angle, false);
          expect(kernels.gradientSync(quiet)).toBe(0); // no KL asked: none computed
          expect(Array.from(quiet.grad)).toEqual(Array.from(want.grad));
        }
      } finally {
        setThreads(threads);
      }
    });
  }

  it('refuses a malformed P before touching memory', async () => {
    const { kernels } = await resolveKernels('tsne', 'native', 0, 'test');
    const P: SparseP = { indptr: Int32Array.from([0, 1, 2]), indices: Int32Array.from([1, 5]), values: Float64Array.from([0.5, 0.5]) };
    expect(() => kernels.gradientSync(args(P, new Float64Array(4), 2, 0.5, false))).toThrow(expect.objectContaining({ code: 'E_PARAM' }));
    const short: SparseP = { indptr: Int32Array.from([0, 1]), indices: Int32Array.from([1]), values: Float64Array.from([1]) };
    expect(() => kernels.gradientSync(args(short, new Float64Array(4), 2, 0.5, false))).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
  });
});

describe.runIf(hasWebgpu)('tsne on webgpu', () => {
  it("has no WGSL t-SNE kernels: an explicit 'webgpu' is E_BACKEND_LIMIT", async () => {
    await expect(resolveKernels('tsne', 'webgpu', 1, 'TSNE')).rejects.toThrow(expect.objectContaining({ code: 'E_BACKEND_LIMIT' }));
  });
});
