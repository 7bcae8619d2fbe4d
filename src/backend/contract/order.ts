/**
 * The order family: sorting a value column, the pass behind quantiles, ranks, the KS and
 * Wasserstein drift measures and the table profile wherever a sort dominates. CPU backends run
 * it (native: a radix sort; js: Float64Array#sort, the oracle); its callers are synchronous
 * statistics, so the kernel is too. It also shuffles a training loop's rows for each epoch, with
 * Rng's numbers (native: the same generator in C++; js: Rng.shuffle itself).
 */
import { ParamError } from '../../core/errors.js';

export interface OrderKernels {
  /** The values in ascending order as a new array, in Float64Array#sort's order: -0 before +0, NaNs last. */
  sortF64(values: Float64Array): Float64Array;
  /** The indices that sort the values ascending, stable: ties (-0 and +0 too) in index order, NaNs last (numpy's kind='stable'). */
  argsortF64(values: Float64Array): Uint32Array;
  /** 1-based ranks, ties sharing the mean of their positions (scipy.stats.rankdata 'average'); each NaN ranked alone, last. */
  averageRanksF64(values: Float64Array): Float64Array;
  /**
   * Shuffles `values` in place as Rng.shuffle does (Fisher–Yates from the last place down), drawing
   * from xoshiro128** at `state` — Rng.getState()'s four generator words, not all 0 — which is left
   * advanced past the draws: a training loop's order for each epoch.
   */
  shuffleI32(values: Int32Array, state: Uint32Array): void;
}

export function checkShuffleArgs(values: Int32Array, state: Uint32Array, owner: string): void {
  if (!(values instanceof Int32Array)) throw new ParamError(`${owner}: values must be an Int32Array`);
  if (!(state instanceof Uint32Array) || state.length !== 4 || state.every((w) => w === 0)) {
    throw new ParamError(`${owner}: state must be a Uint32Array of Rng.getState()'s four generator words, not all 0`);
  }
}

export function checkOrderArgs(values: Float64Array, owner: string): void {
  if (!(values instanceof Float64Array)) throw new ParamError(`${owner}: values must be a Float64Array`);
}
