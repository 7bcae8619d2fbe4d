/**
 * The kmeans family across backends: native (GEMM tiles + exact re-check) against the js oracle.
 * Labels must be identical (both are an exact f64 argmin, ties to the smaller index), distances,
 * sums and inertia within 1e-9 relative (summation order differs). webgpu has no kmeans kernels:
 * an explicit 'webgpu' is E_BACKEND_LIMIT. Also the native radius lists against the js scan.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dispose, Rng } from '../../src/index.js';
import { resolveBackend, resolveKernels } from '../../src/backend/select.js';
import { jsAssign, jsDistances } from '../../src/backend/js/kmeans.js';
import { radiusScan } from '../../src/backend/js/knn.js';
import { hasNative, hasWebgpu } from '../helpers/backends.js';

afterAll(async () => {
  await dispose();
});

function data(n: number, d: number, k: number, seed: number, f32: boolean) {
  const rng = new Rng(seed);
  const x = f32 ? new Float32Array(n * d) : new Float64Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const centers = new Float64Array(k * d);
  for (let j = 0; j < k; j++) for (let f = 0; f < d; f++) centers[j * d + f] = x[((j * 13) % n) * d + f];
  // a near-duplicate centre: rows between the two need the exact decision
  if (k > 2) for (let f = 0; f < d; f++) centers[2 * d + f] = centers[f] + 1e-10;
  const weights = new Float64Array(n).map((_, i) => 0.25 + (i % 5));
  return { x, centers, weights };
}

const close = (a: number, b: number, rtol: number) => Math.abs(a - b) <= rtol * (1 + Math.abs(b));
/** Indices where two arrays differ by more than rtol (empty when they agree). */
function misses(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number): number[] {
  expect(a.length).toBe(b.length);
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) if (!close(a[i], b[i], rtol)) out.push(i);
  return out;
}

describe.runIf(hasNative)('kmeans kernels: native agrees with js', () => {
  for (const [n, d, k, f32] of [
    [1000, 7, 11, true],
    [257, 33, 65, false],
    [5, 1, 1, false],
    [3000, 16, 100, true],
  ] as const) {
    it(`assign n=${n} d=${d} k=${k} ${f32 ? 'f32' : 'f64'}`, async () => {
      const { x, centers, weights } = data(n, d, k, n + d + k, f32);
      const { kernels } = await resolveKernels('kmeans', 'native', 0, 'test');
      const args = { x, n, d, k, centers, weights, accumulate: true };
      const got = await kernels.assign(args);
      const want = jsAssign(args);
      expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
      expect(misses(got.dist2, want.dist2, 1e-9)).toEqual([]);
      expect(misses(got.sums, want.sums, 1e-9)).toEqual([]);
      expect(Array.from(got.weightSums)).toEqual(Array.from(want.weightSums));
      expect(close(got.inertia, want.inertia, 1e-9)).toBe(true);
      const dd = await kernels.distances(x, n, d, centers, k);
      const wd = jsDistances(x, n, d, centers, k);
      expect(misses(dd, wd, 1e-12)).toEqual([]);
    });
  }

  it('refuses lengths that disagree with the shapes', async () => {
    const { kernels } = await resolveKernels('kmeans', 'native', 0, 'test');
    await expect(kernels.assign({ x: new Float64Array(5), n: 3, d: 2, k: 1, centers: new Float64Array(2), weights: null, accumulate: false })).rejects.toThrow(
      expect.objectContaining({ code: 'E_SHAPE' }),
    );
  });

  for (const metric of ['euclidean', 'sqeuclidean'] as const) {
    it(`radius lists (${metric}) equal the exact scan`, async () => {
      const n = 600,
        d = 6;
      const { x } = data(n, d, 1, 9, true);
      const backend = await resolveBackend('native', 0);
      const index = await backend.knn.index(x, n, d, metric, 64 << 20);
      for (const excludeSelf of [true, false]) {
        const radius = metric === 'euclidean' ? 1.5 : 2.25;
        const got = await backend.knn.radius(index, x, n, radius, excludeSelf);
        const want = radiusScan(index, x, n, radius, excludeSelf);
        expect(Array.from(got.offsets)).toEqual(Array.from(want.offsets));
        expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
        expect(misses(got.distances, want.distances, 1e-12)).toEqual([]);
      }
    });
  }
});

describe.runIf(hasWebgpu)('kmeans on webgpu', () => {
  it("has no WGSL kmeans kernels: an explicit 'webgpu' is E_BACKEND_LIMIT", async () => {
    await expect(resolveKernels('kmeans', 'webgpu', 1, 'KMeans')).rejects.toThrow(expect.objectContaining({ code: 'E_BACKEND_LIMIT' }));
  });
});
