/** The native kmeans family: GEMM-tiled assignment with exact f64 re-checks, threads over row blocks. */
import { ShapeError } from '../../core/errors.js';
import { checkKmeansArgs, type KmeansKernels } from '../contract/kmeans.js';
import { callNative, INLINE_MAX_FLOPS, type NativeAddon } from './addon.js';

export function nativeKmeans(addon: NativeAddon): KmeansKernels {
  return {
    async assign(a) {
      checkKmeansArgs(a);
      const labels = new Int32Array(a.n),
        dist2 = new Float64Array(a.n),
        sums = new Float64Array(a.k * a.d),
        weightSums = new Float64Array(a.k),
        inertia = new Float64Array(1);
      const args = [a.x, a.n, a.d, a.weights, a.centers, a.k, labels, dist2, a.accumulate ? sums : null, a.accumulate ? weightSums : null, inertia] as const;
      if (2 * a.n * a.k * a.d <= INLINE_MAX_FLOPS) callNative('kmeansAssign', () => addon.kmeansAssignSync(...args));
      else await callNative('kmeansAssign', () => addon.kmeansAssign(...args));
      return { labels, dist2, inertia: inertia[0], sums, weightSums };
    },
    async assignBounded(a, b) {
      checkKmeansArgs(a);
      const { n, k, d } = a,
        G = b.groups;
      const sized =
        b.labels.length === n &&
        b.epoch.length === n &&
        b.upper.length === n &&
        b.dist2.length === n &&
        b.lower.length === n * (G + 1) &&
        b.sums.length === k * d;
      if (!sized || (b.prevCenters === null) !== (b.drift.length === 0) || (b.prevCenters && b.prevCenters.length !== k * d)) {
        throw new ShapeError(`kmeans: bounds do not match n = ${n}, k = ${k}, d = ${d} (or prevCenters and drift disagree on the first call)`);
      }
      const drift = new Float64Array(b.drift.length * (k + G + 1));
      b.drift.forEach((row, t) => drift.set(row, t * (k + G + 1)));
      const driftNow = new Float64Array(k + G + 1),
        weightSums = new Float64Array(k),
        out = new Float64Array(3);
      const args = [
        a.x,
        n,
        d,
        a.weights,
        a.centers,
        b.prevCenters,
        k,
        G,
        b.labels,
        b.epoch,
        b.upper,
        b.lower,
        b.drift.length,
        drift,
        driftNow,
        b.sums,
        weightSums,
        !a.accumulate,
        b.dist2,
        out,
      ] as const;
      if (2 * n * k * d <= INLINE_MAX_FLOPS) callNative('kmeansAssignBounded', () => addon.kmeansAssignBoundedSync(...args));
      else await callNative('kmeansAssignBounded', () => addon.kmeansAssignBounded(...args));
      b.prevCenters = Float64Array.from(a.centers);
      b.drift.push(driftNow);
      const sums = a.accumulate ? Float64Array.from(b.sums) : new Float64Array(k * d);
      return { labels: b.labels, dist2: b.dist2, inertia: out[0], sums, weightSums: a.accumulate ? weightSums : new Float64Array(k), changed: out[1] };
    },
    async distances(x, n, d, centers, k) {
      const out = new Float64Array(n * k);
      if (3 * n * k * d <= INLINE_MAX_FLOPS) callNative('kmeansDistances', () => addon.kmeansDistancesSync(x, n, d, centers, k, out));
      else await callNative('kmeansDistances', () => addon.kmeansDistances(x, n, d, centers, k, out));
      return out;
    },
  };
}
