/**
 * Binning's sample (native/kernels/hist/bin_sample.cc) in TypeScript: k of the n rows drawn by
 * Rng.sampleIndices from the given generator state, and the listed features' values on those rows,
 * NaNs dropped. The js backend's binSample kernel, and the reference the native one is held to.
 */
import { Rng } from '../../core/prng.js';
import type { FloatArray } from '../../core/matrix.js';
import type { BinSample } from '../contract/hist.js';

export function binSampleJs(x: FloatArray, n: number, p: number, features: Int32Array, state: Uint32Array, k: number): BinSample {
  const rows = Rng.fromState([...state, NaN]).sampleIndices(n, k);
  const values = new Float64Array(features.length * k),
    counts = new Int32Array(features.length);
  // One pass over the rows (a row's features share its cache lines), a cursor per feature.
  for (let i = 0; i < k; i++) {
    const base = rows[i] * p;
    for (let c = 0; c < features.length; c++) {
      const v = x[base + features[c]];
      if (v === v) values[c * k + counts[c]++] = v;
    }
  }
  return { values, counts };
}
