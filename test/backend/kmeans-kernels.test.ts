/**
 * The kmeans family across backends: native (GEMM tiles + exact re-check) against the js oracle.
 * Labels must be identical (both are an exact f64 argmin, ties to the smaller index), distances,
 * sums and inertia within 1e-9 relative (summation order differs). webgpu has no kmeans kernels:
 * an explicit 'webgpu' is E_BACKEND_LIMIT. assignBounded (Lloyd with bounds carried between
 * calls) against plain assignments over a run, and whole runs native against js. Also the native
 * radius lists (kd-tree pruned) against the js scan.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dispose, Rng } from '../../src/index.js';
import { resolveBackend, resolveKernels } from '../../src/backend/select.js';
import { jsAssign, jsDistances } from '../../src/backend/js/kmeans.js';
import { radiusScan } from '../../src/backend/js/knn.js';
import { kmeansBounds } from '../../src/backend/contract/kmeans.js';
import { lloyd, updateCenters } from '../../src/cluster/lloyd.js';
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

  // Blobs: the bounds skip most rows after a few iterations, so every path runs (skip, tighten, rescan).
  function blobs(n: number, d: number, centres: number, seed: number, f32: boolean) {
    const rng = new Rng(seed);
    const c = Float64Array.from({ length: centres * d }, () => rng.normal() * 4);
    const x = f32 ? new Float32Array(n * d) : new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const j = rng.int(centres);
      for (let f = 0; f < d; f++) x[i * d + f] = c[j * d + f] + rng.normal();
    }
    return x;
  }

  for (const [n, d, k, f32, weighted] of [
    [2000, 5, 100, true, false], // 8 centre groups
    [1500, 9, 23, false, true], // 2 groups
    [700, 3, 4, true, true], // 1 group (Hamerly)
  ] as const) {
    it(`assignBounded follows plain assignments over a run: n=${n} d=${d} k=${k} ${f32 ? 'f32' : 'f64'}${weighted ? ' weighted' : ''}`, async () => {
      const x = blobs(n, d, 2 * k, n + k, f32);
      const weights = weighted ? new Float64Array(n).map((_, i) => 0.5 + (i % 3)) : null;
      const { kernels } = await resolveKernels('kmeans', 'native', 0, 'test');
      if (!kernels.assignBounded) throw new Error('native kmeans kernels have assignBounded');
      const bounds = kmeansBounds(n, k, d);
      const run = { x, n, d, k, weights, maxIter: 0, tol: 0 };
      let centers: Float64Array = Float64Array.from(x.subarray(0, k * d));
      let prev: Int32Array | null = null,
        skipped = 0;
      for (let it = 0; it < 12; it++) {
        const args = { x, n, d, k, weights, centers, accumulate: true };
        const got = await kernels.assignBounded(args, bounds);
        const want = await kernels.assign(args);
        expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
        expect(Array.from(got.weightSums)).toEqual(Array.from(want.weightSums));
        expect(misses(got.sums, want.sums, 1e-9)).toEqual([]);
        expect(got.changed).toBe(prev ? want.labels.filter((l, i) => l !== prev?.[i]).length : n);
        if (prev) skipped += n - got.changed;
        prev = want.labels;
        centers = updateCenters(run, want.sums, want.weightSums, want.labels, want.dist2);
      }
      expect(skipped).toBeGreaterThan(0);
      // the closing E-step writes distances and inertia
      const args = { x, n, d, k, weights, centers, accumulate: false };
      const got = await kernels.assignBounded(args, bounds);
      const want = await kernels.assign(args);
      expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
      expect(Array.from(got.dist2)).toEqual(Array.from(want.dist2));
      expect(got.inertia).toBe(want.inertia);
    });
  }

  it('assignBounded writes distances when a cluster empties, and zero sums for it', async () => {
    const n = 300,
      d = 4,
      k = 3;
    const x = blobs(n, d, 3, 5, false);
    const { kernels } = await resolveKernels('kmeans', 'native', 0, 'test');
    if (!kernels.assignBounded) throw new Error('native kmeans kernels have assignBounded');
    const bounds = kmeansBounds(n, k, d);
    const centers = Float64Array.from(x.subarray(0, k * d));
    await kernels.assignBounded({ x, n, d, k, weights: null, centers, accumulate: true }, bounds);
    const far = Float64Array.from(centers);
    for (let f = 0; f < d; f++) far[2 * d + f] = 1e6;
    const args = { x, n, d, k, weights: null, centers: far, accumulate: true };
    const got = await kernels.assignBounded(args, bounds);
    const want = await kernels.assign(args);
    expect(got.weightSums[2]).toBe(0);
    expect(Array.from(got.sums.subarray(2 * d))).toEqual([0, 0, 0, 0]);
    expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
    expect(Array.from(got.dist2)).toEqual(Array.from(want.dist2));
  });

  it('assignBounded refuses bounds that do not match the shapes', async () => {
    const { kernels } = await resolveKernels('kmeans', 'native', 0, 'test');
    if (!kernels.assignBounded) throw new Error('native kmeans kernels have assignBounded');
    const args = { x: new Float64Array(6), n: 3, d: 2, k: 1, centers: new Float64Array(2), weights: null, accumulate: true };
    await expect(kernels.assignBounded(args, kmeansBounds(4, 1, 2))).rejects.toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    const stale = { ...kmeansBounds(3, 1, 2), prevCenters: new Float64Array(2) }; // centres but no drift history
    await expect(kernels.assignBounded(args, stale)).rejects.toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
  });

  it('a Lloyd run on native kernels (bounds) equals one on the js oracle (plain)', async () => {
    const n = 3000,
      d = 6,
      k = 40;
    const x = blobs(n, d, 60, 17, true);
    const init = Float64Array.from(x.subarray(0, k * d));
    const run = { x, n, d, k, weights: null, maxIter: 100, tol: 0 };
    const native = await lloyd(run, init, (await resolveKernels('kmeans', 'native', 0, 'test')).kernels);
    const js = await lloyd(run, init, (await resolveKernels('kmeans', 'js', 0, 'test')).kernels);
    expect(native.nIter).toBe(js.nIter);
    expect(native.nIter).toBeLessThan(100); // converged: labels repeated
    expect(Array.from(native.labels)).toEqual(Array.from(js.labels));
    expect(misses(native.centers, js.centers, 1e-9)).toEqual([]);
    expect(close(native.inertia, js.inertia, 1e-9)).toBe(true);
  });

  it('radius lists on clustered data, queries other than the base, equal the exact scan', async () => {
    const n = 2500,
      d = 3;
    const x = blobs(n, d, 12, 3, true);
    const queries = blobs(500, d, 12, 4, false);
    const backend = await resolveBackend('native', 0);
    const index = await backend.knn.index(x, n, d, 'euclidean', 64 << 20);
    for (const [q, nq] of [
      [queries, 500],
      [x, n],
    ] as const) {
      const got = await backend.knn.radius(index, q, nq, 0.8, false);
      const want = radiusScan(index, q, nq, 0.8, false);
      expect(want.indices.length).toBeGreaterThan(nq); // real neighbourhoods, not only the row itself
      expect(Array.from(got.offsets)).toEqual(Array.from(want.offsets));
      expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
      expect(misses(got.distances, want.distances, 1e-12)).toEqual([]);
    }
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
