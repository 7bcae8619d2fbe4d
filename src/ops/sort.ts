/**
 * One sort for every statistic that needs its input in order (quantiles, ranks, KS and
 * Wasserstein, the profile): a sorted copy, in Float64Array#sort's order (-0 before +0, NaNs
 * last). Long columns go to the CPU backend's order kernel (native: a radix sort, several times
 * the engine's comparison sort); short ones stay in JavaScript, where a call would cost more than
 * it saves. A webgpu choice sorts on the CPU, as groupBy does (the callers are synchronous).
 */
import { resolveBackendSync, resolveCpuBackendSync } from '../backend/select.js';

/** Below this many values the engine's sort is as fast as a native call. */
const NATIVE_FROM = 2048;

const cpu = (op: string) => resolveCpuBackendSync(undefined, op);

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const copy = values instanceof Float64Array ? values : Float64Array.from(values);
  if (copy.length < NATIVE_FROM) return copy === values ? copy.slice().sort() : copy.sort();
  return cpu('sort').order.sortF64(copy);
}

/** The non-NaN values in ascending order (a sorted copy without its NaNs, which sort last). */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  const all = sortedCopy(values);
  let n = all.length;
  while (n > 0 && Number.isNaN(all[n - 1])) n--;
  return all.subarray(0, n);
}

/** The indices that sort `values` ascending, stable (ties in index order, -0 equal to +0, NaNs last). */
export function argsortStable(values: ArrayLike<number>): Uint32Array {
  const v = values instanceof Float64Array ? values : Float64Array.from(values);
  return (v.length < NATIVE_FROM ? resolveBackendSync('js', 'argsort') : cpu('argsort')).order.argsortF64(v);
}

/** 1-based average ranks (scipy.stats.rankdata 'average'): ties share the mean of their positions, NaNs last, each alone. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const v = values instanceof Float64Array ? values : Float64Array.from(values);
  return (v.length < NATIVE_FROM ? resolveBackendSync('js', 'rank') : cpu('rank')).order.averageRanksF64(v);
}
