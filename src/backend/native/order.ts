/** The native order family: an LSD radix sort of the doubles' bit patterns in C++ (no comparisons), and Rng's shuffle. */
import { checkOrderArgs, checkShuffleArgs, type OrderKernels } from '../contract/order.js';
import { callNative, type NativeAddon } from './addon.js';

export function nativeOrder(addon: NativeAddon): OrderKernels {
  return {
    sortF64(values) {
      checkOrderArgs(values, 'sortF64');
      const out = new Float64Array(values.length);
      callNative('sortF64', () => addon.sortF64Sync(values, out));
      return out;
    },
    argsortF64(values) {
      checkOrderArgs(values, 'argsortF64');
      const order = new Uint32Array(values.length);
      callNative('argsortF64', () => addon.argsortF64Sync(values, order));
      return order;
    },
    averageRanksF64(values) {
      checkOrderArgs(values, 'averageRanksF64');
      const ranks = new Float64Array(values.length);
      callNative('averageRanksF64', () => addon.averageRanksF64Sync(values, ranks));
      return ranks;
    },
    shuffleI32(values, state) {
      checkShuffleArgs(values, state, 'shuffleI32');
      callNative('shuffleI32', () => addon.shuffleI32Sync(values, state));
    },
  };
}
